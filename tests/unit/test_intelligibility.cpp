// STOI / ESTOI: golden values from an independent numpy re-implementation (tools/stoi_reference.py, run on
// tests/data/slt_harvard_16k.flac; it resamples with scipy's resample_poly, earshot with its own resampler),
// analytic properties (identity, gain invariance, monotonic in SNR), alignment, errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "earshot/analysis/align.hpp"
#include "earshot/analysis/intelligibility.hpp"
#include "earshot/core/error.hpp"
#include "earshot/dsp/resampler.hpp"
#include "support/signals.hpp"

using namespace earshot;

namespace {

const std::vector<float>& speech(double& fs) {
    static double rate = 0;
    static const std::vector<float> x = test::read_mono_file(EARSHOT_TEST_DATA "/slt_harvard_16k.flac", rate);
    fs = rate;
    return x;
}

double mean_square(const std::vector<float>& x) {
    double e = 0;
    for (float v : x) e += double(v) * v;
    return e / double(x.size());
}

// The 32-bit LCG of tools/stoi_reference.py: uniform in [-1, 1).
std::vector<double> lcg_noise(std::size_t n, std::uint32_t seed) {
    std::vector<double> out(n);
    std::uint32_t s = seed;
    for (auto& v : out) {
        s = 1664525u * s + 1013904223u;
        v = double(s >> 8) / 8388608.0 - 1.0;
    }
    return out;
}

std::vector<float> plus_lcg_noise(const std::vector<float>& x, double snr_db) {
    auto nz = lcg_noise(x.size(), 12345);
    double pn = 0;
    for (double v : nz) pn += v * v;
    pn /= double(nz.size());
    const double g = std::sqrt(mean_square(x) / pn) * std::pow(10.0, -snr_db / 20.0);
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = float(double(x[i]) + nz[i] * g);
    return y;
}

std::vector<float> plus_white_noise(const std::vector<float>& x, double snr_db, unsigned seed) {
    auto nz = test::white_noise(x.size(), 1.0, seed);
    const double g = std::sqrt(mean_square(x) / mean_square(nz)) * std::pow(10.0, -snr_db / 20.0);
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = float(double(x[i]) + double(nz[i]) * g);
    return y;
}

}  // namespace

TEST(Intelligibility, IdentityIsOne) {
    double fs;
    const auto& x = speech(fs);
    const auto s = intelligibility(x, x, fs);
    EXPECT_NEAR(s.stoi, 1.0, 1e-6);
    EXPECT_NEAR(s.estoi, 1.0, 1e-6);
    EXPECT_GT(s.frames_used, 1000u);
    EXPECT_NEAR(stoi(x, x, fs), 1.0, 1e-6);
    EXPECT_NEAR(estoi(x, x, fs), 1.0, 1e-6);
}

TEST(Intelligibility, MatchesIndependentNumpyImplementation) {
    double fs;
    const auto& x = speech(fs);
    ASSERT_EQ(fs, 16000.0);
    // tools/stoi_reference.py: "spec" = resampled to 10 kHz with a filter of earshot's resampler specification
    // (checks the STOI/ESTOI computation: must agree within 0.005); "matlab" = resample_poly's default filter,
    // like MATLAB's resample in the authors' code (differs by the anti-alias filter only: within 0.01).
    struct Golden {
        std::string name;
        std::vector<float> y;
        double stoi, estoi, matlab_stoi, matlab_estoi;
    };
    std::vector<Golden> cases;
    cases.push_back({"noise 10 dB", plus_lcg_noise(x, 10.0), 0.877778, 0.726776, 0.875387, 0.721347});
    cases.push_back({"noise 0 dB", plus_lcg_noise(x, 0.0), 0.750955, 0.525174, 0.748524, 0.521081});
    cases.push_back({"noise -5 dB", plus_lcg_noise(x, -5.0), 0.679003, 0.416430, 0.677112, 0.413208});
    std::vector<float> gated(x.size()), clipped(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / fs;
        gated[i] = std::fmod(std::floor(t * 16.0), 2.0) == 0.0 ? x[i] : 0.0f;  // 8 Hz, 50 % duty
        clipped[i] = std::clamp(x[i], -0.05f, 0.05f);
    }
    cases.push_back({"gated 8 Hz", gated, 0.530646, 0.501898, 0.531364, 0.500717});
    cases.push_back({"clipped", clipped, 0.741015, 0.620944, 0.742797, 0.622305});
    for (const auto& c : cases) {
        const auto s = intelligibility(x, c.y, fs);
        EXPECT_NEAR(s.stoi, c.stoi, 0.005) << c.name;
        EXPECT_NEAR(s.estoi, c.estoi, 0.005) << c.name;
        EXPECT_NEAR(s.stoi, c.matlab_stoi, 0.01) << c.name;
        EXPECT_NEAR(s.estoi, c.matlab_estoi, 0.01) << c.name;
        std::printf("  %-12s STOI %.6f (numpy %.6f)  ESTOI %.6f (numpy %.6f)\n", c.name.c_str(), s.stoi, c.stoi, s.estoi,
                    c.estoi);
    }
}

