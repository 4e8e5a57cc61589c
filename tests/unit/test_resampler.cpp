// Resampler: passband sines keep frequency, amplitude (within 0.1 dB) and phase once the latency is
// removed; tones above 0.5 * min(in, out) are attenuated >= 80 dB; streaming in any block size gives
// exactly the offline result. (process() allocating nothing is tested in tests/rt/test_resampler_rt.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/dsp/resampler.hpp"
#include "support/signals.hpp"

using namespace earshot;

namespace {

struct Fit {
    double amplitude;
    double phase_rad;  // of a sine: a sin(w n + phase)
};

// Least-squares fit of a sine of known frequency over [from, to).
Fit fit_sine(const std::vector<float>& y, double freq_hz, double fs, std::size_t from, std::size_t to) {
    double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
    for (std::size_t i = from; i < to; ++i) {
        const double w = 2.0 * std::numbers::pi * freq_hz * double(i) / fs;
        const double s = std::sin(w), c = std::cos(w);
        ss += s * s, sc += s * c, cc += c * c, ys += y[i] * s, yc += y[i] * c;
    }
    const double det = ss * cc - sc * sc;
    const double a = (ys * cc - yc * sc) / det;  // sin coefficient
    const double b = (yc * ss - ys * sc) / det;  // cos coefficient
    return {std::hypot(a, b), std::atan2(b, a)};
}

double rms(const std::vector<float>& y, std::size_t from, std::size_t to) {
    double e = 0;
    for (std::size_t i = from; i < to; ++i) e += double(y[i]) * y[i];
    return std::sqrt(e / double(to - from));
}

struct RatePair {
    double in_hz, out_hz;
};
const RatePair kPairs[] = {{44100, 15625}, {44100, 16000}, {48000, 16000}, {16000, 44100},
                           {15625, 48000}, {32000, 10000}, {44100, 22051} /* irrational path */};

}  // namespace

TEST(Resampler, RejectsRatesOutOfRange) {
    Resampler rs;
    EXPECT_THROW(rs.prepare(999.0, 16000.0, 64), ConfigError);
    EXPECT_THROW(rs.prepare(16000.0, 384001.0, 64), ConfigError);
    EXPECT_THROW(rs.prepare(std::nan(""), 16000.0, 64), ConfigError);
    EXPECT_NO_THROW(rs.prepare(1000.0, 384000.0, 64));
    EXPECT_NO_THROW(rs.prepare(384000.0, 1000.0, 64));
    try {
        rs.prepare(500.0, 16000.0, 64);
        ADD_FAILURE() << "500 Hz accepted";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("[1000, 384000]"), std::string::npos) << e.what();
    }
}

TEST(Resampler, RationalAndFallbackPaths) {
    Resampler rs;
    for (auto [a, b] : {RatePair{44100, 15625}, {44100, 16000}, {48000, 16000}, {32000, 10000}, {16000, 44100}}) {
        rs.prepare(a, b, 64);
        EXPECT_TRUE(rs.is_rational()) << a << " -> " << b;
    }
    rs.prepare(44100, 22051, 64);
    EXPECT_FALSE(rs.is_rational());
    rs.prepare(44100.5, 16000, 64);
    EXPECT_FALSE(rs.is_rational());
}

TEST(Resampler, PassbandSinesKeepAmplitudeFrequencyAndPhase) {
    for (const auto& [in_hz, out_hz] : kPairs) {
        const double lo = std::min(in_hz, out_hz);
        for (double f : {100.0, 1000.0, 0.3 * lo, 0.45 * lo}) {
            const double phase0 = 0.7;
            const std::size_t n = std::size_t(in_hz * 0.5);
            std::vector<float> x(n);
            for (std::size_t i = 0; i < n; ++i)
                x[i] = float(0.5 * std::sin(2.0 * std::numbers::pi * f * double(i) / in_hz + phase0));
            const auto y = resample(x, in_hz, out_hz);
            ASSERT_EQ(y.size(), std::size_t(std::llround(double(n) * out_hz / in_hz)));
            // steady state, away from the start/end transients
            const std::size_t from = y.size() / 5, to = y.size() - y.size() / 5;
            const Fit fit = fit_sine(y, f, out_hz, from, to);
            EXPECT_NEAR(20.0 * std::log10(fit.amplitude / 0.5), 0.0, 0.1) << in_hz << "->" << out_hz << " f " << f;
            double dphi = std::remainder(fit.phase_rad - phase0, 2.0 * std::numbers::pi);
            EXPECT_NEAR(dphi, 0.0, 1e-3) << in_hz << "->" << out_hz << " f " << f;  // < 1e-3 rad
            // nothing else in the output: residual 70 dB below the sine (passband ripple and aliases)
            std::vector<float> r(y.size());
            for (std::size_t i = 0; i < y.size(); ++i)
                r[i] = y[i] - float(fit.amplitude * std::sin(2.0 * std::numbers::pi * f * double(i) / out_hz + fit.phase_rad));
            EXPECT_LT(20.0 * std::log10(rms(r, from, to) / (0.5 / std::sqrt(2.0))), -70.0) << in_hz << "->" << out_hz << " f " << f;
        }
    }
}

