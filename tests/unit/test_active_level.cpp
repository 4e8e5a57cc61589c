// ActiveLevelMeter against MSBG's measure_rms (Clarity msbg_utils; /work/shared/research/hl-anchors.md
// section 2.2) on synthetic signals with known answers and on the MSBG fixture speech.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/hearing/active_level.hpp"

namespace earshot {
namespace {

constexpr double kPi = 3.14159265358979323846;

using Planar = std::vector<std::vector<float>>;

// Feeds `sig` (planar) in blocks of `block` frames.
ActiveLevelMeter measure(const Planar& sig, double fs, std::size_t block = 0) {
    ActiveLevelMeter m(fs);
    const std::size_t n = sig.empty() ? 0 : sig[0].size();
    if (block == 0) block = n == 0 ? 1 : n;
    std::vector<const float*> ptrs(sig.size());
    for (std::size_t pos = 0; pos < n; pos += block) {
        const std::size_t len = std::min(block, n - pos);
        for (std::size_t c = 0; c < sig.size(); ++c) ptrs[c] = sig[c].data() + pos;
        m.add(AudioView<const float>(ptrs.data(), sig.size(), len));
    }
    return m;
}

std::vector<float> sine(std::size_t n, double freq_hz, double fs, double amp) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amp * std::sin(2 * kPi * freq_hz * i / fs));
    return x;
}

TEST(ActiveLevel, FrameLengthFollowsMsbgRounding) {
    EXPECT_EQ(ActiveLevelMeter(44100).frame_length(), 441u);
    EXPECT_EQ(ActiveLevelMeter(48000).frame_length(), 480u);
    EXPECT_EQ(ActiveLevelMeter(16000).frame_length(), 160u);
    EXPECT_EQ(ActiveLevelMeter(22050).frame_length(), 220u);  // Python round(220.5) = 220 (half to even)
    EXPECT_EQ(ActiveLevelMeter(11025).frame_length(), 110u);
    EXPECT_THROW(ActiveLevelMeter(0.0), ConfigError);
}

TEST(ActiveLevel, FullScaleSineIsZeroDbfs) {
    const double fs = 48000;
    const ActiveLevelMeter m = measure({sine(48000, 1000, fs, 1.0)}, fs);
    EXPECT_NEAR(m.active_level_dbfs(), 0.0, 0.005);
    EXPECT_NEAR(m.overall_level_dbfs(), 0.0, 0.005);
    EXPECT_DOUBLE_EQ(m.active_fraction(), 1.0);
}

TEST(ActiveLevel, HalfSilenceKeepsActiveLevel) {
    const double fs = 48000;
    std::vector<float> x = sine(48000, 1000, fs, 0.5);  // -6.02 dBFS
    x.resize(96000, 0.0f);
    const ActiveLevelMeter m = measure({x}, fs);
    EXPECT_NEAR(m.active_level_dbfs(), 20 * std::log10(0.5), 0.005);
    EXPECT_NEAR(m.overall_level_dbfs(), 20 * std::log10(0.5) - 3.0103, 0.005);
    EXPECT_NEAR(m.active_level_dbfs() - m.overall_level_dbfs(), 3.0103, 0.005);
    EXPECT_DOUBLE_EQ(m.active_fraction(), 0.5);
}

TEST(ActiveLevel, QuietPartsWithin12DbCount) {
    const double fs = 48000;
    // 10 % of the time at 0 dBFS, 90 % at -20 dB: quiet part is above overall - 12 dB -> all active.
    std::vector<float> x = sine(4800, 1000, fs, 1.0), q = sine(43200, 1000, fs, 0.1);
    x.insert(x.end(), q.begin(), q.end());
    ActiveLevelMeter m = measure({x}, fs);
    EXPECT_NEAR(m.active_level_dbfs(), m.overall_level_dbfs(), 1e-9);
    EXPECT_DOUBLE_EQ(m.active_fraction(), 1.0);
    // Same with the quiet part at -30 dB: it falls below the threshold and only the loud part counts.
    x = sine(4800, 1000, fs, 1.0);
    q = sine(43200, 1000, fs, 0.0316);
    x.insert(x.end(), q.begin(), q.end());
    m = measure({x}, fs);
    EXPECT_NEAR(m.active_level_dbfs(), 0.0, 0.005);
    EXPECT_DOUBLE_EQ(m.active_fraction(), 0.1);
}

