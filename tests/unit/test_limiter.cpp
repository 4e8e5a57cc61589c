// Output limiter: the ceiling holds exactly, quiet signals pass bit-exactly with the stated delay.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/dsp/limiter.hpp"

namespace earshot {
namespace {

static_assert(BlockProcessor<Limiter>);

// Runs planar channels through the limiter in blocks of `block` frames (in place, as the renderer does).
std::vector<std::vector<float>> run(Limiter& lim, std::vector<std::vector<float>> x, std::size_t block) {
    const std::size_t nch = x.size(), n = x[0].size();
    std::vector<float*> ptrs(nch);
    for (std::size_t pos = 0; pos < n; pos += block) {
        const std::size_t m = std::min(block, n - pos);
        for (std::size_t c = 0; c < nch; ++c) ptrs[c] = x[c].data() + pos;
        AudioView<float> io(ptrs.data(), nch, m);
        lim.process(AudioView<const float>(reinterpret_cast<const float* const*>(ptrs.data()), nch, m), io);
    }
    return x;
}

std::vector<float> sine(double amp, double freq, double fs, std::size_t n) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(amp * std::sin(2 * M_PI * freq * i / fs));
    return v;
}

TEST(Limiter, LatencyIsOneMillisecond) {
    Limiter lim(LimiterConfig{-1.0});
    lim.prepare({48000, 256, 2});
    EXPECT_EQ(lim.latency_samples(), 48u);
    lim.prepare({44100, 256, 1});
    EXPECT_EQ(lim.latency_samples(), 44u);
}

TEST(Limiter, LoudSineNeverExceedsCeiling) {
    for (double ceiling_db : {0.0, -1.0, -6.0, -20.0}) {
        for (double amp : {1.5, 4.0, 30.0}) {
            Limiter lim(LimiterConfig{ceiling_db});
            lim.prepare({44100, 512, 1});
            auto y = run(lim, {sine(amp, 997, 44100, 44100)}, 300);
            const float ceiling = static_cast<float>(std::pow(10.0, ceiling_db / 20));
            float peak = 0;
            for (float v : y[0]) peak = std::max(peak, std::fabs(v));
            EXPECT_LE(peak, ceiling) << "ceiling " << ceiling_db << " amp " << amp;
            EXPECT_GT(peak, 0.9f * ceiling);  // and it is not simply silenced
        }
    }
}

TEST(Limiter, BurstsAndClicksNeverExceedCeiling) {
    // Sudden full-scale clicks after silence: the look-ahead must catch the very first sample.
    const double fs = 48000;
    std::vector<float> x(48000, 0.0f);
    for (std::size_t i = 1000; i < x.size(); i += 3777) x[i] = (i % 2 ? 8.0f : -8.0f);
    auto tone = sine(0.3, 200, fs, x.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += tone[i];
    Limiter lim(LimiterConfig{-3.0});
    lim.prepare({fs, 64, 1});
    auto y = run(lim, {x}, 64);
    const float ceiling = static_cast<float>(std::pow(10.0, -3.0 / 20));
    for (float v : y[0]) ASSERT_LE(std::fabs(v), ceiling);
}

TEST(Limiter, GainIsLinkedAcrossChannels) {
    // Loud left, quiet right: the right channel is reduced by the same gain (ratio preserved).
    Limiter lim(LimiterConfig{-6.0});
    lim.prepare({44100, 1024, 2});
    auto left = sine(2.0, 440, 44100, 22050);
    auto right = sine(0.1, 440, 44100, 22050);
    auto y = run(lim, {left, right}, 1024);
    const std::size_t L = lim.latency_samples();
    for (std::size_t i = 5000; i < 22050; i += 7) {
        if (std::fabs(left[i - L]) < 0.5f) continue;
        EXPECT_NEAR(y[1][i] / y[0][i], right[i - L] / left[i - L], 1e-4);
    }
}

TEST(Limiter, QuietSignalPassesUntouchedWithExactDelay) {
    Limiter lim(LimiterConfig{-1.0});
    lim.prepare({44100, 256, 2});
    const std::size_t L = lim.latency_samples();
    auto a = sine(0.5, 300, 44100, 10000);
    auto b = sine(0.7, 1234, 44100, 10000);
    auto y = run(lim, {a, b}, 173);
    for (std::size_t i = 0; i < L; ++i) EXPECT_EQ(y[0][i], 0.0f);
    for (std::size_t i = L; i < a.size(); ++i) {
        ASSERT_EQ(y[0][i], a[i - L]);
        ASSERT_EQ(y[1][i], b[i - L]);
    }
}

TEST(Limiter, ImpulsePeaksAtLatency) {
    Limiter lim(LimiterConfig{0.0});
    lim.prepare({32000, 128, 1});
    std::vector<float> x(256, 0.0f);
    x[0] = 0.5f;
    auto y = run(lim, {x}, 128);
    std::size_t peak = 0;
    for (std::size_t i = 0; i < y[0].size(); ++i)
        if (std::fabs(y[0][i]) > std::fabs(y[0][peak])) peak = i;
    EXPECT_EQ(peak, lim.latency_samples());
}

TEST(Limiter, RecoversAfterReleaseAndResetRestoresState) {
    const double fs = 44100;
    Limiter lim(LimiterConfig{-6.0});
    lim.prepare({fs, 512, 1});
    std::vector<float> x = sine(3.0, 500, fs, 4410);  // loud 100 ms
    auto quiet = sine(0.1, 500, fs, 44100);            // then 1 s quiet
    x.insert(x.end(), quiet.begin(), quiet.end());
    auto y = run(lim, {x}, 512);
    const std::size_t L = lim.latency_samples();
    // 500 ms after the burst (10 release time constants) the gain is back to unity.
    for (std::size_t i = 4410 + 22050; i < x.size(); ++i) ASSERT_NEAR(y[0][i], x[i - L], 1e-5f);
    EXPECT_LT(lim.max_gain_reduction_db(), -10.0);
    lim.reset();
    EXPECT_EQ(lim.max_gain_reduction_db(), 0.0);
    auto z = run(lim, {quiet}, 512);
    for (std::size_t i = L; i < quiet.size(); ++i) ASSERT_EQ(z[0][i], quiet[i - L]);
}

TEST(Limiter, CeilingOutOfRangeIsRejected) {
    EXPECT_THROW(Limiter(LimiterConfig{3.0}), ConfigError);
    EXPECT_THROW(Limiter(LimiterConfig{-80.0}), ConfigError);
}

}  // namespace
}  // namespace earshot
