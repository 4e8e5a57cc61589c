// Scene files: the data model's helpers (curves, automation, keyframe spans, keyframe listeners), every
// accepted form and every error case, whose one-line message must name the file, the line and the key.
#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp

#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/scene_file.hpp"

namespace earshot {
namespace {

namespace fs = std::filesystem;

// --- helpers of the data model ------------------------------------------------------------------------------
constexpr Curve kAllCurves[] = {Curve::linear, Curve::ease_in, Curve::ease_out, Curve::smooth, Curve::step};

TEST(SceneCurve, EndpointsAndMonotone) {
    for (const Curve c : kAllCurves) {
        EXPECT_EQ(curve_value(c, 0.0), 0.0) << curve_name(c);
        EXPECT_EQ(curve_value(c, 1.0), 1.0) << curve_name(c);
        EXPECT_EQ(curve_value(c, -0.5), 0.0) << curve_name(c);
        EXPECT_EQ(curve_value(c, 1.5), 1.0) << curve_name(c);
        EXPECT_EQ(curve_value(c, std::nan("")), 0.0) << curve_name(c);
        double last = 0.0;
        for (int i = 0; i <= 1000; ++i) {
            const double v = curve_value(c, i / 1000.0);
            EXPECT_GE(v, last) << curve_name(c) << " at " << i / 1000.0;
            EXPECT_LE(v, 1.0);
            last = v;
        }
    }
}

TEST(SceneCurve, Shapes) {
    EXPECT_DOUBLE_EQ(curve_value(Curve::linear, 0.25), 0.25);
    EXPECT_DOUBLE_EQ(curve_value(Curve::ease_in, 0.5), 0.25);
    EXPECT_DOUBLE_EQ(curve_value(Curve::ease_out, 0.5), 0.75);
    EXPECT_NEAR(curve_value(Curve::smooth, 0.5), 0.5, 1e-12);
    EXPECT_NEAR(curve_value(Curve::smooth, 0.25), (1 - std::cos(M_PI / 4)) / 2, 1e-12);
    EXPECT_EQ(curve_value(Curve::step, 0.999), 0.0);
}

TEST(SceneCurve, Names) {
    for (const Curve c : kAllCurves) EXPECT_EQ(curve_from_name(curve_name(c)), c);
    EXPECT_FALSE(curve_from_name("bouncy"));
}

TEST(SceneAutomation, PiecewiseWithCurvesConstantOutside) {
    EXPECT_EQ(automation_at({}, 3.0), 0.0);
    const std::vector<AutomationPoint> p{{2.0, 10.0, Curve::linear, 0}, {4.0, 20.0, Curve::linear, 0},
                                         {6.0, 0.0, Curve::step, 0}, {10.0, 1.0, Curve::smooth, 0}};
    EXPECT_EQ(automation_at(p, 0.0), 10.0);   // before the first point
    EXPECT_EQ(automation_at(p, 2.0), 10.0);
    EXPECT_DOUBLE_EQ(automation_at(p, 3.0), 15.0);
    EXPECT_EQ(automation_at(p, 4.0), 20.0);
    EXPECT_EQ(automation_at(p, 5.999), 20.0);  // a step holds until its point's time ...
    EXPECT_EQ(automation_at(p, 6.0), 0.0);     // ... and is there exactly at it
    EXPECT_NEAR(automation_at(p, 8.0), 0.5, 1e-12);
    EXPECT_EQ(automation_at(p, 10.0), 1.0);
    EXPECT_EQ(automation_at(p, 99.0), 1.0);  // after the last point
    Scene s;
    EXPECT_EQ(pov_inside_at(s, 1.0), 1.0);
    EXPECT_EQ(body_gain_db_at(s, 1.0), 0.0);
    s.pov = p;
    s.body_gain_db = p;
    EXPECT_DOUBLE_EQ(pov_inside_at(s, 3.0), 15.0);
    EXPECT_DOUBLE_EQ(body_gain_db_at(s, 3.0), 15.0);
}

Scene three_keyframes() {
    Scene s;
    s.keyframes.resize(3);
    s.keyframes[0].time_s = 1.0;
    s.keyframes[1].time_s = 10.0;
    s.keyframes[1].transition = Transition{4.0, Curve::ease_in};
    s.keyframes[2].time_s = 20.0;  // no transition: a cut at 20 s
    return s;
}

TEST(SceneSpan, WeightsAroundTransitions) {
    const Scene s = three_keyframes();
    auto expect = [&](double t, std::size_t from, std::size_t to, double w) {
        const KeyframeSpan k = span_at(s, t);
        EXPECT_EQ(k.from, from) << "t = " << t;
        EXPECT_EQ(k.to, to) << "t = " << t;
        EXPECT_NEAR(k.weight, w, 1e-12) << "t = " << t;
    };
    expect(0.0, 0, 0, 0.0);    // before the first keyframe: its state
    expect(1.0, 0, 1, 0.0);
    expect(5.9, 0, 1, 0.0);    // before the transition starts (6 s)
    expect(6.0, 0, 1, 0.0);
    expect(8.0, 0, 1, 0.25);   // ease_in at x = 0.5
    expect(9.999, 0, 1, curve_value(Curve::ease_in, 3.999 / 4));
    expect(10.0, 1, 2, 0.0);   // the keyframe's state, exactly at its time
    expect(19.999, 1, 2, 0.0); // a cut holds the state until the next keyframe's time
    expect(20.0, 2, 2, 1.0);
    expect(1e6, 2, 2, 1.0);
}

TEST(SceneKeyframeListener, SeverityImplantOffIntensity) {
    Keyframe k;
    k.listener.left.air = Audiogram{{500, 4000}, {-10, 70}};
    k.listener.left.bone = Audiogram{{500, 4000}, {-10, 60}};
    k.listener.right.air = Audiogram{{1000}, {100}};
    k.listener.right_device.implant = std::make_shared<const ImplantParams>(implant_preset("nucleus-ace"));
    k.listener.right_device.acoustic = false;
    k.listener.left_device.implant = std::make_shared<const ImplantParams>(implant_preset("medel-cis"));
    k.listener.left_device.crossover_hz = 500;
    k.severity = 1.5;
    k.right.implant_on = true;
    k.right.intensity = 0.3;
    k.left.implant_on = false;
    const Listener l = keyframe_listener(k);
    EXPECT_EQ(l.left.air.hl_db, (std::vector<double>{-10, 105}));  // -15 clamped to -10
    EXPECT_EQ(l.left.bone.hl_db, (std::vector<double>{-10, 90}));
    EXPECT_EQ(l.right.air.hl_db, (std::vector<double>{120}));        // 150 clamped to 120
    EXPECT_FALSE(l.left_device.implant);                             // switched off: acoustic hearing only
    EXPECT_TRUE(l.left_device.acoustic);
    EXPECT_EQ(l.left_device.crossover_hz, 0.0);
    ASSERT_TRUE(l.right_device.implant);
    EXPECT_EQ(l.right_device.implant->intensity, 0.3);
    EXPECT_EQ(k.listener.right_device.implant->intensity, 1.0);      // the keyframe's own implant is unchanged
}

// --- scene files ----------------------------------------------------------------------------------------------
// A private folder for a test's files (listener, implant and scene files), removed afterwards.
class SceneFile : public ::testing::Test {
protected:
    SceneFile() {
        std::string pattern = (fs::temp_directory_path() / "earshot_scene_XXXXXX").string();
        dir_ = ::mkdtemp(pattern.data()) ? fs::path(pattern) : fs::path();
    }
    ~SceneFile() override {
        std::error_code ec;
        if (!dir_.empty()) fs::remove_all(dir_, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        fs::create_directories((dir_ / name).parent_path());
        std::ofstream(dir_ / name, std::ios::binary) << text;
        return (dir_ / name).string();
    }
    fs::path dir_;
};

// The earshot error f throws as "<type>: <message>" ("ConfigError: s.toml:3: ..."), or "no error".
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return std::string("ConfigError: ") + e.what();
    } catch (const IoError& e) {
        return std::string("IoError: ") + e.what();
    }
    return "no error";
}

// `error` is one line holding every one of `parts`.
::testing::AssertionResult one_line_with(const std::string& error, std::initializer_list<std::string> parts) {
    if (error.find('\n') != std::string::npos) return ::testing::AssertionFailure() << "multi-line: " << error;
    for (const std::string& part : parts)
        if (error.find(part) == std::string::npos) return ::testing::AssertionFailure() << error << " (lacks '" << part << "')";
    return ::testing::AssertionSuccess();
}

// A ConfigError starting "s.toml:<line>: " and holding the other parts.
#define EXPECT_SCENE_ERROR(text, line, ...)                                                                   \
    EXPECT_TRUE(one_line_with(error_of([&] { parse_scene_toml(text, "s.toml"); }),                           \
                              {"ConfigError: s.toml:" #line ": ", __VA_ARGS__}))

constexpr const char* kOne = "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n";  // lines 1-3

// --- accepted forms ------------------------------------------------------------------------------------------
TEST_F(SceneFile, EveryExampleIsValid) {
    const fs::path examples = fs::path(EARSHOT_TEST_DATA) / ".." / ".." / "examples" / "scenes";
    int n = 0;
    for (const auto& entry : fs::directory_iterator(examples)) {
        if (entry.path().extension() != ".toml") continue;
        SCOPED_TRACE(entry.path().string());
        const Scene s = read_scene_file(entry.path());
        EXPECT_FALSE(s.keyframes.empty());
        EXPECT_EQ(s.file, entry.path().string());
        ++n;
    }
    EXPECT_GE(n, 5);
}

TEST_F(SceneFile, FullScene) {
    const Scene s = parse_scene_toml(R"(name = "story"
description = "one of everything"
duration_s = 60
[[keyframe]]
time_s = 0
listener = "bisgaard:N1"
[[keyframe]]
time_s = 10
listener = "sudden-profound"
severity = 0.8
transition = { duration_s = 2, curve = "smooth" }
[[keyframe]]
time_s = 30
[keyframe.left]
implant = "nucleus-ace"
intensity = 0.6
[keyframe.right]
processor_off = true
[[tinnitus]]
start_s = 20
duration_s = 5
kind = "narrowband_noise"
freq_hz = 3000
level_db_sl = 15
ear = "left"
[[tinnitus]]
start_s = 10
kind = "ring_out"
freq_hz = 6000
level_db_spl = 60
decay_s = 2
[[pop]]
time_s = 10
level_db_spl = 130
ear = "right"
[[pov]]
time_s = 0
inside = 0
[[pov]]
time_s = 10
inside = 1
curve = "step"
[[body]]
time_s = 5
gain_db = -60
)", "dir/story.toml");
    EXPECT_EQ(s.name, "story");
    EXPECT_EQ(s.description, "one of everything");
    EXPECT_EQ(s.duration_s, 60.0);
    EXPECT_EQ(s.file, "dir/story.toml");
    ASSERT_EQ(s.keyframes.size(), 3u);
    const Keyframe &a = s.keyframes[0], &b = s.keyframes[1], &c = s.keyframes[2];
    EXPECT_EQ(a.line, 4);
    EXPECT_EQ(a.listener_label, "bisgaard:N1");
    EXPECT_FALSE(a.transition);
    EXPECT_EQ(a.severity, 1.0);
    EXPECT_EQ(b.listener_label, "sudden-profound");
    ASSERT_TRUE(b.transition);
    EXPECT_EQ(b.transition->duration_s, 2.0);
    EXPECT_EQ(b.transition->curve, Curve::smooth);
    EXPECT_EQ(b.severity, 0.8);
    // Keyframe 3 inherits keyframe 2's listener and severity and adds an implant on the left.
    EXPECT_EQ(c.listener_label, "sudden-profound");
    EXPECT_EQ(c.severity, 0.8);
    EXPECT_FALSE(c.transition);
    EXPECT_EQ(c.listener.right.air.hl_db, b.listener.right.air.hl_db);
    ASSERT_TRUE(c.listener.left_device.implant);
    EXPECT_FALSE(c.listener.left_device.acoustic);
    EXPECT_TRUE(c.left.implant_on);
    EXPECT_EQ(c.left.intensity, 0.6);
    EXPECT_FALSE(c.left.processor_off);
    EXPECT_FALSE(c.listener.right_device.implant);
    EXPECT_FALSE(c.right.implant_on);
    EXPECT_TRUE(c.right.processor_off);
    // Events sorted by time; defaults.
    ASSERT_EQ(s.tinnitus.size(), 2u);
    const TinnitusEvent &ring = s.tinnitus[0], &noise = s.tinnitus[1];
    EXPECT_EQ(ring.kind, TinnitusKind::ring_out);
    EXPECT_EQ(ring.level_db_spl, 60.0);
    EXPECT_FALSE(ring.level_db_sl);
    EXPECT_EQ(ring.attack_s, 0.05);
    EXPECT_TRUE(std::isinf(ring.end_s));  // a ring-out falls silent by itself
    EXPECT_EQ(ring.decay_s, 2.0);
    EXPECT_EQ(ring.release_s, 0.2);
    EXPECT_EQ(ring.ear, EarSel::both);
    EXPECT_EQ(noise.kind, TinnitusKind::narrowband_noise);
    EXPECT_EQ(noise.end_s, 25.0);
    EXPECT_NEAR(noise.bandwidth_hz, 3000 * (std::exp2(1.0 / 6) - std::exp2(-1.0 / 6)), 1e-9);  // a third octave
    EXPECT_EQ(noise.level_db_sl, 15.0);
    EXPECT_EQ(noise.ear, EarSel::left);
    ASSERT_EQ(s.pops.size(), 1u);
    EXPECT_EQ(s.pops[0].level_db_spl, 130.0);
    EXPECT_EQ(s.pops[0].ear, EarSel::right);
    ASSERT_EQ(s.pov.size(), 2u);
    EXPECT_EQ(s.pov[1].curve, Curve::step);
    EXPECT_EQ(s.pov[1].line, 39);
    ASSERT_EQ(s.body_gain_db.size(), 1u);
    EXPECT_EQ(s.body_gain_db[0].value, -60.0);
    EXPECT_EQ(s.last_time_s(), 30.0);
}

TEST_F(SceneFile, DefaultsNameFromFileAndToneTinnitusToTheEnd) {
    const Scene s = parse_scene_toml(std::string(kOne) + "[[tinnitus]]\nstart_s = 1\nfreq_hz = 4000\nlevel_db_spl = 30\n",
                                     "a/b/quiet.toml");
    EXPECT_EQ(s.name, "quiet");
    EXPECT_FALSE(s.duration_s);
    EXPECT_TRUE(std::isinf(s.tinnitus[0].end_s));
    EXPECT_EQ(s.tinnitus[0].kind, TinnitusKind::tone);
    EXPECT_TRUE(s.pov.empty());
}

TEST_F(SceneFile, InlineAudiogramsPerEarAndBoth) {
    const Scene s = parse_scene_toml(R"([[keyframe]]
time_s = 0
[keyframe.both]
freqs_hz = [500, 4000]
hl_db = [20, 40]
[[keyframe]]
time_s = 5
[keyframe.right]
freqs_hz = [1000]
hl_db = [60]
bone_freqs_hz = [1000]
bone_hl_db = [30]
[[keyframe]]
time_s = 6
[[keyframe]]
time_s = 7
listener = "bisgaard:N2"
[keyframe.left]
freqs_hz = [1000]
hl_db = [5]
)", "s.toml");
    const auto& k = s.keyframes;
    EXPECT_EQ(k[0].listener_label, "inline audiogram");
    EXPECT_EQ(k[0].listener.left.air.hl_db, (std::vector<double>{20, 40}));
    EXPECT_EQ(k[1].listener.left.air.hl_db, (std::vector<double>{20, 40}));  // kept from keyframe 1
    EXPECT_EQ(k[1].listener.right.air.hl_db, (std::vector<double>{60}));
    EXPECT_EQ(k[1].listener.right.bone.hl_db, (std::vector<double>{30}));
    EXPECT_EQ(k[2].listener.right.air.hl_db, (std::vector<double>{60}));     // nothing given: all kept
    EXPECT_EQ(k[3].listener_label, "bisgaard:N2 with inline left audiogram");
    EXPECT_EQ(k[3].listener.left.air.hl_db, (std::vector<double>{5}));
    EXPECT_EQ(k[3].listener.right.air.freqs_hz.size(), 10u);                  // the preset's right ear
}

TEST_F(SceneFile, ListenerAndImplantFilesBesideTheScene) {
    write("ears/granny.toml", "name = \"Granny\"\n[both]\nfreqs_hz = [1000]\nhl_db = [45]\n");
    write("maps/mine.json", R"({"preset": "nucleus-ace", "maxima": 10, "name": "my map"})");
    const std::string scene = write("s.toml", std::string(R"([[keyframe]]
time_s = 0
listener = "ears/granny.toml"
[keyframe.left]
implant = "maps/mine.json"
acoustic = true
[keyframe.right]
implant = { preset = "medel-cis", carrier = "sine" }
implant_on = false
[[keyframe]]
time_s = 4
[keyframe.both]
implant_on = true
[[keyframe]]
time_s = 8
[keyframe.right]
implant = { maxima = 4 }
)"));
    const Scene s = read_scene_file(scene);
    const auto& k = s.keyframes;
    EXPECT_EQ(k[0].listener_label, "ears/granny.toml");
    EXPECT_EQ(k[0].listener.name, "ears/granny.toml");
    EXPECT_EQ(k[0].listener.left.air.hl_db, (std::vector<double>{45}));
    ASSERT_TRUE(k[0].listener.left_device.implant);
    EXPECT_EQ(k[0].listener.left_device.implant->ace.maxima, 10);
    EXPECT_TRUE(k[0].listener.left_device.acoustic);
    EXPECT_TRUE(k[0].left.implant_on);  // an implant new to the ear starts on
    ASSERT_TRUE(k[0].listener.right_device.implant);
    EXPECT_EQ(k[0].listener.right_device.implant->name, "medel-cis (modified)");
    EXPECT_EQ(k[0].listener.right_device.implant->strategy, StrategyKind::cis);
    EXPECT_FALSE(k[0].right.implant_on);
    EXPECT_TRUE(k[1].right.implant_on);
    EXPECT_EQ(k[1].listener.right_device.implant, k[0].listener.right_device.implant);  // the same implant
    EXPECT_EQ(k[2].listener.right_device.implant->name, "inline implant");
    EXPECT_EQ(k[2].listener.right_device.implant->ace.maxima, 4);
}

TEST_F(SceneFile, EarSwitchesCarryOverUntilTheImplantChanges) {
    const Scene s = parse_scene_toml(R"([[keyframe]]
time_s = 0
listener = "sudden-profound"
[keyframe.both]
implant = "nucleus-ace"
implant_on = false
intensity = 0.4
processor_off = true
[[keyframe]]
time_s = 1
[[keyframe]]
time_s = 2
[keyframe.left]
implant = "medel-cis"
)", "s.toml");
    const auto& k = s.keyframes;
    EXPECT_FALSE(k[1].left.implant_on);
    EXPECT_EQ(k[1].left.intensity, 0.4);
    EXPECT_TRUE(k[1].left.processor_off);
    EXPECT_TRUE(k[2].left.implant_on);       // a new implant starts on at its own intensity
    EXPECT_EQ(k[2].left.intensity, 1.0);
    EXPECT_TRUE(k[2].left.processor_off);    // the processor stays off until switched on
    EXPECT_FALSE(k[2].right.implant_on);
}

// --- errors: file and syntax -----------------------------------------------------------------------------------
TEST_F(SceneFile, MissingFileAndDirectory) {
    EXPECT_TRUE(one_line_with(error_of([&] { read_scene_file(dir_ / "nope.toml"); }), {"IoError: ", "nope.toml", "no such file"}));
    fs::create_directory(dir_ / "d.toml");
    EXPECT_TRUE(one_line_with(error_of([&] { read_scene_file(dir_ / "d.toml"); }), {"IoError: ", "d.toml", "a directory"}));
}

TEST_F(SceneFile, TomlSyntaxErrorWithLineAndColumn) {
    EXPECT_TRUE(one_line_with(error_of([&] { parse_scene_toml("[[keyframe]]\ntime_s = 0\nlistener = \"normal\n", "s.toml"); }),
                                    {"IoError: ", "s.toml:3:", "TOML parse error"}));
    EXPECT_TRUE(one_line_with(error_of([&] { parse_scene_toml("name = \"x\"\nname = \"y\"\n", "s.toml"); }),
                                    {"IoError: ", "s.toml:2:8: TOML parse error", "redefine"}));
}

// --- errors: unknown keys at every level --------------------------------------------------------------------------
TEST_F(SceneFile, UnknownKeyAtEveryLevel) {
    EXPECT_SCENE_ERROR(std::string("durration_s = 3\n") + kOne, 1, "unknown key 'durration_s'", "accepted: name,");
    EXPECT_SCENE_ERROR(std::string(kOne) + "severty = 1\n", 4, "keyframe 1: unknown key 'severty'", "severity");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[keyframe]]\ntime_s = 1\n[keyframe.transition]\nduration_s = 1\nshape = \"step\"\n",
                       8, "keyframe 2: transition: unknown key 'shape'", "accepted: duration_s, curve");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.left]\nhl_dB = [10]\n", 5, "keyframe 1: left: unknown key 'hl_dB'");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[tinnitus]]\nstart_s = 0\nfreq_hz = 4000\nlevel_db_spl = 30\nlevle = 3\n", 8,
                       "tinnitus 1: unknown key 'levle'");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pop]]\ntime_s = 1\nloudness = 3\n", 6, "pop 1: unknown key 'loudness'");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pov]]\ntime_s = 1\ninside = 1\noutside = 0\n", 7, "pov 1: unknown key 'outside'");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[body]]\ntime_s = 1\ngain = 0\n", 6, "body 1: unknown key 'gain'",
                       "accepted: time_s, gain_db, curve");
}