// Frames of constant value: A loud frames of mean square 1 and B quiet frames of mean square q with
// q = k * 10^(-12/10) * overall. MSBG keeps a frame when ms + 10^((thr-30)/10) >= 10^(thr/10), i.e. when
// k >= 0.999; checks both sides, including within 0.01 dB of the threshold.
double quiet_frames_share(double k) {
    const double fs = 10000;  // 100-sample frames
    const std::size_t a = 20, b = 80, w = 100;
    const double c = k * std::pow(10.0, -1.2);
    const double q = c * a / (a + b - c * b);
    std::vector<float> x;
    for (std::size_t i = 0; i < a * w; ++i) x.push_back(1.0f);
    const float qv = static_cast<float>(std::sqrt(q));
    for (std::size_t i = 0; i < b * w; ++i) x.push_back(qv);
    return measure({x}, fs).active_fraction();
}

TEST(ActiveLevel, ThresholdIsMsbgs) {
    EXPECT_DOUBLE_EQ(quiet_frames_share(1.05), 1.0);
    EXPECT_DOUBLE_EQ(quiet_frames_share(0.95), 0.2);
    EXPECT_DOUBLE_EQ(quiet_frames_share(1.0005), 1.0);
    EXPECT_DOUBLE_EQ(quiet_frames_share(0.9995), 1.0);  // MSBG's floor term lets these in
    EXPECT_DOUBLE_EQ(quiet_frames_share(0.9980), 0.2);
}

TEST(ActiveLevel, ThresholdFloorAtMinus80) {
    // A signal whose overall level is below -68 dB: the threshold is -80 dB (plain RMS), so frames at
    // -85 dB are inactive even though they are within 12 dB of the overall level.
    const double fs = 10000;
    std::vector<float> x(1000, static_cast<float>(std::pow(10.0, -70.0 / 20)));   // 10 frames at -70 dB
    x.resize(2000, static_cast<float>(std::pow(10.0, -78.0 / 20)));              // 10 frames at -78 dB
    x.resize(3000, static_cast<float>(std::pow(10.0, -85.0 / 20)));              // 10 frames at -85 dB
    const ActiveLevelMeter m = measure({x}, fs);
    EXPECT_NEAR(m.active_fraction(), 20.0 / 30.0, 1e-12);
}

TEST(ActiveLevel, TrailingPartialFrameCountsInOverallOnly) {
    const double fs = 44100;
    std::vector<float> x(441, 1.0f);
    x.resize(441 + 220, 0.5f);  // partial frame
    const ActiveLevelMeter m = measure({x}, fs);
    const double overall_ms = (441 * 1.0 + 220 * 0.25) / 661.0;
    EXPECT_NEAR(m.overall_level_dbfs(), 10 * std::log10(overall_ms) + 3.0103, 1e-3);
    EXPECT_NEAR(m.active_level_dbfs(), 3.0103, 1e-3);
    EXPECT_NEAR(m.active_fraction(), 441.0 / 661.0, 1e-12);
    // Shorter than one frame: nothing to gate, active = overall.
    const ActiveLevelMeter s = measure({std::vector<float>(100, 0.5f)}, fs);
    EXPECT_NEAR(s.active_level_dbfs(), s.overall_level_dbfs(), 1e-12);
}

TEST(ActiveLevel, SilenceIsMinusInfinity) {
    const ActiveLevelMeter m = measure({std::vector<float>(10000, 0.0f)}, 44100);
    EXPECT_TRUE(std::isinf(m.active_level_dbfs()) && m.active_level_dbfs() < 0);
    EXPECT_TRUE(std::isinf(m.overall_level_dbfs()) && m.overall_level_dbfs() < 0);
    const ActiveLevelMeter empty(44100);
    EXPECT_TRUE(std::isinf(empty.active_level_dbfs()));
    EXPECT_EQ(empty.active_fraction(), 0.0);
}

