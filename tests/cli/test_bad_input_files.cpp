// The bad-input catalogue (tests/cli/bad_input.hpp) for the files earshot reads and the files they name:
// listener files (render --listener, listener show), implant files (render --implant, electrodogram
// --implant) and scene files (scene check, render --scene). Each case is a different way a file can be
// wrong: not a regular file (FIFO, a symlink to /dev/zero, a directory), too large, a reference cycle or a
// chain too deep, bytes the parsers object to (syntax, number overflow, nesting, duplicate keys, non-UTF-8),
// control characters or a NUL that must come out escaped, wrong types and out-of-range values. Commands that
// would block on a FIFO without the fix run under `timeout 10` (a hang fails the exit-code check with 124).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/bad_input.hpp"

namespace earshot::test {
namespace {

constexpr const char* kGuard = "timeout 10";

class FilesTest : public BadInputTest {
protected:
    void SetUp() override {
        BadInputTest::SetUp();
        write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    }
    std::string write_text(const std::string& name, const std::string& s) {
        fs::create_directories(path(name).parent_path());
        std::ofstream(path(name), std::ios::binary) << s;
        return quote(path(name));
    }
    std::string fifo(const std::string& name) {
        EXPECT_EQ(::mkfifo(path(name).c_str(), 0600), 0);
        return quote(path(name));
    }
    std::string dev_zero(const std::string& name) {
        fs::create_symlink("/dev/zero", path(name));
        return quote(path(name));
    }
    // A file of 17 MiB (one past the 16 MiB cap; sparse, so cheap to make).
    std::string oversize(const std::string& name, const std::string& start) {
        write_text(name, start);
        fs::resize_file(path(name), std::uintmax_t{17} << 20);
        return quote(path(name));
    }
    std::string render(const std::string& opts) {
        return "render " + quote(path("in.wav")) + " " + quote(path("out.wav")) + " " + opts;
    }
    std::string electrodogram(const std::string& opts) {
        return "electrodogram " + quote(path("in.wav")) + " " + quote(path("out.csv")) + " " + opts;
    }
    static std::string nested(int n) { return std::string(std::size_t(n), '[') + std::string(std::size_t(n), ']'); }
    static constexpr const char* kAudiogram = "freqs_hz = [500, 1000, 2000, 4000]\nhl_db = [20, 30, 40, 50]\n";
};

class BadInput_Listener : public FilesTest {};
class BadInput_Implant : public FilesTest {};
class BadInput_Scene : public FilesTest {};

// --- listener files ------------------------------------------------------------------------------------------
TEST_F(BadInput_Listener, FifoDoesNotBlock) {
    expect_refused(render("--listener " + fifo("pipe.json")), 1, {"pipe.json", "FIFO", "regular files"}, kGuard);
}

TEST_F(BadInput_Listener, SymlinkToDevZeroIsNotRead) {
    expect_refused("listener show " + dev_zero("zero.toml"), 1, {"zero.toml", "character device"}, kGuard);
}

TEST_F(BadInput_Listener, Directory) {
    fs::create_directories(path("folder.json"));
    expect_refused(render("--listener " + quote(path("folder.json"))), 1, {"folder.json", "a directory"});
}

TEST_F(BadInput_Listener, LargerThanTheCap) {
    expect_refused("listener show " + oversize("huge.json", "{\"both\": {\"freqs_hz\": ["), 1, {"huge.json", "17 MiB", "16 MiB limit"});
}

TEST_F(BadInput_Listener, JsonNumberOverflow) {
    const auto f = write_text("ov.json", R"({"both": {"freqs_hz": [1000], "hl_db": [1e999]}})");
    expect_refused(render("--listener " + f), 2, {"ov.json", "number out of range", "1e999"});
}

TEST_F(BadInput_Listener, NulInAKeyIsShownEscapedAndWhole) {
    const auto f = write_text("nul.json", R"({"both": {"freqs\u0000_hz": [1000], "hl_db": [10]}})");
    expect_refused("listener show " + f, 2, {"nul.json", "unknown key 'freqs\\x00_hz'", "accepted: freqs_hz"});
}

TEST_F(BadInput_Listener, EscapeSequenceInATomlKeyIsNotEchoedRaw) {
    const auto f = write_text("esc.toml", "\"\\u001b[2Jboth\" = 1\n");
    expect_refused("listener show " + f, 2, {"esc.toml", "\\x1b[2Jboth", "accepted: name"});
}

TEST_F(BadInput_Listener, TomlSyntaxError) {
    const auto f = write_text("syn.toml", std::string("[both]\n") + "freqs_hz = [500, 1000\n");
    expect_refused(render("--listener " + f), 1, {"syn.toml:", "TOML parse error"});
}

TEST_F(BadInput_Listener, JsonNestedTooDeep) {
    const auto f = write_text("deep.json", "{\"both\": " + nested(100000) + "}");
    expect_refused("listener show " + f, 2, {"deep.json", "nested more than 64"});
}

TEST_F(BadInput_Listener, DuplicateJsonKey) {
    const auto f = write_text("dup.json", R"({"preset": "bisgaard:N2", "preset": "normal"})");
    expect_refused("listener show " + f, 2, {"dup.json", "'preset' is given twice"});
}

TEST_F(BadInput_Listener, DuplicateTomlKey) {
    const auto f = write_text("dup.toml", "preset = \"bisgaard:N2\"\npreset = \"normal\"\n");
    expect_refused("listener show " + f, 1, {"dup.toml:2:", "preset"});
}

TEST_F(BadInput_Listener, WrongTypeForLevels) {
    const auto f = write_text("wt.json", R"({"both": {"freqs_hz": [1000], "hl_db": "loud"}})");
    expect_refused(render("--listener " + f), 2, {"wt.json", "both.hl_db", "expected an array of numbers, got a string"});
}

TEST_F(BadInput_Listener, HugeFiniteLevelNamesTheRange) {
    const auto f = write_text("big.json", R"({"both": {"freqs_hz": [1000], "hl_db": [1e308]}})");
    expect_refused(render("--listener " + f), 2, {"big.json", "both.hl_db: at 1000 Hz", "[-10, 120] dB HL"});
}

TEST_F(BadInput_Listener, NotUtf8) {
    const auto f = write_text("latin1.json", "{\"name\": \"J\xf6rg\", \"preset\": \"normal\"}");
    expect_refused("listener show " + f, 1, {"latin1.json", "UTF-8", "\\xf6"});
}

TEST_F(BadInput_Listener, EmptyJson) {
    const auto f = write_text("empty.json", "");
    expect_refused(render("--listener " + f), 1, {"empty.json:1:1", "unexpected end of input"});
}

TEST_F(BadInput_Listener, ImplantThatNamesItself) {
    write_text("self.json", "\"self.json\"");
    const auto f = write_text("me.toml", std::string("[left]\n") + kAudiogram + "[right]\nimplant = \"self.json\"\n");
    expect_refused(render("--listener " + f), 2, {"me.toml -> ", "self.json -> ", "a reference cycle"});
}

TEST_F(BadInput_Listener, ImplantNamedBesideTheListenerIsMissing) {
    // "maps/ci.json" is looked for beside the listener file (people/maps/ci.json), and named so.
    write_text("maps/ci.json", R"({"preset": "medel-cis"})");
    const auto f = write_text("people/me.toml", "[both]\nimplant = \"maps/ci.json\"\n");
    expect_refused("listener show " + f, 1, {"people/maps/ci.json", "no such file"});
}

// --- implant files -------------------------------------------------------------------------------------------
TEST_F(BadInput_Implant, FifoDoesNotBlock) {
    expect_refused(electrodogram("--implant " + fifo("map.json")), 1, {"map.json", "FIFO", "not an implant file"}, kGuard);
}

TEST_F(BadInput_Implant, SymlinkToDevZeroIsNotRead) {
    expect_refused(render("--implant " + dev_zero("zero.json")), 1, {"zero.json", "character device"}, kGuard);
}

TEST_F(BadInput_Implant, NamesItself) {
    const auto f = write_text("self.json", "\"self.json\"");
    expect_refused(render("--implant " + f), 2, {"self.json -> ", "self.json: a reference cycle"});
}

TEST_F(BadInput_Implant, TwoFilesNameEachOther) {
    const auto a = write_text("a.json", "\"b.json\"");
    write_text("b.json", "\"a.json\"");
    expect_refused(electrodogram("--implant " + a), 2, {"a.json -> ", "b.json -> ", "a.json: a reference cycle"});
}

TEST_F(BadInput_Implant, ChainOfNineReferences) {
    for (int i = 0; i < 9; ++i) write_text("m" + std::to_string(i) + ".json", "\"m" + std::to_string(i + 1) + ".json\"");
    write_text("m9.json", R"({"preset": "nucleus-ace"})");
    expect_refused(render("--implant " + quote(path("m0.json"))), 2, {"m0.json -> ", "m9.json", "deeper than 8 levels"});
}

TEST_F(BadInput_Implant, LargerThanTheCap) {
    expect_refused(electrodogram("--implant " + oversize("big.json", "{\"bands\": 8")), 1, {"big.json", "16 MiB limit", "implant file"});
}

TEST_F(BadInput_Implant, JsonNumberOverflow) {
    const auto f = write_text("ov.json", R"({"gain_db": -1e400})");
    expect_refused(electrodogram("--implant " + f), 2, {"ov.json", "number out of range", "-1e400"});
}

TEST_F(BadInput_Implant, WrongType) {
    const auto f = write_text("wt.json", R"({"bands": [8]})");
    expect_refused(render("--implant " + f), 2, {"wt.json", "bands", "expected a number"});
}

TEST_F(BadInput_Implant, WholeNumberTooLargeForAnInteger) {
    // 1e300 is whole but no int holds it: refused with the range, never converted.
    const auto f = write_text("deact.json", R"({"deactivated": [3, 1e300]})");
    expect_refused(render("--implant " + f), 2, {"deact.json", "deactivated", "out of range [-1e6, 1e6]"});
}

TEST_F(BadInput_Implant, TrailingComma) {
    const auto f = write_text("comma.json", "{\"bands\": 8,\n}");
    expect_refused(electrodogram("--implant " + f), 2, {"comma.json:2:1", "JSON parse error"});
}

TEST_F(BadInput_Implant, ReferenceIsResolvedBesideTheReferringFile) {
    // maps/a.json names "b.json": that is maps/b.json, absent (./b.json exists but is not it).
    write_text("b.json", R"({"preset": "nucleus-ace"})");
    const auto f = write_text("maps/a.json", "\"b.json\"");
    expect_refused(render("--implant " + f), 1, {"maps/b.json", "no such file"});
}

TEST_F(BadInput_Implant, BellCharacterInAKey) {
    const auto f = write_text("bel.json", R"({"band\u0007s": 8})");
    expect_refused(render("--implant " + f), 2, {"bel.json", "unknown key 'band\\x07s'"});
}

TEST_F(BadInput_Implant, NestedTooDeep) {
    const auto f = write_text("deep.json", "{\"t_level\": " + nested(5000) + "}");
    expect_refused(electrodogram("--implant " + f), 2, {"deep.json", "nested more than 64"});
}

TEST_F(BadInput_Implant, DuplicateKey) {
    const auto f = write_text("dup.json", R"({"maxima": 8, "bands": 22, "maxima": 30})");
    expect_refused(render("--implant " + f), 2, {"dup.json", "'maxima' is given twice"});
}

// --- scene files ------------------------------------------------------------------------------------------------
TEST_F(BadInput_Scene, FifoDoesNotBlock) {
    expect_refused("scene check " + fifo("story.toml"), 2, {"story.toml", "FIFO", "not a scene file"}, kGuard);
}

TEST_F(BadInput_Scene, SymlinkToDevZeroIsNotRead) {
    expect_refused(render("--scene " + dev_zero("zero.toml")), 1, {"zero.toml", "character device"}, kGuard);
}

TEST_F(BadInput_Scene, ListenerItNamesIsAFifo) {
    fifo("pipe.toml");
    const auto s = write_text("s.toml", "[[keyframe]]\ntime_s = 0\nlistener = \"pipe.toml\"\n");
    expect_refused("scene check " + s, 2, {"s.toml:3: keyframe 1: listener: ", "pipe.toml", "FIFO"}, kGuard);
}

TEST_F(BadInput_Scene, ListenerWhoseImplantNamesItself) {
    write_text("loop.json", "\"loop.json\"");
    write_text("ci.toml", "[both]\nimplant = \"loop.json\"\n");
    const auto s = write_text("s.toml", "[[keyframe]]\ntime_s = 0\nlistener = \"ci.toml\"\n");
    expect_refused("scene check " + s, 2, {"s.toml -> ", "ci.toml -> ", "loop.json -> ", "a reference cycle"});
}

TEST_F(BadInput_Scene, EarImplantsThatNameEachOther) {
    write_text("x.json", "\"y.json\"");
    write_text("y.json", "\"x.json\"");
    const auto s = write_text("s.toml", std::string("[[keyframe]]\ntime_s = 0\n[keyframe.both]\n") + kAudiogram +
                                            "implant = \"x.json\"\n");
    expect_refused(render("--scene " + s), 2, {"s.toml:", "both.implant", "x.json -> ", "y.json -> ", "cycle"});
}

TEST_F(BadInput_Scene, LargerThanTheCap) {
    expect_refused("scene check " + oversize("long.toml", "[[keyframe]]\n"), 2, {"long.toml", "16 MiB limit", "scene file"});
}

TEST_F(BadInput_Scene, TomlSyntaxError) {
    const auto s = write_text("syn.toml", "[[keyframe]]\ntime_s = = 0\n");
    expect_refused("scene check " + s, 2, {"syn.toml:2:", "TOML parse error"});
}

TEST_F(BadInput_Scene, NulInAKeyIsShownEscapedAndWhole) {
    const auto s = write_text("nul.toml", "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n\"sev\\u0000erity\" = 1\n");
    expect_refused("scene check " + s, 2, {"nul.toml:4: keyframe 1: unknown key 'sev\\x00erity'", "accepted: time_s"});
}

TEST_F(BadInput_Scene, WrongTypeForATime) {
    const auto s = write_text("wt.toml", "[[keyframe]]\ntime_s = \"zero\"\nlistener = \"normal\"\n");
    expect_refused(render("--scene " + s), 2, {"wt.toml:2: keyframe 1: time_s", "expected a number, got a string"});
}

TEST_F(BadInput_Scene, EscapeSequenceInAValueIsNotEchoedRaw) {
    const auto s = write_text("esc.toml", "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n[[keyframe]]\ntime_s = 1\n"
                                          "[keyframe.transition]\nduration_s = 1\ncurve = \"\\u001b]0;pwned\\u0007\"\n");
    expect_refused("scene check " + s, 2, {"esc.toml:8: keyframe 2: transition.curve", "\\x1b]0;pwned\\x07"});
}

TEST_F(BadInput_Scene, InlineArraysNestedTooDeep) {
    const auto s = write_text("deep.toml", "x = " + nested(1000) + "\n");
    expect_refused("scene check " + s, 2, {"deep.toml:1:", "maximum nested value depth"});
}

TEST_F(BadInput_Scene, ListenerIsLookedForBesideTheScene) {
    write_text("me.toml", "preset = \"bisgaard:N2\"\n");  // in the working folder of the test, not beside the scene
    const auto s = write_text("scenes/s.toml", "[[keyframe]]\ntime_s = 0\nlistener = \"me.toml\"\n");
    expect_refused("scene check " + s, 2, {"scenes/me.toml", "no such file"});
}

TEST_F(BadInput_Scene, InlineImplantTableWithAHugeInteger) {
    const auto s = write_text("big.toml", std::string("[[keyframe]]\ntime_s = 0\n[keyframe.right]\n") + kAudiogram +
                                              "[keyframe.right.implant]\nelectrodes = [1e300]\n");
    expect_refused("scene check " + s, 2, {"big.toml:", "right.implant", "electrodes", "out of range"});
}

}  // namespace
}  // namespace earshot::test