TEST_F(SceneFile, UnknownImplantKeyNamesItsLine) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.left.implant]\npreset = \"nucleus-ace\"\nbandz = 3\n", 6,
                       "keyframe 1: left.implant: unknown key 'bandz'", "docs/implant-files.md");
}

// --- errors: keyframes ------------------------------------------------------------------------------------------
TEST_F(SceneFile, NoKeyframes) {
    EXPECT_SCENE_ERROR("name = \"x\"\n", 1, "keyframe: no [[keyframe]] tables");
    EXPECT_SCENE_ERROR("keyframe = 3\n", 1, "keyframe: expected [[keyframe]] tables, got a number");
    EXPECT_SCENE_ERROR("[keyframe]\ntime_s = 0\n", 1, "keyframe: expected [[keyframe]] tables, got a table");
}

TEST_F(SceneFile, KeyframeTimesNotStrictlyIncreasing) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[keyframe]]\ntime_s = 0\n", 5, "keyframe 2: time_s: 0 s is not after",
                       "strictly increase");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[keyframe]]\ntime_s = 5\n[[keyframe]]\ntime_s = 4.5\n", 7,
                       "keyframe 3: time_s: 4.5 s is not after the previous keyframe's 5 s");
}

TEST_F(SceneFile, TransitionLongerThanTheGapOverlaps) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[keyframe]]\ntime_s = 2\n[[keyframe]]\ntime_s = 5\n"
                                           "transition = { duration_s = 3.5 }\n",
                       8, "keyframe 3: transition.duration_s: 3.5 s is longer than the 3 s", "may not overlap");
    // Exactly the gap is fine.
    EXPECT_NO_THROW(parse_scene_toml(std::string(kOne) + "[[keyframe]]\ntime_s = 2\ntransition = { duration_s = 2 }\n", "s.toml"));
}