TEST(Intelligibility, DecreasesWithNoiseAndMatchesResearchNotes) {
    // validation.md 5.4 (scratch implementation, one festival slt sentence, white noise at 20/5/0/-5 dB SNR):
    // STOI 0.951/0.735/0.661/0.582, ESTOI 0.893/0.559/0.471/0.381. Here: the first sentence (first 3 s of
    // the file: 300 ms silence, "The birch canoe slid on the smooth planks.", 300 ms silence), SNR over it.
    double fs;
    const auto& all = speech(fs);
    const std::vector<float> x(all.begin(), all.begin() + long(3.0 * fs));
    const double snrs[] = {20.0, 5.0, 0.0, -5.0};
    const double notes_stoi[] = {0.951, 0.735, 0.661, 0.582}, notes_estoi[] = {0.893, 0.559, 0.471, 0.381};
    double prev_stoi = 1.0 + 1e-9, prev_estoi = 1.0 + 1e-9;
    for (int k = 0; k < 4; ++k) {
        IntelligibilityScore s;
        for (unsigned seed = 1; seed <= 8; ++seed) {
            const auto d = intelligibility(x, plus_white_noise(x, snrs[k], seed), fs);
            s.stoi += d.stoi / 8.0;
            s.estoi += d.estoi / 8.0;
        }
        std::printf("  SNR %5.1f dB: STOI %.3f (notes %.3f)  ESTOI %.3f (notes %.3f)\n", snrs[k], s.stoi, notes_stoi[k],
                    s.estoi, notes_estoi[k]);
        EXPECT_LT(s.stoi, prev_stoi) << snrs[k];
        EXPECT_LT(s.estoi, prev_estoi) << snrs[k];
        EXPECT_NEAR(s.stoi, notes_stoi[k], 0.05) << snrs[k];
        EXPECT_NEAR(s.estoi, notes_estoi[k], 0.05) << snrs[k];
        prev_stoi = s.stoi, prev_estoi = s.estoi;
    }
    // the whole file as well: strictly decreasing
    prev_stoi = prev_estoi = 2.0;
    for (double snr : snrs) {
        const auto s = intelligibility(all, plus_white_noise(all, snr, 5), fs);
        EXPECT_LT(s.stoi, prev_stoi) << snr;
        EXPECT_LT(s.estoi, prev_estoi) << snr;
        prev_stoi = s.stoi, prev_estoi = s.estoi;
    }
}

TEST(Intelligibility, GainOfDegradedSignalDoesNotMatter) {
    double fs;
    const auto& x = speech(fs);
    const auto y = plus_lcg_noise(x, 3.0);
    const auto s1 = intelligibility(x, y, fs);
    for (float g : {1e-3f, 0.1f, 7.5f, 1000.0f}) {
        std::vector<float> yg(y);
        for (float& v : yg) v *= g;
        const auto s = intelligibility(x, yg, fs);
        EXPECT_NEAR(s.stoi, s1.stoi, 1e-5) << g;
        EXPECT_NEAR(s.estoi, s1.estoi, 1e-5) << g;
    }
}

