// The render chain as a user runs it (docs/rendering.md): loud inputs, the hearing aid's full-scale warning,
// mono -> both ears, 5.1 down-mix, 8-16 kHz inputs resampled inside the chain, and the warnings for what would
// otherwise be wrong silently (clamped thresholds, a scene or body bus not matching the input, a truncated file).
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "cli/cli_helpers.hpp"

using namespace earshot::test;

namespace {

Audio noise(int rate, std::size_t channels, double seconds, double amp, unsigned seed = 1) {
    Audio a;
    a.rate = rate;
    std::mt19937 g(seed);
    std::normal_distribution<double> n(0.0, amp);
    a.ch.assign(channels, std::vector<float>(std::size_t(seconds * rate)));
    for (auto& c : a.ch)
        for (auto& v : c) v = float(n(g));
    return a;
}

// Lag (in samples) of the cross-correlation's largest magnitude between x (input) and y (output), |lag| <= maxlag.
int xcorr_lag(const std::vector<float>& x, const std::vector<float>& y, int maxlag) {
    int best = 0;
    double bv = -1;
    for (int l = -maxlag; l <= maxlag; ++l) {
        double s = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const long j = long(i) + l;
            if (j >= 0 && j < long(y.size())) s += double(x[i]) * y[std::size_t(j)];
        }
        if (std::fabs(s) > bv) bv = std::fabs(s), best = l;
    }
    return best;
}

bool all_finite(const Audio& a) {
    for (const auto& c : a.ch)
        for (float v : c)
            if (!std::isfinite(v)) return false;
    return true;
}

}  // namespace

class CliRenderChain : public CliTest {
protected:
    std::string io(const std::string& in, const std::string& out) { return quote(path(in)) + " " + quote(path(out)); }
};

TEST_F(CliRenderChain, HugeFiniteInputRendersFiniteWithAWarning) {
    Audio a = test_signal(16000, 1, 1.0);
    for (auto& v : a.ch[0]) v *= 1e19f;
    write_audio(path("huge.wav"), a);
    for (const char* l : {"normal", "bisgaard:N2", "bisgaard:S3"}) {
        const auto r = run("render " + io("huge.wav", "out.wav") + " --listener " + l);
        ASSERT_EQ(r.code, 0) << r.err;
        EXPECT_NE(r.err.find("clamped at the model's input"), std::string::npos) << r.err;
        const Audio y = read_audio(path("out.wav"));
        ASSERT_EQ(y.frames(), a.frames());
        EXPECT_TRUE(all_finite(y)) << l;
    }
    // An ordinary level is not warned about.
    write_audio(path("in.wav"), test_signal(16000, 1, 1.0));
    const auto r = run("render " + io("in.wav", "out.wav") + " --listener bisgaard:N2");
    EXPECT_EQ(r.err.find("clamped"), std::string::npos) << r.err;
}

