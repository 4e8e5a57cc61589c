// The caps of scene_limits (scene.hpp; issue 8, item 4) on scenes built in memory, at and just beyond each cap,
// and the sounding intervals the simultaneity cap counts (from the generators' definitions in tinnitus.hpp and
// pop.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/scene/pop.hpp"
#include "earshot/scene/scene.hpp"

using namespace earshot;

namespace {

Scene one_keyframe() {
    Scene s;
    s.file = "mem.toml";
    s.keyframes.emplace_back();
    return s;
}

std::string refusal(const Scene& s) {
    try {
        check_scene_limits(s, s.file);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(SceneLimits, SoundingEndsFollowTheGenerators) {
    TinnitusEvent t;
    t.start_s = 2.0, t.end_s = 5.0, t.release_s = 0.3;
    EXPECT_DOUBLE_EQ(sounding_end_s(t), 5.3);  // silent release_s after the release begins
    t.end_s = std::numeric_limits<double>::infinity();
    EXPECT_TRUE(std::isinf(sounding_end_s(t)));  // a tone without an end
    t.kind = TinnitusKind::ring_out, t.attack_s = 0.1, t.decay_s = 2.0;
    // 120 dB down: amplitude 1e-6 = e^(-T / decay_s), T = decay_s ln 1e6, after the attack
    EXPECT_NEAR(sounding_end_s(t), 2.0 + 0.1 + 2.0 * 6.0 * std::log(10.0), 1e-12);
    PopEvent p;
    p.time_s = 1.0;
    EXPECT_DOUBLE_EQ(sounding_end_s(p), 1.0 + PopParams{}.duration_s);
}

TEST(SceneLimits, KeyframeCapIsInclusive) {
    Scene s = one_keyframe();
    s.keyframes.resize(scene_limits::max_keyframes);
    EXPECT_EQ(refusal(s), "");
    s.keyframes.emplace_back();
    EXPECT_EQ(refusal(s), "mem.toml: 10001 keyframes; a scene may have at most 10000");
}

TEST(SceneLimits, EventCapCountsTinnitusAndPopsTogether) {
    Scene s = one_keyframe();
    // one event every 0.1 s: never more than one sounds at a time
    s.pops.resize(scene_limits::max_events - 1);
    for (std::size_t i = 0; i < s.pops.size(); ++i) s.pops[i].time_s = 0.1 * double(i);
    s.tinnitus.emplace_back();
    s.tinnitus.back().start_s = 0.05, s.tinnitus.back().end_s = 0.06, s.tinnitus.back().release_s = 0.0;
    EXPECT_EQ(refusal(s), "");
    s.tinnitus.push_back(s.tinnitus.back());
    s.tinnitus.back().start_s = 0.15, s.tinnitus.back().end_s = 0.16;
    EXPECT_EQ(refusal(s), "mem.toml: 1000001 events (tinnitus and pops); a scene may have at most 1000000");
}

TEST(SceneLimits, SimultaneousCapIsInclusiveAndEndedEventsDoNotCount) {
    Scene s = one_keyframe();
    for (std::size_t i = 0; i < scene_limits::max_sounding_events; ++i) {
        PopEvent p;
        p.time_s = 1.0, p.line = int(10 + i);
        s.pops.push_back(p);
    }
    EXPECT_EQ(refusal(s), "");  // exactly the cap
    // A pop that starts exactly when the others have ended (1 s + their duration) does not overlap them.
    PopEvent after;
    after.time_s = 1.0 + PopParams{}.duration_s, after.line = 999;
    s.pops.push_back(after);
    EXPECT_EQ(refusal(s), "");
    // One starting while they sound is one too many; it is the one named.
    PopEvent during;
    during.time_s = 1.03, during.line = 500;
    s.pops.insert(s.pops.end() - 1, during);
    const std::string why = refusal(s);
    EXPECT_NE(why.find("mem.toml:500: pop 129: 129 events would sound at once at 1.03 s"), std::string::npos) << why;
}

TEST(SceneLimits, RingOutsThatHaveDecayedDoNotCount) {
    Scene s = one_keyframe();
    // 1000 ring-outs 0.1 s apart, each silent decay_s ln 1e6 = 0.138 s after its 0.05 s attack: at most 2 at once
    for (int i = 0; i < 1000; ++i) {
        TinnitusEvent t;
        t.kind = TinnitusKind::ring_out, t.start_s = 0.1 * i, t.decay_s = 0.01, t.attack_s = 0.05;
        s.tinnitus.push_back(t);
    }
    EXPECT_EQ(refusal(s), "");
    for (auto& t : s.tinnitus) t.decay_s = 10.0;  // now each rings for 138 s: the 129th one exceeds the cap
    EXPECT_NE(refusal(s).find("tinnitus 129: 129 events would sound at once"), std::string::npos) << refusal(s);
}
