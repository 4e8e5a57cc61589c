// The bad-input catalogue (tests/cli/bad_input.hpp): audio inputs and render options already refused
// cleanly before the hardening work. Each case: exit code, one stderr line naming the file or
// parameter, inputs unchanged (SHA-256), nothing left behind. Other areas have their own
// test_bad_input_*.cpp files.
#include <gtest/gtest.h>

#include <fstream>

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

}  // namespace
}  // namespace earshot::test
