// The earshot command working: render forms, formats, alignment, batch mode, presets and plots.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "cli/cli_helpers.hpp"

namespace earshot::test {
namespace {

using CliRender = CliTest;

// Level (dB) of the component at freq_hz, by projection on sin/cos over the whole signal.
double tone_level_db(const std::vector<float>& x, int rate, double freq_hz) {
    double s = 0, c = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double ph = 2 * M_PI * freq_hz * static_cast<double>(i) / rate;
        s += x[i] * std::sin(ph);
        c += x[i] * std::cos(ph);
    }
    return 10 * std::log10((s * s + c * c) / static_cast<double>(x.size() * x.size()) + 1e-30);
}

// Lag in [-max_lag, max_lag] maximising the cross-correlation of y against x (y[n + lag] ~ x[n]).
long best_lag(const std::vector<float>& x, const std::vector<float>& y, long max_lag) {
    long best = 0;
    double best_v = -1e300;
    const long n = static_cast<long>(x.size());
    for (long lag = -max_lag; lag <= max_lag; ++lag) {
        double acc = 0;
        for (long i = std::max(0L, -lag); i < n && i + lag < n; i += 1) acc += static_cast<double>(x[i]) * y[i + lag];
        if (acc > best_v) {
            best_v = acc;
            best = lag;
        }
    }
    return best;
}

TEST_F(CliRender, HelpAndVersion) {
    auto r = run("--help");
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("render"), std::string::npos);
    EXPECT_NE(r.out.find("presets"), std::string::npos);
    r = run("--version");
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("earshot"), std::string::npos);
    r = run("render --help");
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("--level-db-spl"), std::string::npos);
    EXPECT_NE(r.out.find("[0, 130]"), std::string::npos);  // range from the ParamSpec table
}

TEST_F(CliRender, MonoKeepsRateChannelsLengthAsFloat32) {
    const Audio in = test_signal(16000, 1, 1.3);
    write_audio(path("in.wav"), in, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    auto r = run("render " + quote(path("in.wav")) + " " + quote(path("out.wav")) +
                 " --listener bisgaard:N2 --level-db-spl 65");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;  // no progress bar when stderr is not a terminal
    const Audio out = read_audio(path("out.wav"));
    EXPECT_EQ(out.rate, 16000);
    EXPECT_EQ(out.ch.size(), 1u);
    EXPECT_EQ(out.frames(), in.frames());
    EXPECT_EQ(out.format, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    EXPECT_TRUE(hidden_files(dir_).empty());
}

TEST_F(CliRender, StereoKeepsRateChannelsLength) {
    const Audio in = test_signal(48000, 2, 0.7);
    write_audio(path("in.flac"), in, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
    auto r = run("render " + quote(path("in.flac")) + " " + quote(path("out.wav")) +
                 " --listener bisgaard:S2 --level-db-spl 70 --quiet");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());  // --quiet
    const Audio out = read_audio(path("out.wav"));
    EXPECT_EQ(out.rate, 48000);
    EXPECT_EQ(out.ch.size(), 2u);
    EXPECT_EQ(out.frames(), in.frames());
}

TEST_F(CliRender, FormatsWav16AndFlac) {
    write_audio(path("in.wav"), test_signal(22050, 2, 0.4));
    auto r = run("render " + quote(path("in.wav")) + " " + quote(path("o16.wav")) + " --listener normal --format wav16");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read_audio(path("o16.wav")).format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    r = run("render " + quote(path("in.wav")) + " " + quote(path("o24.wav")) + " --listener normal --format wav24");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read_audio(path("o24.wav")).format, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    r = run("render " + quote(path("in.wav")) + " " + quote(path("o.flac")) + " --listener normal");
    ASSERT_EQ(r.code, 0) << r.err;
    const Audio f = read_audio(path("o.flac"));
    EXPECT_EQ(f.format, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);  // .flac defaults to 24-bit
    EXPECT_EQ(f.frames(), static_cast<std::size_t>(0.4 * 22050));
    r = run("render " + quote(path("in.wav")) + " " + quote(path("o16.flac")) +
            " --listener normal --format flac16");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read_audio(path("o16.flac")).format, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    EXPECT_TRUE(hidden_files(dir_).empty());
}

TEST_F(CliRender, ListenerFileWithAbsoluteCalibrationAndOptions) {
    write_audio(path("in.wav"), test_signal(44100, 2, 0.5));
    std::ofstream(path("me.toml")) << "name = \"me\"\n[left]\nfreqs_hz = [250, 1000, 4000]\nhl_db = [10, 30, 50]\n"
                                      "[right]\nfreqs_hz = [250, 1000, 4000]\nhl_db = [20, 40, 60]\n";
    auto r = run("render " + quote(path("in.wav")) + " " + quote(path("out.wav")) + " --listener " +
                 quote(path("me.toml")) +
                 " --full-scale-db-spl 95 --ear right --field diffuse --degree continuous --no-smearing --jobs 1");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("95"), std::string::npos) << r.out;
    EXPECT_EQ(read_audio(path("out.wav")).frames(), static_cast<std::size_t>(0.5 * 44100));
}

TEST_F(CliRender, FieldErpIsSelectable) {
    // --field takes every name of names::field: erp (the ear reference point) renders, and through another
    // outer-ear correction than the free field, so the output differs.
    write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    for (const char* field : {"free", "erp"}) {
        auto r = run("render " + quote(path("in.wav")) + " " + quote(path(std::string(field) + ".wav")) +
                     " --listener bisgaard:N2 --level-db-spl 65 -q --field " + field);
        ASSERT_EQ(r.code, 0) << field << ": " << r.err;
    }
    const Audio f = read_audio(path("free.wav")), e = read_audio(path("erp.wav"));
    ASSERT_EQ(f.frames(), e.frames());
    EXPECT_NE(f.ch[0], e.ch[0]);
}

TEST_F(CliRender, NonFiniteSamplesAreSanitisedAndCounted) {
    Audio in = test_signal(16000, 1, 0.5);
    in.ch[0][10] = NAN;
    in.ch[0][20] = INFINITY;
    in.ch[0][30] = -INFINITY;
    write_audio(path("nan.wav"), in);
    auto r = run("render " + quote(path("nan.wav")) + " " + quote(path("out.wav")) + " --listener normal");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("3 non-finite"), std::string::npos) << r.err;
    const Audio out = read_audio(path("out.wav"));
    ASSERT_EQ(out.frames(), in.frames());
    for (float v : out.ch[0]) ASSERT_TRUE(std::isfinite(v));
}

