#pragma once
// The benchmarks' speech-like test signal: pink-ish noise with a 4 Hz syllabic envelope, about -26 dBFS.
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

namespace earshot::bench {

inline std::vector<float> speechlike_signal(std::size_t n, double sample_rate_hz, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.f, 1.f);
    std::vector<float> x(n);
    float b0 = 0, b1 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const float w = g(rng);
        b0 = 0.99f * b0 + 0.1f * w;
        b1 = 0.6f * b1 + 0.4f * w;
        const float env = 0.5f + 0.5f * float(std::sin(2 * M_PI * 4.0 * double(i) / sample_rate_hz));
        x[i] = 0.05f * env * (b0 + b1);
    }
    return x;
}

}  // namespace earshot::bench