TEST(Intelligibility, DelayedCopyIsAlignedExactly) {
    double fs;
    const auto& x = speech(fs);
    for (long lag : {1968L /* 123 ms */, -1000L, 0L}) {
        std::vector<float> y;
        if (lag >= 0) {
            y.assign(std::size_t(lag), 0.0f);
            y.insert(y.end(), x.begin(), x.end());
        } else {
            y.assign(x.begin() + (-lag), x.end());
        }
        const auto s = score_intelligibility(x, fs, y, fs);
        EXPECT_EQ(s.delay_s, double(lag) / fs) << lag;
        EXPECT_GE(s.stoi, 0.99) << lag;
        EXPECT_GE(s.estoi, 0.99) << lag;
        if (lag != 0) {
            const auto u = score_intelligibility(x, fs, y, fs, false);
            EXPECT_EQ(u.delay_s, 0.0);
            EXPECT_LT(u.stoi, 0.9) << "unaligned, lag " << lag;
        }
    }
}

TEST(Intelligibility, DegradedAtAnotherRate) {
    // DEG at 44.1 kHz, delayed by 50 ms: resampled to REF's rate, aligned, scored.
    double fs;
    const auto& x = speech(fs);
    auto y = resample(x, fs, 44100.0);
    y.insert(y.begin(), std::size_t(0.05 * 44100.0), 0.0f);
    const auto s = score_intelligibility(x, fs, y, 44100.0);
    EXPECT_NEAR(s.delay_s, 0.05, 1.0 / fs);
    EXPECT_GE(s.stoi, 0.99);
    EXPECT_GE(s.estoi, 0.98);
}

TEST(Intelligibility, MaximumDelayBoundsTheSearch) {
    double fs;
    const auto& x = speech(fs);
    std::vector<float> y(std::size_t(0.3 * fs), 0.0f);
    y.insert(y.end(), x.begin(), x.end());
    EXPECT_NEAR(score_intelligibility(x, fs, y, fs, true, 0.5).delay_s, 0.3, 1e-12);
    EXPECT_LE(std::fabs(score_intelligibility(x, fs, y, fs, true, 0.1).delay_s), 0.1 + 1e-12);
}

TEST(Align, EnvelopeFallbackForNoiseCarrier) {
    // A one-band noise vocoder (the speech's 5 ms RMS envelope on white noise) keeps no waveform
    // correlation; the delay comes from the envelopes.
    double fs;
    const auto& all = speech(fs);
    const std::vector<float> x(all.begin(), all.begin() + long(10 * fs));
    const auto nz = test::white_noise(x.size(), 1.0, 3);
    const std::size_t w = std::size_t(0.005 * fs);
    std::vector<float> v(x.size());
    double acc = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        acc += double(x[i]) * x[i];
        if (i >= w) acc -= double(x[i - w]) * x[i - w];
        v[i] = float(std::sqrt(std::max(0.0, acc) / double(w)) * nz[i]);
    }
    const long lag = 800;  // 50 ms
    std::vector<float> y(std::size_t(lag) + std::size_t(w / 2), 0.0f);  // the envelope lags by w/2 already
    y.erase(y.end() - long(w / 2), y.end());
    y.insert(y.end(), v.begin(), v.end());
    const auto est = estimate_delay(x, y, fs, 1.0);
    EXPECT_TRUE(est.envelope_fallback);
    EXPECT_LT(est.peak_correlation, 0.15);
    EXPECT_NEAR(double(est.lag_samples), double(lag) + double(w) / 2.0, 0.002 * fs);  // within 2 ms
}

TEST(Intelligibility, Errors) {
    double fs;
    const auto& x = speech(fs);
    // 0.25 s of speech: fewer than 30 frames
    const std::vector<float> shortx(x.begin() + long(0.4 * fs), x.begin() + long(0.65 * fs));
    EXPECT_THROW(intelligibility(shortx, shortx, fs), ConfigError);
    try {
        intelligibility(shortx, shortx, fs);
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("at least 30"), std::string::npos) << e.what();
    }
    const std::vector<float> silent(x.size(), 0.0f);
    EXPECT_THROW(score_intelligibility(silent, fs, x, fs), ConfigError);
    EXPECT_THROW(score_intelligibility(x, 500.0, x, fs), ConfigError);
    EXPECT_THROW(score_intelligibility(x, fs, x, 400000.0), ConfigError);
    // a silent degraded signal is valid input (nothing intelligible)
    const auto s = score_intelligibility(x, fs, silent, fs);
    EXPECT_LT(std::fabs(s.stoi), 0.05);
    EXPECT_LT(std::fabs(s.estoi), 0.05);
}