TEST_F(CliRenderChain, HearingAidAboveFullScaleWarns) {
    // A full-scale-ish input through NAL-R on a severe loss (N5: about 35 dB of gain at 1 kHz) exceeds 0 dBFS.
    write_audio(path("loud.wav"), test_signal(44100, 1, 1.0));
    const auto r = run("render " + io("loud.wav", "out.wav") + " --listener bisgaard:N5 --hearing-aid nal-r");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("hearing aid"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--limit-dbfs"), std::string::npos) << r.err;
    // 60 dB quieter, the aided output stays below full scale: no warning.
    Audio q = test_signal(44100, 1, 1.0);
    for (auto& v : q.ch[0]) v *= 1e-3f;
    write_audio(path("quiet.wav"), q);
    const auto r2 = run("render " + io("quiet.wav", "out2.wav") + " --listener bisgaard:N5 --hearing-aid nal-r");
    ASSERT_EQ(r2.code, 0) << r2.err;
    EXPECT_EQ(r2.err.find("hearing aid"), std::string::npos) << r2.err;
    // A scene whose listener (a listener file) is aided warns the same way.
    std::ofstream(path("aid.toml")) << "[both]\nfreqs_hz = [250, 1000, 4000]\nhl_db = [65, 75, 80]\nhearing_aid = \"nal-r\"\n";
    std::ofstream(path("s.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"" << path("aid.toml").string() << "\"\n";
    const auto r3 = run("render " + io("loud.wav", "out3.wav") + " --scene " + quote(path("s.toml")));
    ASSERT_EQ(r3.code, 0) << r3.err;
    EXPECT_NE(r3.err.find("hearing aid"), std::string::npos) << r3.err;
}

TEST_F(CliRenderChain, ClampedThresholdWarningReachesTheTerminal) {
    std::ofstream(path("l.toml")) << "[both]\nfreqs_hz = [250, 1000, 4000]\nhl_db = [60, 80, 110]\n";
    write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    const auto r = run("render " + io("in.wav", "out.wav") + " --listener " + quote(path("l.toml")));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("clamped to 100 dB HL"), std::string::npos) << r.err;
    // ... also through the per-ear (device) path.
    const auto r2 = run("render " + io("in.wav", "out2.wav") + " --listener " + quote(path("l.toml")) + " --hearing-aid nal-r");
    ASSERT_EQ(r2.code, 0) << r2.err;
    EXPECT_NE(r2.err.find("clamped to 100 dB HL"), std::string::npos) << r2.err;
}

TEST_F(CliRenderChain, MonoThroughDifferentEarsIsStereoAndEarKeepsOne) {
    std::ofstream(path("l.toml")) << "[left]\nfreqs_hz = [250, 4000]\nhl_db = [10, 20]\n"
                                     "[right]\nfreqs_hz = [250, 4000]\nhl_db = [40, 70]\n";
    write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    const auto r = run("render " + io("in.wav", "out.wav") + " --listener " + quote(path("l.toml")));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("both ears"), std::string::npos) << r.err;
    const Audio y = read_audio(path("out.wav"));
    ASSERT_EQ(y.ch.size(), 2u);
    // The right ear (more loss) is quieter than the left.
    double el = 0, er = 0;
    for (std::size_t i = 0; i < y.frames(); ++i) el += y.ch[0][i] * y.ch[0][i], er += y.ch[1][i] * y.ch[1][i];
    EXPECT_GT(el, er * 1.5);
    for (const char* ear : {"left", "right"}) {
        const auto r1 = run("render " + io("in.wav", "one.wav") + " --listener " + quote(path("l.toml")) + " --ear " + ear);
        ASSERT_EQ(r1.code, 0) << r1.err;
        EXPECT_EQ(read_audio(path("one.wav")).ch.size(), 1u);
        EXPECT_EQ(r1.err.find("both ears"), std::string::npos) << r1.err;
    }
    // Bimodal (implant on one ear): stereo too.
    const auto r3 = run("render " + io("in.wav", "bi.wav") + " --listener bisgaard:N3 --implant nucleus-ace --implant-ear left");
    ASSERT_EQ(r3.code, 0) << r3.err;
    EXPECT_EQ(read_audio(path("bi.wav")).ch.size(), 2u);
    // Identical ears: mono stays mono, no note.
    const auto r4 = run("render " + io("in.wav", "same.wav") + " --listener bisgaard:N3");
    EXPECT_EQ(read_audio(path("same.wav")).ch.size(), 1u);
    EXPECT_EQ(r4.err.find("note:"), std::string::npos) << r4.err;
}

TEST_F(CliRenderChain, FivePointOneIsDownMixedToTwoEars) {
    // 5.1 without a map (standard order FL FR FC LFE BL BR): a 1 kHz tone in one channel at a time.
    const int fs = 48000;
    auto one_channel = [&](std::size_t ch) {
        Audio a;
        a.rate = fs;
        a.ch.assign(6, std::vector<float>(fs / 2, 0.f));
        for (std::size_t i = 0; i < a.ch[ch].size(); ++i) a.ch[ch][i] = float(0.05 * std::sin(2 * M_PI * 1000 * double(i) / fs));
        return a;
    };
    auto energy = [](const std::vector<float>& v) {
        double e = 0;
        for (float x : v) e += double(x) * x;
        return e;
    };
    write_audio(path("L.wav"), one_channel(0));
    write_audio(path("C.wav"), one_channel(2));
    write_audio(path("LFE.wav"), one_channel(3));
    write_audio(path("Rs.wav"), one_channel(5));
    const auto r = run("render " + io("L.wav", "oL.wav") + " --listener normal");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("BS.775"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("LFE dropped"), std::string::npos) << r.err;
    for (const char* n : {"C", "LFE", "Rs"}) ASSERT_EQ(run("render " + io(std::string(n) + ".wav", std::string("o") + n + ".wav") + " --listener normal -q").code, 0);
    const Audio oL = read_audio(path("oL.wav")), oC = read_audio(path("oC.wav")), oLFE = read_audio(path("oLFE.wav")),
                oRs = read_audio(path("oRs.wav"));
    ASSERT_EQ(oL.ch.size(), 2u);
    ASSERT_EQ(oL.frames(), std::size_t(fs / 2));
    const double eL = energy(oL.ch[0]);
    ASSERT_GT(eL, 0);
    EXPECT_EQ(energy(oL.ch[1]), 0.0);  // L reaches the left ear only
    // C at 0.7071 (-3 dB: half the energy) in each ear; the normal listener is linear at this level.
    EXPECT_NEAR(energy(oC.ch[0]) / eL, 0.5, 0.01);
    EXPECT_NEAR(energy(oC.ch[1]) / eL, 0.5, 0.01);
    EXPECT_EQ(energy(oLFE.ch[0]) + energy(oLFE.ch[1]), 0.0);  // LFE dropped
    EXPECT_EQ(energy(oRs.ch[0]), 0.0);
    EXPECT_NEAR(energy(oRs.ch[1]) / eL, 0.5, 0.01);
}

TEST_F(CliRenderChain, LowRatesAreResampledInsideTheChainAndStayAligned) {
    for (int rate : {8000, 11025, 12000}) {
        const Audio x = noise(rate, 1, 1.0, 0.05, unsigned(rate));
        write_audio(path("tel.wav"), x);
        for (const char* l : {"normal", "bisgaard:N2"}) {
            const auto r = run("render " + io("tel.wav", "out.wav") + " --listener " + l);
            ASSERT_EQ(r.code, 0) << rate << " " << r.err;
            EXPECT_NE(r.err.find("resampled to 16000 Hz"), std::string::npos) << r.err;
            const Audio y = read_audio(path("out.wav"));
            EXPECT_EQ(y.rate, rate);
            ASSERT_EQ(y.frames(), x.frames()) << rate;
            EXPECT_TRUE(all_finite(y));
            EXPECT_LE(std::abs(xcorr_lag(x.ch[0], y.ch[0], 200)), 1) << rate << " Hz, " << l;
        }
    }
}

TEST_F(CliRenderChain, SceneLongerThanItsInputWarns) {
    std::ofstream(path("s.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n"
                                     "[[keyframe]]\ntime_s = 3.0\nlistener = \"bisgaard:N3\"\n";
    write_audio(path("in.wav"), test_signal(16000, 1, 1.0));
    const auto r = run("render " + io("in.wav", "out.wav") + " --scene " + quote(path("s.toml")));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("not heard"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("3.00 s"), std::string::npos) << r.err;
    write_audio(path("long.wav"), test_signal(16000, 1, 3.5));
    const auto r2 = run("render " + io("long.wav", "out2.wav") + " --scene " + quote(path("s.toml")));
    ASSERT_EQ(r2.code, 0) << r2.err;
    EXPECT_EQ(r2.err.find("not heard"), std::string::npos) << r2.err;
}

TEST_F(CliRenderChain, BodyBusShorterOrLongerThanTheInputWarns) {
    std::ofstream(path("s.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n";
    write_audio(path("in.wav"), test_signal(16000, 1, 1.0));
    write_audio(path("short.wav"), test_signal(16000, 1, 0.4));
    write_audio(path("long.wav"), test_signal(16000, 1, 2.0));
    write_audio(path("same.wav"), test_signal(16000, 1, 1.0));
    const std::string base = "render " + io("in.wav", "out.wav") + " --scene " + quote(path("s.toml")) + " --body ";
    const auto a = run(base + quote(path("short.wav")));
    ASSERT_EQ(a.code, 0) << a.err;
    EXPECT_NE(a.err.find("shorter than the input"), std::string::npos) << a.err;
    const auto b = run(base + quote(path("long.wav")));
    ASSERT_EQ(b.code, 0) << b.err;
    EXPECT_NE(b.err.find("longer than the input"), std::string::npos) << b.err;
    const auto c = run(base + quote(path("same.wav")));
    ASSERT_EQ(c.code, 0) << c.err;
    EXPECT_EQ(c.err.find("body bus"), std::string::npos) << c.err;
}

TEST_F(CliRenderChain, LowRateSceneWithBodyBus) {
    std::ofstream(path("s.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"bisgaard:N2\"\n";
    write_audio(path("in.wav"), noise(8000, 1, 1.0, 0.05));
    write_audio(path("body.wav"), noise(8000, 1, 1.0, 0.01, 7));
    const auto r = run("render " + io("in.wav", "out.wav") + " --scene " + quote(path("s.toml")) + " --body " +
                       quote(path("body.wav")) + " --timeline " + quote(path("tl.png")));
    ASSERT_EQ(r.code, 0) << r.err;
    const Audio y = read_audio(path("out.wav"));
    EXPECT_EQ(y.rate, 8000);
    EXPECT_EQ(y.frames(), 8000u);
    EXPECT_TRUE(all_finite(y));
    EXPECT_TRUE(fs::exists(path("tl.png")));
}

TEST_F(CliRenderChain, HeaderClaimingMoreThanTheFileHoldsWarns) {
    // A FLAC whose STREAMINFO claims 10 s, cut to about a tenth of its bytes.
    write_audio(path("ten.flac"), noise(16000, 1, 10.0, 0.1), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    const std::string bytes = slurp(path("ten.flac"));
    std::ofstream(path("cut.flac"), std::ios::binary) << bytes.substr(0, bytes.size() / 10);
    fs::remove(path("ten.flac"));
    const auto r = run("render " + io("cut.flac", "out.wav") + " --listener normal");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("truncated file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("10.00 s"), std::string::npos) << r.err;
}

TEST_F(CliRenderChain, WavHeaderClaimingTenSecondsHoldingOneWarns) {
    // 16-bit WAV: 44-byte header whose data chunk claims 10 s; only the first second of samples is kept.
    write_audio(path("ten.wav"), noise(16000, 1, 10.0, 0.1), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const std::string bytes = slurp(path("ten.wav"));
    ASSERT_EQ(bytes.substr(36, 4), "data");
    std::ofstream(path("cut.wav"), std::ios::binary) << bytes.substr(0, 44 + 2 * 16000);
    fs::remove(path("ten.wav"));
    const auto r = run("render " + io("cut.wav", "out.wav") + " --listener normal");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("truncated file: the header claims 160000 frames (10.00 s) but the file holds 16000 (1.00 s)"), std::string::npos) << r.err;
    EXPECT_EQ(read_audio(path("out.wav")).frames(), 16000u);
    // The whole file (and a float WAV with its PEAK chunk, and WAVE_FORMAT_EXTENSIBLE) is not warned about.
    write_audio(path("whole.wav"), noise(16000, 1, 1.0, 0.1), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    write_audio(path("float.wav"), noise(16000, 1, 1.0, 0.1));
    write_audio(path("ext.wav"), noise(16000, 2, 1.0, 0.1), SF_FORMAT_WAVEX | SF_FORMAT_PCM_24);
    for (const char* f : {"whole.wav", "float.wav", "ext.wav"}) {
        const auto w = run("render " + io(f, "out2.wav") + " --listener normal");
        ASSERT_EQ(w.code, 0) << w.err;
        EXPECT_EQ(w.err.find("truncated"), std::string::npos) << f << ": " << w.err;
    }
}