TEST_F(SceneFile, TransitionOnTheFirstKeyframe) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "transition = { duration_s = 1 }\n", 4, "keyframe 1: transition:",
                       "first keyframe");
}

TEST_F(SceneFile, TransitionNeedsDurationAndATable) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[keyframe]]\ntime_s = 2\n[keyframe.transition]\ncurve = \"step\"\n", 6,
                       "keyframe 2: transition.duration_s: missing");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[keyframe]]\ntime_s = 2\ntransition = 1\n", 6,
                       "keyframe 2: transition: expected a table, got a number");
}

TEST_F(SceneFile, MissingTimeAndListener) {
    EXPECT_SCENE_ERROR("[[keyframe]]\nlistener = \"normal\"\n", 1, "keyframe 1: time_s: missing");
    EXPECT_SCENE_ERROR("[[keyframe]]\ntime_s = 0\n", 1, "keyframe 1: both: no air-conduction thresholds",
                       "listener = PRESET|FILE");
    EXPECT_SCENE_ERROR("[[keyframe]]\ntime_s = 0\n[keyframe.left]\nfreqs_hz = [1000]\nhl_db = [20]\n", 1,
                       "keyframe 1: right: no air-conduction thresholds");
}

TEST_F(SceneFile, NegativeTimes) {
    EXPECT_SCENE_ERROR("[[keyframe]]\ntime_s = -1\nlistener = \"normal\"\n", 2,
                       "keyframe 1: time_s: -1 is out of range [0, 86400] s");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pop]]\ntime_s = -0.5\n", 5, "pop 1: time_s: -0.5 is out of range");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[tinnitus]]\nstart_s = -2\nfreq_hz = 4000\nlevel_db_spl = 30\n", 5,
                       "tinnitus 1: start_s: -2 is out of range");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pov]]\ntime_s = -1\ninside = 0\n", 5, "pov 1: time_s: -1 is out of range");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[keyframe]]\ntime_s = 1\ntransition = { duration_s = -1 }\n", 6,
                       "keyframe 2: transition.duration_s: -1 is out of range");
}

