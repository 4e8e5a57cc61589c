#include "earshot/dsp/min_phase.hpp"

#include <cmath>
#include <complex>
#include <numbers>

namespace earshot {
namespace {
// Plain complex FFT (radix-2, in place) in double for this design-time use.
void fft(std::vector<std::complex<double>>& a, bool inverse) {
    const std::size_t n = a.size();
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) std::swap(a[i], a[j]);
    }
    for (std::size_t len = 2; len <= n; len <<= 1) {
        const double ang = 2 * std::numbers::pi / double(len) * (inverse ? 1 : -1);
        const std::complex<double> wl = std::polar(1.0, ang);
        for (std::size_t i = 0; i < n; i += len) {
            std::complex<double> w = 1;
            for (std::size_t k = 0; k < len / 2; ++k) {
                const auto u = a[i + k], v = a[i + k + len / 2] * w;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
                w *= wl;
            }
        }
    }
    if (inverse)
        for (auto& x : a) x /= double(n);
}
}  // namespace

std::vector<float> min_phase_fir(const std::function<double(double)>& magnitude, double fs, std::size_t taps,
                                 std::size_t n) {
    std::vector<std::complex<double>> c(n);
    for (std::size_t k = 0; k < n; ++k) {
        const double f = double(k <= n / 2 ? k : n - k) * fs / double(n);
        c[k] = std::log(std::max(magnitude(f), 1e-12));
    }
    fft(c, true);  // real cepstrum
    for (std::size_t k = 1; k < n / 2; ++k) c[k] *= 2.0, c[n - k] = 0.0;
    fft(c, false);
    for (auto& x : c) x = std::exp(x);
    fft(c, true);
    std::vector<float> h(taps);
    const std::size_t tail = std::max<std::size_t>(1, taps / 8);
    for (std::size_t i = 0; i < taps; ++i) {
        double w = 1.0;
        if (i >= taps - tail) w = 0.5 + 0.5 * std::cos(std::numbers::pi * double(i - (taps - tail) + 1) / double(tail + 1));
        h[i] = float(c[i].real() * w);
    }
    return h;
}

}  // namespace earshot
