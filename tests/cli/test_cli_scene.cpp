// earshot scene check FILE.toml: a summary of every bundled example and exit 0; a bad scene is one line
// naming the file and line, and exit 2.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_helpers.hpp"

namespace earshot::test {
namespace {

const fs::path kExamples = fs::path(EARSHOT_TEST_DATA) / ".." / ".." / "examples" / "scenes";

class CliScene : public CliTest {
protected:
    fs::path write_text(const std::string& name, const std::string& s) {
        const fs::path p = path(name);
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << s;
        return p;
    }
    void expect_has(const std::string& out, std::initializer_list<std::string> parts) {
        for (const auto& p : parts) EXPECT_NE(out.find(p), std::string::npos) << "lacks '" << p << "' in:\n" << out;
    }
};

TEST_F(CliScene, EveryExampleChecks) {
    int n = 0;
    for (const auto& entry : fs::directory_iterator(kExamples)) {
        if (entry.path().extension() != ".toml") continue;
        SCOPED_TRACE(entry.path().string());
        const auto r = run("scene check " + quote(entry.path()));
        EXPECT_EQ(r.code, 0) << r.err;
        EXPECT_TRUE(r.err.empty()) << r.err;
        expect_has(r.out, {"scene: ", "duration: ", "keyframes: ", "events: ", "pov ", "body bus gain: ", "\nok\n"});
        ++n;
    }
    EXPECT_GE(n, 5);
}

TEST_F(CliScene, SummaryOfTheStory) {
    const auto r = run("scene check " + quote(kExamples / "sudden-loss-implant.toml"));
    ASSERT_EQ(r.code, 0) << r.err;
    expect_has(r.out, {"scene: sudden-loss-implant", "duration: 60 s (duration_s)", "keyframes: 5",
                       "12 s  sudden-profound; transition 0.4 s ease_out from 11.6 s",
                       "both ears: implant nucleus-ace off, processor off (hears only the body)",
                       "both ears: implant nucleus-ace on, intensity 1",
                       "both ears: implant nucleus-ace-experienced on", "events: 3", "pop            12 s  125 dB SPL, both ears",
                       "ring_out 6000 Hz, 70 dB SPL", "narrowband_noise 4000 Hz (1000 Hz wide), 10 dB above threshold",
                       "pov (inside: 1 = the listener, 0 = outside): 4 points", "12 s  1  (step from 0 s)",
                       "body bus gain: 3 points", "31 s  0 dB  (ease_out from 28 s)"});
}

TEST_F(CliScene, DurationFromTheInputWhenNotGiven) {
    const auto r = run("scene check " + quote(kExamples / "pov-cut.toml"));
    ASSERT_EQ(r.code, 0) << r.err;
    expect_has(r.out, {"duration: the input's (the scene names times up to 20 s)", "body bus gain: 0 dB throughout"});
}

TEST_F(CliScene, ListenerFileBesideTheSceneFromAnotherFolder) {
    write_text("ears/me.toml", "name = \"me\"\n[left]\nfreqs_hz = [1000]\nhl_db = [40]\n[right]\nfreqs_hz = [1000]\nhl_db = [10]\n");
    const fs::path scene = write_text("s.toml", "[[keyframe]]\ntime_s = 0\nlistener = \"ears/me.toml\"\n");
    const auto r = run("scene check " + quote(scene), "", "cd / &&");
    EXPECT_EQ(r.code, 0) << r.err;
    expect_has(r.out, {"ears/me.toml"});
}

TEST_F(CliScene, InvalidSceneIsOneLineNamingFileAndLineExit2) {
    const fs::path scene = write_text("bad.toml", "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n[[keyframe]]\ntime_s = 5\n"
                                                  "severity = 3\n");
    const auto r = run("scene check " + quote(scene));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    expect_has(r.err, {"bad.toml:6: keyframe 2: severity: 3 is out of range [0, 2]"});
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(CliScene, SyntaxErrorAndMissingFileExit2) {
    const fs::path scene = write_text("syntax.toml", "[[keyframe]]\ntime_s = = 0\n");
    auto r = run("scene check " + quote(scene));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    expect_has(r.err, {"syntax.toml:2:", "TOML parse error"});
    r = run("scene check " + quote(path("nope.toml")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    expect_has(r.err, {"nope.toml: cannot open scene file (no such file)"});
}

TEST_F(CliScene, UsageErrors) {
    auto r = run("scene");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    r = run("scene check");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
}

}  // namespace
}  // namespace earshot::test