TEST_F(SceneFile, TimesBeyondDuration) {
    const std::string head = std::string("duration_s = 30\n") + kOne;  // keyframe on lines 2-4
    EXPECT_SCENE_ERROR(head + "[[keyframe]]\ntime_s = 31\n", 6, "keyframe 2: time_s: 31 s is beyond the scene's duration_s of 30 s");
    EXPECT_SCENE_ERROR(head + "[[pop]]\ntime_s = 40\n", 6, "pop 1: time_s: 40 s is beyond");
    EXPECT_SCENE_ERROR(head + "[[tinnitus]]\nstart_s = 1\nend_s = 35\nfreq_hz = 4000\nlevel_db_spl = 30\n", 7,
                       "tinnitus 1: end_s: 35 s is beyond");
    EXPECT_SCENE_ERROR(head + "[[tinnitus]]\nstart_s = 25\nduration_s = 10\nfreq_hz = 4000\nlevel_db_spl = 30\n", 7,
                       "tinnitus 1: duration_s: ends at 35 s, beyond the scene's duration_s of 30 s");
    EXPECT_SCENE_ERROR(head + "[[pov]]\ntime_s = 30.5\ninside = 1\n", 6, "pov 1: time_s: 30.5 s is beyond");
    EXPECT_SCENE_ERROR(head + "[[body]]\ntime_s = 99\ngain_db = 0\n", 6, "body 1: time_s: 99 s is beyond");
    EXPECT_SCENE_ERROR(std::string("duration_s = 0\n") + kOne, 1, "duration_s: 0 is out of range [0.001, 86400] s");
}