// Broadband bursts (seeded white noise, on/off at 3 Hz) under the test tones: the noise makes the
// cross-correlation peak unambiguous (the tones alone repeat every 250 Hz period).
Audio with_noise_bursts(Audio a) {
    unsigned x = 987654321u;
    for (auto& c : a.ch)
        for (std::size_t i = 0; i < c.size(); ++i) {
            x = x * 1664525u + 1013904223u;
            const double u = static_cast<double>(x >> 8) / 16777216.0 - 0.5;
            const bool on = (i * 3 / static_cast<std::size_t>(a.rate)) % 2 == 0;
            c[i] += static_cast<float>(on ? 0.15 * u : 0.0);
        }
    return a;
}

TEST_F(CliRender, OutputAlignedWithInput) {
    // Holds for any model latency: the renderer compensates it. Tolerant of the real model's colouring.
    const Audio in = with_noise_bursts(test_signal(44100, 1, 2.0));
    write_audio(path("in.wav"), in);
    auto r = run("render " + quote(path("in.wav")) + " " + quote(path("out.wav")) +
                 " --listener normal --level-db-spl 65");
    ASSERT_EQ(r.code, 0) << r.err;
    const Audio out = read_audio(path("out.wav"));
    ASSERT_EQ(out.frames(), in.frames());
    // Within one sample: the model's delay may be fractional (a linear-phase filter's group delay of
    // d + 0.5 samples puts the correlation peak at 0 or 1); a missed latency would be hundreds of samples.
    EXPECT_LE(std::abs(best_lag(in.ch[0], out.ch[0], 3000)), 1);
    for (double f : {250.0, 1000.0, 4000.0})
        EXPECT_NEAR(tone_level_db(out.ch[0], 44100, f), tone_level_db(in.ch[0], 44100, f), 1.0) << f << " Hz";
}

TEST_F(CliRender, LimiterCeilingHoldsAndStaysAligned) {
    Audio in = with_noise_bursts(test_signal(44100, 2, 1.0));
    for (auto& c : in.ch)
        for (float& v : c) v *= 4.0f;  // peaks ~ +2 dBFS (float WAV)
    write_audio(path("loud.wav"), in);
    auto r = run("render " + quote(path("loud.wav")) + " " + quote(path("out.wav")) +
                 " --listener normal --limit-dbfs -6");
    ASSERT_EQ(r.code, 0) << r.err;
    const Audio out = read_audio(path("out.wav"));
    ASSERT_EQ(out.frames(), in.frames());
    const float ceiling = static_cast<float>(std::pow(10.0, -6.0 / 20));
    for (const auto& c : out.ch)
        for (float v : c) ASSERT_LE(std::fabs(v), ceiling);
    EXPECT_LE(std::abs(best_lag(in.ch[0], out.ch[0], 3000)), 1);
}

