// The bad-input catalogue (tests/cli/bad_input.hpp), options: numeric values that are not numbers, not
// finite, overflow, or leave their range; misspelt options and subcommands, across every subcommand.
// Each case: exit 2, one stderr line naming the option (or subcommand) and, where there is one, its
// accepted range or the nearest valid name; inputs unchanged (SHA-256), nothing left behind.
#include <gtest/gtest.h>

#include "cli/bad_input.hpp"

namespace earshot::test {
namespace {

class BadInput_Options : public BadInputTest {
protected:
    void SetUp() override {
        BadInputTest::SetUp();
        write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    }
    std::string render(const std::string& opts) const {
        return "render " + quote(path("in.wav")) + " " + quote(path("out.wav")) + " --listener bisgaard:N2 " + opts;
    }
    std::string electrodogram(const std::string& opts) const {
        return "electrodogram " + quote(path("in.wav")) + " " + quote(path("out.csv")) + " --implant nucleus-ace " + opts;
    }
    std::string score(const std::string& opts) const {
        return "score " + quote(path("in.wav")) + " " + quote(path("in.wav")) + " " + opts;
    }
};

// --- values -----------------------------------------------------------------------------------------
TEST_F(BadInput_Options, RenderLevelZeroNamesTheLevelAndItsRangeForThisFile) {
    // 0 dB SPL is inside --level-db-spl's own range but would put 0 dBFS far below the model's calibration
    // range: the message names --level-db-spl and the range of levels this file can be presented at.
    expect_refused(render("--level-db-spl 0"), 2, {"--level-db-spl", "in.wav", "out of range ["});
}

TEST_F(BadInput_Options, RenderLevelAboveWhatThisFileAllows) {
    // a -20 dBFS file at 125 dB SPL puts 0 dBFS at ~145 dB SPL, above the 140 dB SPL ceiling
    expect_refused(render("--level-db-spl 125"), 2, {"--level-db-spl", "in.wav", "[60, 140]"});
}

TEST_F(BadInput_Options, RenderLevelNaN) {
    expect_refused(render("--level-db-spl nan"), 2, {"--level-db-spl", "'nan'", "[0, 130] dB SPL"});
}

TEST_F(BadInput_Options, RenderFullScaleOverflowsDouble) {
    expect_refused(render("--full-scale-db-spl 1e400"), 2, {"--full-scale-db-spl", "1e400 is out of range [60, 140] dB SPL"});
}

TEST_F(BadInput_Options, RenderLimitInfinite) {
    expect_refused(render("--limit-dbfs inf"), 2, {"--limit-dbfs", "'inf'", "[-60, 0] dBFS"});
}

TEST_F(BadInput_Options, RenderLevelHexFloat) {
    // strtod would read 0x41 as 65; only plain decimals are numbers here
    expect_refused(render("--level-db-spl 0x41"), 2, {"--level-db-spl", "'0x41'", "[0, 130]"});
}

TEST_F(BadInput_Options, RenderIntensityEmpty) {
    expect_refused("render " + quote(path("in.wav")) + " " + quote(path("out.wav")) + " --implant nucleus-ace --intensity ''",
                   2, {"--intensity", "''", "[0, 1]"});
}

TEST_F(BadInput_Options, RenderCrossoverTrailingText) {
    expect_refused(render("--implant nucleus-ace --crossover-hz 500Hz"), 2, {"--crossover-hz", "'500Hz'", "[100, 4000] Hz"});
}

TEST_F(BadInput_Options, RenderJobsZero) {
    expect_refused(render("--jobs 0"), 2, {"--jobs", "0 is out of range [1, 1024]"});
}

TEST_F(BadInput_Options, RenderJobsNegativeZero) {
    expect_refused(render("--jobs -0"), 2, {"--jobs", "-0 is out of range [1, 1024]"});
}

TEST_F(BadInput_Options, RenderJobsFraction) {
    expect_refused(render("-j 2.5"), 2, {"--jobs", "'2.5'", "whole number", "[1, 1024]"});
}

TEST_F(BadInput_Options, RenderBlockFramesZero) {
    expect_refused(render("--block-frames 0"), 2, {"--block-frames", "0 is out of range [1, 65536] frames"});
}

TEST_F(BadInput_Options, ElectrodogramLevelOutOfRange) {
    expect_refused(electrodogram("--level-db-spl 200"), 2, {"--level-db-spl", "200 is out of range [0, 130] dB SPL"});
}

TEST_F(BadInput_Options, ElectrodogramLevelZeroForThisFile) {
    expect_refused(electrodogram("--level-db-spl 0"), 2, {"--level-db-spl", "in.wav", "out of range ["});
}

TEST_F(BadInput_Options, ElectrodogramPlotEndNegative) {
    expect_refused(electrodogram("--plot out.png --plot-end-s -1"), 2, {"--plot-end-s", "-1 is out of range [0, 86400] s"});
}

TEST_F(BadInput_Options, ScoreMaxDelayOverflow) {
    expect_refused(score("--max-delay-s 1e400"), 2, {"--max-delay-s", "1e400 is out of range [0, 60] s"});
}

TEST_F(BadInput_Options, ScoreMaxDelayNaN) {
    expect_refused(score("--max-delay-s -nan"), 2, {"--max-delay-s", "'-nan'", "[0, 60] s"});
}

// --- names ------------------------------------------------------------------------------------------
TEST_F(BadInput_Options, UnknownSubcommandSuggestsNearest) {
    expect_refused("rendr " + quote(path("in.wav")) + " " + quote(path("out.wav")), 2, {"rendr", "did you mean render?"});
}

TEST_F(BadInput_Options, RenderMisspeltOptionSuggestsNearest) {
    expect_refused(render("--levle-db-spl 65"), 2, {"--levle-db-spl", "did you mean --level-db-spl?"});
}

TEST_F(BadInput_Options, RenderMisspeltOptionWithValueAttached) {
    expect_refused(render("--hearing-ad=nal-r"), 2, {"--hearing-ad", "did you mean --hearing-aid?"});
}

TEST_F(BadInput_Options, ElectrodogramMisspeltOption) {
    expect_refused(electrodogram("--plot-strat-s 1"), 2, {"--plot-strat-s", "did you mean --plot-start-s?"});
}

TEST_F(BadInput_Options, ScoreMisspeltFlag) {
    expect_refused(score("--jsno"), 2, {"--jsno", "did you mean --json?"});
}

TEST_F(BadInput_Options, SceneUnknownSubcommand) {
    expect_refused("scene chek " + quote(path("s.toml")), 2, {"chek", "did you mean check?"});
}

TEST_F(BadInput_Options, ListenerShowMisspeltOption) {
    expect_refused("listener show bisgaard:N2 --plto " + quote(path("a.png")), 2, {"--plto", "did you mean --plot?"});
}

TEST_F(BadInput_Options, PresetsUnknownOptionFarFromAny) {
    // nothing is near: the option is named and the subcommand's help pointed to, no guess
    const auto r = expect_refused("presets --xyzzy-frobnicate", 2, {"--xyzzy-frobnicate", "earshot presets --help"});
    EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace earshot::test