TEST_F(SceneFile, SeverityAndIntensityOutOfRange) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "severity = 2.5\n", 4, "keyframe 1: severity: 2.5 is out of range [0, 2]");
    EXPECT_SCENE_ERROR(std::string(kOne) + "severity = -0.1\n", 4, "keyframe 1: severity: -0.1 is out of range");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.both]\nimplant = \"nucleus-ace\"\nintensity = 1.2\n", 6,
                       "keyframe 1: both.intensity: 1.2 is out of range [0, 1]");
}

TEST_F(SceneFile, UnknownCurveNames) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[keyframe]]\ntime_s = 2\ntransition = { duration_s = 1, curve = \"bouncy\" }\n",
                       6, "keyframe 2: transition.curve: 'bouncy' is not one of linear, ease_in, ease_out, smooth, step");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pov]]\ntime_s = 0\ninside = 0\n[[pov]]\ntime_s = 1\ninside = 1\ncurve = \"cut\"\n",
                       10, "pov 2: curve: 'cut' is not one of linear,");
}

TEST_F(SceneFile, UnknownListenerPresetUsesTheListenerErrorText) {
    EXPECT_SCENE_ERROR("[[keyframe]]\ntime_s = 0\nlistener = \"bisgard:N3\"\n", 3,
                       "keyframe 1: listener: unknown preset 'bisgard:N3' (known: normal, bisgaard:N1..N7",
                       "nor is it a listener file");
    EXPECT_SCENE_ERROR("[[keyframe]]\ntime_s = 0\nlistener = \"iso7029:age=150,sex=female\"\n", 3,
                       "keyframe 1: listener: iso7029", "150");
    EXPECT_SCENE_ERROR("[[keyframe]]\ntime_s = 0\nlistener = \"\"\n", 3, "keyframe 1: listener: empty");
}

