// earshot score REF DEG: STOI/ESTOI lines (or one JSON object), the delay found, channel mixing, other
// rates; bad input gives one line naming the file or option and a non-zero exit.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_helpers.hpp"

namespace earshot::test {
namespace {

const char* kSpeech = EARSHOT_TEST_DATA "/slt_harvard_16k.flac";

class CliScore : public CliTest {
protected:
    void SetUp() override {
        CliTest::SetUp();
        speech_ = read_audio(kSpeech);
    }
    // The first `seconds` of the speech, delayed by delay_s, in `channels` identical channels.
    Audio delayed(double delay_s, std::size_t channels, double seconds = 6.0) const {
        Audio a;
        a.rate = speech_.rate;
        std::vector<float> x(std::size_t(delay_s * a.rate), 0.0f);
        x.insert(x.end(), speech_.ch[0].begin(), speech_.ch[0].begin() + long(seconds * a.rate));
        a.ch.assign(channels, x);
        return a;
    }
    static double json_number(const std::string& json, const std::string& key) {
        const auto p = json.find("\"" + key + "\":");
        if (p == std::string::npos) return NAN;
        return std::stod(json.substr(p + key.size() + 3));
    }
    Audio speech_;
};

TEST_F(CliScore, IdentityPrintsThreeLines) {
    auto r = run(std::string("score ") + quote(kSpeech) + " " + quote(kSpeech));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "STOI  1.0000\nESTOI 1.0000\ndelay 0.0000 s\n");
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(CliScore, DelayedStereoFindsTheDelayAndPrintsJson) {
    write_audio(path("ref.wav"), delayed(0.0, 1));
    write_audio(path("deg.wav"), delayed(0.0230, 2));  // 368 samples at 16 kHz
    auto r = run("score " + quote(path("ref.wav")) + " " + quote(path("deg.wav")) + " --json");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    EXPECT_EQ(r.out.front(), '{');
    EXPECT_NEAR(json_number(r.out, "delay_s"), 0.023, 1e-9) << r.out;
    EXPECT_GE(json_number(r.out, "stoi"), 0.99) << r.out;
    EXPECT_GE(json_number(r.out, "estoi"), 0.99) << r.out;
    EXPECT_NE(r.out.find("\"ref\":\"" + path("ref.wav").string() + "\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"deg\":\"" + path("deg.wav").string() + "\""), std::string::npos) << r.out;

    // plain: the delay line
    r = run("score " + quote(path("ref.wav")) + " " + quote(path("deg.wav")));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("delay 0.0230 s\n"), std::string::npos) << r.out;

    // without alignment the score drops and no delay is reported
    r = run("score " + quote(path("ref.wav")) + " " + quote(path("deg.wav")) + " --no-align --json");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(json_number(r.out, "delay_s"), 0.0);
    EXPECT_LT(json_number(r.out, "estoi"), 0.9) << r.out;
}

TEST_F(CliScore, OtherRateAndMaxDelay) {
    // DEG at 44.1 kHz (sox-free: the CLI resamples it), delayed by 0.4 s
    write_audio(path("ref.wav"), delayed(0.0, 1));
    Audio d = delayed(0.4, 1);
    Audio d44;
    d44.rate = 44100;
    d44.ch.assign(1, {});
    // linear interpolation is enough here: the score only has to stay high
    const auto& x = d.ch[0];
    const std::size_t n = std::size_t(double(x.size()) * 44100.0 / 16000.0);
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const double t = double(i) * 16000.0 / 44100.0;
        const std::size_t k = std::size_t(t);
        if (k + 1 >= x.size()) break;
        d44.ch[0].push_back(float(x[k] + (t - double(k)) * (x[k + 1] - x[k])));
    }
    write_audio(path("deg44.wav"), d44);
    auto r = run("score " + quote(path("ref.wav")) + " " + quote(path("deg44.wav")) + " --json");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NEAR(json_number(r.out, "delay_s"), 0.4, 1.0 / 16000.0) << r.out;
    EXPECT_GE(json_number(r.out, "stoi"), 0.95) << r.out;
    // a search limited to 0.2 s cannot find it
    r = run("score " + quote(path("ref.wav")) + " " + quote(path("deg44.wav")) + " --json --max-delay-s 0.2");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_LE(std::fabs(json_number(r.out, "delay_s")), 0.2 + 1e-9) << r.out;
}

TEST_F(CliScore, MissingAndUnreadableFiles) {
    auto r = run(std::string("score ") + quote(path("nope.wav")) + " " + quote(kSpeech));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("nope.wav"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());

    std::ofstream(path("junk.wav"), std::ios::binary) << "RIFF not really a wave file";
    r = run(std::string("score ") + quote(kSpeech) + " " + quote(path("junk.wav")));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("junk.wav"), std::string::npos) << r.err;
}

TEST_F(CliScore, TooShortAndSilentReference) {
    Audio s;  // 0.25 s of speech (after the leading 0.3 s of silence): fewer than 30 frames
    s.rate = speech_.rate;
    s.ch.assign(1, std::vector<float>(speech_.ch[0].begin() + long(0.4 * s.rate), speech_.ch[0].begin() + long(0.65 * s.rate)));
    write_audio(path("short.wav"), s);
    auto r = run("score " + quote(path("short.wav")) + " " + quote(path("short.wav")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("short.wav"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("at least 30"), std::string::npos) << r.err;

    Audio z = delayed(0.0, 1);
    for (auto& v : z.ch[0]) v = 0.0f;
    write_audio(path("silent.wav"), z);
    r = run("score " + quote(path("silent.wav")) + " " + quote(kSpeech));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("silent.wav"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("silent"), std::string::npos) << r.err;
}

TEST_F(CliScore, SampleRateOutOfRangeAndBadOption) {
    Audio lo = delayed(0.0, 1, 1.0);
    lo.rate = 800;
    write_audio(path("low.wav"), lo);
    auto r = run("score " + quote(path("low.wav")) + " " + quote(kSpeech));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("low.wav"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[1000, 384000]"), std::string::npos) << r.err;

    r = run(std::string("score ") + quote(kSpeech) + " " + quote(kSpeech) + " --max-delay-s 100");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("--max-delay-s"), std::string::npos) << r.err;

    r = run(std::string("score ") + quote(kSpeech));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
}

}  // namespace
}  // namespace earshot::test