TEST(ActiveLevel, BlockSizeDoesNotMatter) {
    const double fs = 44100;
    Planar sig(3, std::vector<float>(44100 + 123));
    std::uint32_t seed = 12345;
    for (std::size_t i = 0; i < sig[0].size(); ++i) {
        const double env = (i / 4410) % 3 == 0 ? 0.001 : 0.5;  // bursts and pauses
        for (auto& ch : sig) {
            seed = seed * 1664525u + 1013904223u;
            ch[i] = static_cast<float>(env * ((seed >> 8) / 16777216.0 - 0.5));
        }
    }
    const ActiveLevelMeter ref = measure(sig, fs);
    for (std::size_t block : {1u, 7u, 4096u}) {
        const ActiveLevelMeter m = measure(sig, fs, block);
        EXPECT_EQ(m.active_level_dbfs(), ref.active_level_dbfs()) << block;
        EXPECT_EQ(m.overall_level_dbfs(), ref.overall_level_dbfs()) << block;
        EXPECT_EQ(m.active_fraction(), ref.active_fraction()) << block;
    }
    EXPECT_GT(ref.active_fraction(), 0.5);
    EXPECT_LT(ref.active_fraction(), 0.8);
}

TEST(ActiveLevel, ChannelsArePooled) {
    const double fs = 48000;
    // Left full-scale sine, right silent: every frame has mean square 0.25 (pooled) -> -3.01 dBFS.
    const ActiveLevelMeter m = measure({sine(48000, 1000, fs, 1.0), std::vector<float>(48000, 0.0f)}, fs);
    EXPECT_NEAR(m.active_level_dbfs(), -3.0103, 0.005);
    EXPECT_NEAR(m.overall_level_dbfs(), -3.0103, 0.005);
    // Sine on the left in the first half, on the right in the second: all frames active at -3.01 dBFS.
    std::vector<float> l = sine(48000, 1000, fs, 1.0), r(48000, 0.0f);
    for (std::size_t i = 24000; i < 48000; ++i) std::swap(l[i], r[i]);
    const ActiveLevelMeter p = measure({l, r}, fs, 1000);
    EXPECT_NEAR(p.active_level_dbfs(), -3.0103, 0.005);
    EXPECT_DOUBLE_EQ(p.active_fraction(), 1.0);
    // The channel count is fixed by the first block.
    ActiveLevelMeter c(fs);
    const float* one[1] = {l.data()};
    const float* two[2] = {l.data(), r.data()};
    c.add(AudioView<const float>(one, 1, 100));
    EXPECT_THROW(c.add(AudioView<const float>(two, 2, 100)), ConfigError);
}

// The MSBG fixture speech (tests/data/README.md): overall RMS -25.00 dBFS as plain RMS, i.e. -21.99 dBFS
// re a full-scale sine; MSBG's measure_rms finds the active level 1.97 dB above the overall level with
// 63.4 % of the samples active (re-computed from the file with MSBG's algorithm: -20.024 dBFS, 1.966 dB).
TEST(ActiveLevel, MsbgFixtureSpeech) {
    const std::string path = EARSHOT_TEST_DATA "/msbg_input_speech_10s.flac";
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    ASSERT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
    ASSERT_EQ(info.channels, 1);
    std::vector<float> x(static_cast<std::size_t>(info.frames));
    ASSERT_EQ(sf_readf_float(f, x.data(), info.frames), info.frames);
    sf_close(f);
    const ActiveLevelMeter m = measure({x}, info.samplerate, 512);
    EXPECT_NEAR(m.overall_level_dbfs(), -21.99, 0.01);
    EXPECT_NEAR(m.active_level_dbfs() - m.overall_level_dbfs(), 1.97, 0.01);
    EXPECT_NEAR(m.active_level_dbfs(), -20.0237, 0.005);
    EXPECT_NEAR(m.active_fraction(), 0.634, 0.001);
}

}  // namespace
}  // namespace earshot