TEST_F(SceneFile, BadListenerFileNamesBothFiles) {
    write("bad.toml", "[both]\nfreqs_hz = [1000]\nhl_db = [130]\n");
    const std::string scene = write("s.toml", "\n[[keyframe]]\ntime_s = 0\nlistener = \"bad.toml\"\n");
    EXPECT_TRUE(one_line_with(error_of([&] { read_scene_file(scene); }),
                                        {"ConfigError: ", scene + ":4: keyframe 1: listener: ", (dir_ / "bad.toml").string(),
                                         "130 is out of range [-10, 120] dB HL"}));
    const std::string missing = write("m.toml", "[[keyframe]]\ntime_s = 0\nlistener = \"ears/none.toml\"\n");
    EXPECT_TRUE(one_line_with(error_of([&] { read_scene_file(missing); }),
                                    {"IoError: ", missing + ":3: keyframe 1: listener: ", (dir_ / "ears/none.toml").string()}));
}

TEST_F(SceneFile, BadImplantUsesTheImplantErrorTextWithTheSceneLine) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.left]\nimplant = \"nucleus-acee\"\n", 5,
                       "keyframe 1: left.implant: 'nucleus-acee' is not a preset");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.left.implant]\npreset = \"nucleus-ace\"\n\nmaxima = 30\n", 7,
                       "keyframe 1: left.implant.maxima: 30 is out of range");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.left]\nimplant = 3\n", 5,
                       "keyframe 1: left.implant: expected an implant preset, an implant .json file or a table");
    write("bad.json", R"({"maxima": 0})");
    const std::string scene = write("s.toml", std::string(kOne) + "[keyframe.right]\nimplant = \"bad.json\"\n");
    EXPECT_TRUE(one_line_with(error_of([&] { read_scene_file(scene); }),
                                        {"ConfigError: ", scene + ":5: keyframe 1: right.implant: ", "bad.json:1: maxima: 0"}));
    const std::string gone = write("g.toml", std::string(kOne) + "[keyframe.right]\nimplant = \"maps/none.json\"\n");
    EXPECT_TRUE(one_line_with(error_of([&] { read_scene_file(gone); }), {"IoError: ", gone + ":5: keyframe 1: right.implant: ", "cannot open"}));
}