TEST(Resampler, StopbandAttenuatedBy80Db) {
    for (const auto& [in_hz, out_hz] : kPairs) {
        const double lo = std::min(in_hz, out_hz);
        if (out_hz < in_hz) {
            // downsampling: input tones above 0.5 * out would alias; they must vanish
            for (double rel : {0.5, 0.52, 0.6, 0.8}) {
                const double f = rel * out_hz;
                if (f >= 0.5 * in_hz) continue;
                const auto x = test::sine(f, in_hz, std::size_t(in_hz * 0.5), 1.0);
                const auto y = resample(x, in_hz, out_hz);
                const double att = 20.0 * std::log10(rms(y, y.size() / 5, y.size() - y.size() / 5) / std::sqrt(0.5));
                EXPECT_LT(att, -80.0) << in_hz << "->" << out_hz << " f " << f;
            }
            // highest input frequencies too
            const auto x = test::sine(0.49 * in_hz, in_hz, std::size_t(in_hz * 0.5), 1.0);
            const auto y = resample(x, in_hz, out_hz);
            EXPECT_LT(20.0 * std::log10(rms(y, y.size() / 5, y.size() - y.size() / 5) / std::sqrt(0.5)), -80.0);
        } else {
            // upsampling: a passband tone's images (at in - f, in + f, ...) above 0.5 * in must vanish;
            // the residual after removing the tone holds them.
            for (double f : {0.1 * lo, 0.45 * lo}) {
                const auto x = test::sine(f, in_hz, std::size_t(in_hz * 0.5), 1.0);
                const auto y = resample(x, in_hz, out_hz);
                const std::size_t from = y.size() / 5, to = y.size() - y.size() / 5;
                const Fit fit = fit_sine(y, f, out_hz, from, to);
                std::vector<float> r(y.size());
                for (std::size_t i = 0; i < y.size(); ++i)
                    r[i] = y[i] - float(fit.amplitude * std::sin(2.0 * std::numbers::pi * f * double(i) / out_hz + fit.phase_rad));
                EXPECT_LT(20.0 * std::log10(rms(r, from, to) / std::sqrt(0.5)), -80.0) << in_hz << "->" << out_hz << " f " << f;
            }
        }
    }
}

TEST(Resampler, StreamingInAnyBlockSizeEqualsOffline) {
    const auto x = test::white_noise(20000, 0.2, 7);
    for (const auto& [in_hz, out_hz] : kPairs) {
        const auto ref = resample(x, in_hz, out_hz);
        for (std::size_t block : {1u, 7u, 64u, 4096u}) {
            Resampler rs;
            rs.prepare(in_hz, out_hz, 64);  // 4096 exercises the internal split of large blocks
            const auto lat = rs.latency_samples();
            std::vector<float> in(x);
            in.resize(x.size() + 20000, 0.0f);
            std::vector<float> out, tmp(rs.max_output(block));
            for (std::size_t i = 0; i < in.size() && out.size() < ref.size() + lat; i += block) {
                const std::size_t n = std::min(block, in.size() - i);
                const std::size_t m = rs.process(in.data() + i, n, tmp.data());
                ASSERT_LE(m, rs.max_output(n));
                out.insert(out.end(), tmp.begin(), tmp.begin() + long(m));
            }
            ASSERT_GE(out.size(), ref.size() + lat);
            std::size_t mismatches = 0;
            for (std::size_t i = 0; i < ref.size(); ++i) mismatches += out[lat + i] != ref[i];
            EXPECT_EQ(mismatches, 0u) << in_hz << "->" << out_hz << " block " << block;
        }
    }
}

TEST(Resampler, ResetReturnsToPreparedState) {
    const auto x = test::white_noise(3000, 0.2, 3);
    Resampler rs;
    rs.prepare(44100, 16000, 512);
    std::vector<float> a(rs.max_output(3000)), b(rs.max_output(3000));
    const std::size_t na = rs.process(x.data(), x.size(), a.data());
    rs.reset();
    const std::size_t nb = rs.process(x.data(), x.size(), b.data());
    ASSERT_EQ(na, nb);
    for (std::size_t i = 0; i < na; ++i) ASSERT_EQ(a[i], b[i]);
}

TEST(Resampler, OutputRateMatchesLongRun) {
    // Over a long stream the output count tracks n * out / in (no drift), also on the fallback path.
    for (const auto& [in_hz, out_hz] : kPairs) {
        Resampler rs;
        rs.prepare(in_hz, out_hz, 1000);
        std::vector<float> x(1000, 0.0f), y(rs.max_output(1000));
        std::size_t total = 0;
        const std::size_t blocks = 500;
        for (std::size_t b = 0; b < blocks; ++b) total += rs.process(x.data(), x.size(), y.data());
        const double expected = double(blocks * 1000) * out_hz / in_hz - double(rs.latency_samples());
        EXPECT_NEAR(double(total), expected, 60.0 + double(rs.latency_samples())) << in_hz << "->" << out_hz;
    }
}
