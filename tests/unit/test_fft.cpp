// RealFft against a direct DFT (double precision), for the power-of-two fast path and the kissfft
// path, and the round trip inverse(forward(x)) = N x.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/dsp/fft.hpp"

namespace {

void check_size(std::size_t n) {
    std::mt19937 rng{static_cast<unsigned>(n)};
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    std::vector<float> x(n);
    for (auto& v : x) v = u(rng);
    earshot::RealFft fft(n);
    std::vector<std::complex<float>> X(n / 2 + 1);
    fft.forward(x.data(), X.data());
    double max_err = 0, scale = 0;
    for (std::size_t k = 0; k <= n / 2; ++k) {
        std::complex<double> ref = 0;
        for (std::size_t t = 0; t < n; ++t)
            ref += double(x[t]) * std::polar(1.0, -2.0 * std::numbers::pi * double(k * t % n) / double(n));
        max_err = std::max(max_err, std::abs(ref - std::complex<double>(X[k])));
        scale = std::max(scale, std::abs(ref));
    }
    EXPECT_LT(max_err / scale, 2e-6) << "size " << n;
    std::vector<float> y(n);
    fft.inverse(X.data(), y.data());
    double rt = 0;
    for (std::size_t t = 0; t < n; ++t) rt = std::max(rt, std::abs(double(y[t]) / double(n) - x[t]));
    EXPECT_LT(rt, 1e-5) << "size " << n;
}

}  // namespace

TEST(RealFft, PowersOfTwoMatchDirectDft) {
    for (std::size_t n : {16, 32, 64, 128, 256, 512, 1024, 4096}) check_size(n);
}

TEST(RealFft, OtherSizesMatchDirectDft) {
    for (std::size_t n : {12, 90, 184, 560, 1000}) check_size(n);
}

TEST(RealFft, RejectsOddSizes) { EXPECT_THROW(earshot::RealFft(15), earshot::Error); }