TEST_F(SceneFile, ImplantSwitchesWithoutAnImplant) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.left]\nimplant_on = true\n", 5,
                       "keyframe 1: left.implant_on: this ear has no implant");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.both]\nintensity = 0.5\n", 5,
                       "keyframe 1: both.intensity: this ear has no implant");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.left]\nacoustic = false\n", 5,
                       "keyframe 1: left.acoustic: false needs an implant");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.left]\ncrossover_hz = 500\n", 5,
                       "keyframe 1: left.crossover_hz: needs an implant");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.left]\nimplant = \"nucleus-ace\"\ncrossover_hz = 5000\n", 6,
                       "keyframe 1: left.crossover_hz: 5000 is out of range [100, 4000] Hz");
    // implant_on = false without an implant says nothing wrong.
    EXPECT_NO_THROW(parse_scene_toml(std::string(kOne) + "[keyframe.left]\nimplant_on = false\n", "s.toml"));
}

TEST_F(SceneFile, BothCombinedWithOneEar) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.both]\nprocessor_off = true\n[keyframe.left]\nprocessor_off = false\n",
                       4, "keyframe 1: both: cannot be combined with left/right");
}

TEST_F(SceneFile, InlineAudiogramErrors) {
    const std::string kf = "[[keyframe]]\ntime_s = 0\n[keyframe.both]\n";  // keys from line 4
    EXPECT_SCENE_ERROR(kf + "freqs_hz = [500, 1000]\nhl_db = [20, 130]\n", 5,
                       "keyframe 1: both.hl_db: level at 1000 Hz: 130 is out of range [-10, 120] dB HL");
    EXPECT_SCENE_ERROR(kf + "freqs_hz = [1000, 500]\nhl_db = [20, 30]\n", 4,
                       "keyframe 1: both.freqs_hz: frequencies must be strictly ascending");
    EXPECT_SCENE_ERROR(kf + "freqs_hz = [100]\nhl_db = [20]\n", 4, "keyframe 1: both.freqs_hz: frequency 1: 100 is out of range [125, 16000] Hz");
    EXPECT_SCENE_ERROR(kf + "freqs_hz = [500, 1000]\nhl_db = [20]\n", 5, "keyframe 1: both.hl_db: 1 values but freqs_hz has 2");
    EXPECT_SCENE_ERROR(kf + "freqs_hz = [500]\n", 4, "keyframe 1: both.freqs_hz: given without hl_db");
    EXPECT_SCENE_ERROR(kf + "freqs_hz = []\nhl_db = []\n", 4, "keyframe 1: both.freqs_hz: empty");
    EXPECT_SCENE_ERROR(kf + "freqs_hz = [1000]\nhl_db = [\"loud\"]\n", 5, "keyframe 1: both.hl_db: value 1: expected a number, got a string");
    EXPECT_SCENE_ERROR(kf + "freqs_hz = [1000]\nhl_db = [20]\nbone_freqs_hz = [1000]\nbone_hl_db = [45]\n", 7,
                       "keyframe 1: both.bone_hl_db: at 1000 Hz the bone threshold 45 dB HL is more than 10 dB above");
}

// --- errors: events ----------------------------------------------------------------------------------------------
const std::string kTin = std::string(kOne) + "[[tinnitus]]\nstart_s = 1\nfreq_hz = 4000\n";  // tinnitus keys from line 5

TEST_F(SceneFile, TinnitusLevelsOutOfRange) {
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = 121\n", 7, "tinnitus 1: level_db_spl: 121 is out of range [0, 120] dB SPL");
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = -1\n", 7, "tinnitus 1: level_db_spl: -1 is out of range");
    EXPECT_SCENE_ERROR(kTin + "level_db_sl = 81\n", 7, "tinnitus 1: level_db_sl: 81 is out of range [-10, 80] dB SL");
    EXPECT_SCENE_ERROR(kTin + "level_db_sl = -11\n", 7, "tinnitus 1: level_db_sl: -11 is out of range");
    EXPECT_SCENE_ERROR(kTin, 4, "tinnitus 1: level_db_spl: missing");
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = 30\nlevel_db_sl = 10\n", 8, "tinnitus 1: level_db_sl: give either level_db_spl or level_db_sl");
}

TEST_F(SceneFile, PopLevelOutOfRange) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pop]]\ntime_s = 1\nlevel_db_spl = 141\n", 6,
                       "pop 1: level_db_spl: 141 is out of range [0, 140] dB SPL");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pop]]\ntime_s = 1\nlevel_db_spl = -1\n", 6, "pop 1: level_db_spl: -1 is out of range");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pop]]\ntime_s = 1\near = \"middle\"\n", 6,
                       "pop 1: ear: 'middle' is not one of left, right, both");
}

TEST_F(SceneFile, BodyGainOutOfRange) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[body]]\ntime_s = 1\ngain_db = 25\n", 6,
                       "body 1: gain_db: 25 is out of range [-120, 24] dB");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[body]]\ntime_s = 1\ngain_db = -121\n", 6, "body 1: gain_db: -121 is out of range");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pov]]\ntime_s = 1\ninside = 1.5\n", 6, "pov 1: inside: 1.5 is out of range [0, 1]");
}