TEST_F(CliRender, BlockSizeDoesNotChangeTheResult) {
    write_audio(path("in.wav"), test_signal(32000, 1, 0.6));
    ASSERT_EQ(run("render " + quote(path("in.wav")) + " " + quote(path("a.wav")) + " --listener bisgaard:N3").code, 0);
    ASSERT_EQ(run("render " + quote(path("in.wav")) + " " + quote(path("b.wav")) +
                  " --listener bisgaard:N3 --block-frames 100").code, 0);
    const Audio a = read_audio(path("a.wav")), b = read_audio(path("b.wav"));
    ASSERT_EQ(a.frames(), b.frames());
    for (std::size_t i = 0; i < a.frames(); ++i) ASSERT_NEAR(a.ch[0][i], b.ch[0][i], 1e-5f) << i;
}

TEST_F(CliRender, BatchDirectoryWithOneCorruptFile) {
    fs::create_directory(path("in"));
    write_audio(path("in/a.wav"), test_signal(16000, 1, 0.3));
    write_audio(path("in/b.flac"), test_signal(24000, 2, 0.3), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    std::ofstream(path("in/c.wav")) << "corrupt";
    write_audio(path("in/d.wav"), test_signal(48000, 1, 0.3));
    std::ofstream(path("in/readme.txt")) << "not audio, ignored";
    auto r = run("render " + quote(path("in")) + " " + quote(path("out")) + " --listener bisgaard:N2 --jobs 3");
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(r.err.rfind("1 of 4 files failed:\n", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("c.wav"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 2) << r.err;
    EXPECT_EQ(read_audio(path("out/a.wav")).frames(), 4800u);
    const Audio b = read_audio(path("out/b.wav"));
    EXPECT_EQ(b.rate, 24000);
    EXPECT_EQ(b.ch.size(), 2u);
    EXPECT_EQ(read_audio(path("out/d.wav")).rate, 48000);
    EXPECT_FALSE(fs::exists(path("out/c.wav")));
    EXPECT_FALSE(fs::exists(path("out/readme.wav")));
    EXPECT_TRUE(hidden_files(path("out")).empty());
}

TEST_F(CliRender, BatchSeveralFilesIntoNewDirectoryAsFlac) {
    write_audio(path("x.wav"), test_signal(16000, 1, 0.2));
    write_audio(path("y.wav"), test_signal(16000, 1, 0.2));
    auto r = run("render " + quote(path("x.wav")) + " " + quote(path("y.wav")) + " " + quote(path("new/dir")) +
                 " --listener normal --format flac16");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read_audio(path("new/dir/x.flac")).format, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    EXPECT_EQ(read_audio(path("new/dir/y.flac")).frames(), 3200u);
}

TEST_F(CliRender, BatchIntoExistingFileIsUsageError) {
    write_audio(path("x.wav"), test_signal(16000, 1, 0.2));
    write_audio(path("y.wav"), test_signal(16000, 1, 0.2));
    auto r = run("render " + quote(path("x.wav")) + " " + quote(path("y.wav")) + " " + quote(path("x.wav")) +
                 " --listener normal");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
}

TEST_F(CliRender, BatchIntoItsOwnDirectoryNeverOverwrites) {
    fs::create_directory(path("d"));
    write_audio(path("d/a.wav"), test_signal(16000, 1, 0.2));
    const std::string before = slurp(path("d/a.wav"));
    auto r = run("render " + quote(path("d")) + " " + quote(path("d")) + " --listener normal");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("a.wav"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(path("d/a.wav")), before);
    EXPECT_TRUE(hidden_files(path("d")).empty());
}

TEST_F(CliRender, PresetsTable) {
    auto r = run("presets");
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* id : {"normal", "bisgaard:N2", "bisgaard:S2"}) EXPECT_NE(r.out.find(id), std::string::npos) << id;
    EXPECT_NE(r.out.find("dB HL"), std::string::npos);
}

TEST_F(CliRender, ListenerShowWithPlot) {
    auto r = run("listener show bisgaard:S2 --plot " + quote(path("audiogram.png")));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("bisgaard:S2"), std::string::npos);
    EXPECT_NE(r.out.find("95"), std::string::npos);  // S2 reaches 95 dB HL at 4 kHz
    const std::string png = slurp(path("audiogram.png"));
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(1, 3), "PNG");
    r = run("listener show normal --plot " + quote(path("audiogram.svg")));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(slurp(path("audiogram.svg")).find("<svg"), std::string::npos);
    r = run("listener show normal --plot " + quote(path("audiogram.bmp")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_TRUE(hidden_files(dir_).empty());
}

}  // namespace
}  // namespace earshot::test
