#pragma once
// The alignment tests' signal (tests/analytic/test_alignment.cpp, test_alignment_implant.cpp): syllable-like
// bursts of white or speech-shaped noise (-6 dB/octave above 500 Hz, 100 Hz high-pass).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <random>
#include <vector>

#include "earshot/core/calibration.hpp"
#include "earshot/dsp/biquad.hpp"

namespace earshot::test {

// Bursts of 60-180 ms with 20-120 ms gaps, 10 ms raised-cosine ramps: onsets for the envelope criterion.
// At the default calibration (full-scale sine = 100 dB SPL, RMS 1 = 103 dB SPL), scaled to level_db_spl overall.
inline std::vector<float> gated_noise(double fs, bool speech_shaped, unsigned seed, double level_db_spl) {
    const std::size_t n = std::size_t(1.5 * fs);
    std::mt19937 rng(seed);
    std::normal_distribution<double> g(0.0, 1.0);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<float> x(n);
    Biquad hp{BiquadCoeffs::highpass(100.0, std::sqrt(0.5), fs)};
    double y1 = 0;
    const double a = std::exp(-2.0 * std::numbers::pi * 500.0 / fs);  // one pole: -6 dB/octave above 500 Hz
    for (std::size_t i = 0; i < n; ++i) {
        double v = g(rng);
        if (speech_shaped) {
            y1 = (1.0 - a) * v + a * y1;
            v = hp(y1);
        }
        x[i] = float(v);
    }
    std::size_t i = std::size_t(0.05 * fs);
    std::vector<float> gate(n, 0.f);
    const std::size_t ramp = std::size_t(0.01 * fs);
    while (i < n) {
        const std::size_t len = std::size_t((0.06 + 0.12 * u(rng)) * fs);
        for (std::size_t k = 0; k < len && i + k < n; ++k) {
            double w = 1.0;
            if (k < ramp) w = 0.5 - 0.5 * std::cos(std::numbers::pi * double(k) / double(ramp));
            if (len - k <= ramp) w = std::min(w, 0.5 - 0.5 * std::cos(std::numbers::pi * double(len - k) / double(ramp)));
            gate[i + k] = float(w);
        }
        i += len + std::size_t((0.02 + 0.1 * u(rng)) * fs);
    }
    double e = 0;
    for (std::size_t k = 0; k < n; ++k) x[k] *= gate[k], e += double(x[k]) * x[k];
    const double rms_db = level_db_spl - Calibration{}.rms_one_db_spl();
    const double k_rms = std::pow(10.0, rms_db / 20.0) / std::sqrt(e / double(n));
    for (auto& v : x) v = float(v * k_rms);
    return x;
}

}  // namespace earshot::test