TEST_F(SceneFile, FrequenciesOutOfRange) {
    const std::string tin = std::string(kOne) + "[[tinnitus]]\nstart_s = 1\nlevel_db_spl = 30\n";  // freq on line 7
    EXPECT_SCENE_ERROR(tin + "freq_hz = 19\n", 7, "tinnitus 1: freq_hz: 19 is out of range [20, 20000] Hz");
    EXPECT_SCENE_ERROR(tin + "freq_hz = 20001\n", 7, "tinnitus 1: freq_hz: 20001 is out of range");
    EXPECT_SCENE_ERROR(tin, 4, "tinnitus 1: freq_hz: missing");
    EXPECT_SCENE_ERROR(tin + "freq_hz = 100\nkind = \"narrowband_noise\"\nbandwidth_hz = 200\n", 9,
                       "tinnitus 1: bandwidth_hz: 200 Hz is wider than freq_hz = 100 Hz (accepted: [10, freq_hz] Hz)");
    EXPECT_SCENE_ERROR(tin + "freq_hz = 100\nkind = \"narrowband_noise\"\nbandwidth_hz = 5\n", 9,
                       "tinnitus 1: bandwidth_hz: 5 is out of range [10, 20000] Hz");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[tinnitus]]\nstart_s = 1\nfreq_hz = 14000\nlevel_db_sl = 10\n", 7,
                       "tinnitus 1: level_db_sl: needs freq_hz <= 12500 Hz");
}

TEST_F(SceneFile, TinnitusKindSpecificKeys) {
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = 30\nbandwidth_hz = 100\n", 8, "tinnitus 1: bandwidth_hz: only for kind = \"narrowband_noise\"");
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = 30\ndecay_s = 3\n", 8, "tinnitus 1: decay_s: only for kind = \"ring_out\"");
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = 30\nkind = \"hum\"\n", 8, "tinnitus 1: kind: 'hum' is not one of tone, narrowband_noise, ring_out",
                       "tone, narrowband_noise, ring_out");
}

TEST_F(SceneFile, EventEndBeforeStart) {
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = 30\nend_s = 0.5\n", 8, "tinnitus 1: end_s: 0.5 s is not after start_s = 1 s");
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = 30\nend_s = 1\n", 8, "tinnitus 1: end_s: 1 s is not after start_s");
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = 30\nduration_s = 0\n", 8, "tinnitus 1: duration_s: 0 is out of range");
    EXPECT_SCENE_ERROR(kTin + "level_db_spl = 30\nend_s = 3\nduration_s = 2\n", 9, "tinnitus 1: duration_s: give either end_s or duration_s");
}

// --- errors: automation -------------------------------------------------------------------------------------------
TEST_F(SceneFile, AutomationPointsNotIncreasing) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pov]]\ntime_s = 2\ninside = 0\n[[pov]]\ntime_s = 2\ninside = 1\n", 8,
                       "pov 2: time_s: 2 s is not after the previous point's 2 s");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[body]]\ntime_s = 2\ngain_db = 0\n[[body]]\ntime_s = 1\ngain_db = 0\n", 8,
                       "body 2: time_s: 1 s is not after the previous point's 2 s");
}

TEST_F(SceneFile, AutomationMissingValueAndFirstCurve) {
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pov]]\ntime_s = 2\n", 4, "pov 1: inside: missing");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[body]]\ntime_s = 2\ngain_db = 0\ncurve = \"smooth\"\n", 7,
                       "body 1: curve: the first point has no previous point");
}

// --- errors: value types ------------------------------------------------------------------------------------------
TEST_F(SceneFile, WrongValueTypes) {
    EXPECT_SCENE_ERROR("[[keyframe]]\ntime_s = \"zero\"\n", 2, "keyframe 1: time_s: expected a number, got a string");
    EXPECT_SCENE_ERROR("[[keyframe]]\ntime_s = 1979-05-27\n", 2, "keyframe 1: time_s: dates and times are not accepted here");
    EXPECT_SCENE_ERROR("[[keyframe]]\ntime_s = 0\nlistener = 3\n", 3, "keyframe 1: listener: expected a string, got a number");
    EXPECT_SCENE_ERROR(std::string(kOne) + "severity = true\n", 4, "keyframe 1: severity: expected a number, got a boolean");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.right]\nprocessor_off = 1\n", 5,
                       "keyframe 1: right.processor_off: expected true or false, got a number");
    EXPECT_SCENE_ERROR(std::string(kOne) + "left = \"deaf\"\n", 4, "keyframe 1: left: expected a table, got a string");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[keyframe.both]\nfreqs_hz = 1000\nhl_db = [10]\n", 5,
                       "keyframe 1: both.freqs_hz: expected an array of numbers, got a number");
    EXPECT_SCENE_ERROR(std::string("name = 5\n") + kOne, 1, "name: expected a string, got a number");
    EXPECT_SCENE_ERROR(std::string(kOne) + "[[pov]]\ntime_s = 0\ninside = 1\n[[pov]]\ntime_s = 1\ninside = 0\ncurve = 2\n",
                       10, "pov 2: curve: expected a string, got a number");
    EXPECT_SCENE_ERROR(std::string(kOne) + "pop = [1, 2]\n", 4, "keyframe 1: unknown key 'pop'");
    EXPECT_SCENE_ERROR(std::string("pop = [1, 2]\n") + kOne, 1, "pop: expected [[pop]] tables, got an array");
}

}  // namespace
}  // namespace earshot
