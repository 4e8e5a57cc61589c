// The bad-input catalogue (tests/cli/bad_input.hpp): audio inputs and render options already refused
// cleanly before the hardening work. Each case: exit code, one stderr line naming the file or
// parameter, inputs unchanged (SHA-256), nothing left behind. Other areas have their own
// test_bad_input_*.cpp files.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>

#include "cli/bad_input.hpp"

namespace earshot::test {
namespace {

class BadInput_Audio : public BadInputTest {
protected:
    void SetUp() override {
        BadInputTest::SetUp();
        write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    }
    void write_text(const std::string& name, const std::string& s) { std::ofstream(path(name), std::ios::binary) << s; }
};

TEST_F(BadInput_Audio, MissingInput) {
    expect_refused("render " + quote(path("nope.wav")) + " " + quote(path("out.wav")) + " --listener normal", 1,
                   {"nope.wav"});
}

TEST_F(BadInput_Audio, EmptyInput) {
    write_text("empty.wav", "");
    expect_refused("render " + quote(path("empty.wav")) + " " + quote(path("out.wav")) + " --listener normal", 1,
                   {"empty.wav"});
}

TEST_F(BadInput_Audio, TextNamedWav) {
    write_text("text.wav", "this is not audio\n");
    expect_refused("render " + quote(path("text.wav")) + " " + quote(path("out.wav")) + " --listener normal", 1,
                   {"text.wav"});
}

TEST_F(BadInput_Audio, OutputSameAsInput) {
    expect_refused("render " + quote(path("in.wav")) + " " + quote(path("in.wav")) + " --listener normal", 1,
                   {"in.wav"});
}

TEST_F(BadInput_Audio, UnknownPreset) {
    expect_refused("render " + quote(path("in.wav")) + " " + quote(path("out.wav")) + " --listener bisgaard:N9", 2,
                   {"bisgaard:N9"});
}

// Silence and non-finite samples are told apart wherever a level or a reference is needed.
Audio filled(float v) {
    Audio a;
    a.rate = 16000;
    a.ch.assign(1, std::vector<float>(16000, v));
    return a;
}

TEST_F(BadInput_Audio, AllNaNWithLevelIsNotCalledSilent) {
    write_audio(path("nan.wav"), filled(std::numeric_limits<float>::quiet_NaN()));
    expect_refused("render " + quote(path("nan.wav")) + " " + quote(path("out.wav")) +
                       " --listener bisgaard:N2 --level-db-spl 65",
                   1, {"nan.wav", "16000 samples are NaN or Inf", "--level-db-spl"});
}

TEST_F(BadInput_Audio, SilentWithLevelIsCalledSilent) {
    write_audio(path("zero.wav"), filled(0.0f));
    expect_refused("render " + quote(path("zero.wav")) + " " + quote(path("out.wav")) +
                       " --listener bisgaard:N2 --level-db-spl 65",
                   1, {"zero.wav", "is silent (all samples zero)", "--full-scale-db-spl"});
}

TEST_F(BadInput_Audio, AllInfElectrodogramWithLevel) {
    write_audio(path("inf.wav"), filled(std::numeric_limits<float>::infinity()));
    expect_refused("electrodogram " + quote(path("inf.wav")) + " " + quote(path("e.csv")) +
                       " --implant nucleus-ace --level-db-spl 65",
                   1, {"inf.wav", "NaN or Inf"});
}

TEST_F(BadInput_Audio, AllNaNScoreReference) {
    write_audio(path("nan.wav"), filled(std::numeric_limits<float>::quiet_NaN()));
    expect_refused("score " + quote(path("nan.wav")) + " " + quote(path("in.wav")), 2, {"nan.wav", "NaN or Inf"});
}

}  // namespace
}  // namespace earshot::test
