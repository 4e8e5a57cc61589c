// The bad-input catalogue (tests/cli/bad_input.hpp), scenes that ask for absurd work (issue 8, item 4): the caps
// of scene_limits (scene.hpp, docs/scene-files.md "Limits") refused with one line naming the file (and the
// element's line), before any output exists.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cli/bad_input.hpp"
#include "earshot/scene/scene.hpp"

namespace earshot::test {
namespace {

class BadInput_Scenes : public BadInputTest {
protected:
    void SetUp() override {
        BadInputTest::SetUp();
        write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    }
    void write_text(const std::string& name, const std::string& s) { std::ofstream(path(name), std::ios::binary) << s; }
    std::string render(const std::string& scene) const {
        return "render " + quote(path("in.wav")) + " " + quote(path("out.wav")) + " --scene " + quote(path(scene));
    }
    static std::string first_keyframe() { return "[[keyframe]]\ntime_s = 0\nlistener = \"bisgaard:N3\"\n"; }
};

TEST_F(BadInput_Scenes, MoreKeyframesThanTheCap) {
    std::string s = first_keyframe();
    for (std::size_t k = 1; k <= scene_limits::max_keyframes; ++k) s += "[[keyframe]]\ntime_s = " + std::to_string(k) + "\n";
    write_text("many.toml", s);
    expect_refused(render("many.toml"), 2, {"many.toml", "10001 keyframes", "at most 10000"});
}

TEST_F(BadInput_Scenes, PopsAtTheSameInstantBeyondTheSoundingCap) {
    std::string s = first_keyframe();
    for (std::size_t i = 0; i <= scene_limits::max_sounding_events; ++i) s += "[[pop]]\ntime_s = 0.25\n";
    write_text("pops.toml", s);
    // the 129th pop (the file's line of its [[pop]] header) is the one that exceeds the cap
    const int line = 4 + 2 * int(scene_limits::max_sounding_events);
    expect_refused(render("pops.toml"), 2, {"pops.toml:" + std::to_string(line), "pop 129", "at most 128"});
}

TEST_F(BadInput_Scenes, EndlessTonesPileUpBeyondTheSoundingCap) {
    // Tones without an end sound to the end of the input: started 1 ms apart, the 129th is one too many.
    std::string s = first_keyframe();
    for (std::size_t i = 0; i <= scene_limits::max_sounding_events; ++i)
        s += "[[tinnitus]]\nstart_s = " + std::to_string(0.001 * double(i)) + "\nfreq_hz = 3000\nlevel_db_spl = 20\n";
    write_text("tones.toml", s);
    expect_refused(render("tones.toml"), 2, {"tones.toml:", "tinnitus 129", "at most 128"});
}

TEST_F(BadInput_Scenes, RingOutsStillDecayingBeyondTheSoundingCap) {
    // A ring-out without an end sounds until it is 120 dB down (decay_s x 13.8 after its attack): with decay_s = 10 s,
    // 129 ring-outs started 2 ms apart all still sound when the last one starts.
    std::string s = first_keyframe();
    for (std::size_t i = 0; i <= scene_limits::max_sounding_events; ++i)
        s += "[[tinnitus]]\nstart_s = " + std::to_string(0.002 * double(i)) +
             "\nkind = \"ring_out\"\ndecay_s = 10\nfreq_hz = 4000\nlevel_db_spl = 30\n";
    write_text("rings.toml", s);
    expect_refused(render("rings.toml"), 2, {"rings.toml:", "tinnitus 129", "at most 128"});
}

TEST_F(BadInput_Scenes, SceneCheckRefusesTheSameCap) {
    std::string s = first_keyframe();
    for (std::size_t i = 0; i <= scene_limits::max_sounding_events; ++i) s += "[[pop]]\ntime_s = 0.1\nlevel_db_spl = 80\n";
    write_text("check.toml", s);
    expect_refused("scene check " + quote(path("check.toml")), 2, {"check.toml:", "pop 129", "at most 128"});
}

TEST_F(BadInput_Scenes, BurstOfShortEventsBeyondThePlayersSlots) {
    // 2000 tinnitus blips of 1 ms, 8 us apart: never more than 126 sound at once (within the file cap), but all of
    // them are about to start within the player's 0.1 s look-ahead, more than its 1024 event slots.
    std::string s = first_keyframe();
    for (int i = 0; i < 2000; ++i)
        s += "[[tinnitus]]\nstart_s = " + std::to_string(0.1 + 0.000008 * i) +
             "\nduration_s = 0.001\nattack_s = 0\nrelease_s = 0\nfreq_hz = 2000\nlevel_db_spl = 20\n";
    write_text("burst.toml", s);
    expect_refused(render("burst.toml"), 2, {"burst.toml", "at most 1024"});
}

}  // namespace
}  // namespace earshot::test
