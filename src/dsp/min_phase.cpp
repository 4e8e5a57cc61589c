#include "earshot/dsp/min_phase.hpp"

#include <algorithm>
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

PhaseCorrection phase_correction_fir(const std::vector<std::complex<double>>& h,
                                     const std::function<double(double)>& magnitude, double fs, std::size_t max_taps,
                                     double tail_before, double tail_after) {
    const std::size_t n = 2 * (h.size() - 1);
    double hmax = 0;
    for (const auto& v : h) hmax = std::max(hmax, std::abs(v));
    std::vector<std::complex<double>> c(n);
    for (std::size_t k = 0; k <= n / 2; ++k) {
        const double f = double(k) * fs / double(n);
        const double eps2 = std::pow(1e-3 * hmax, 2) + 1e-300;
        std::complex<double> v = magnitude(f) * std::conj(h[k]) / std::sqrt(std::norm(h[k]) + eps2);
        if (k == 0 || k == n / 2) v = v.real();
        c[k] = v;
        if (k > 0 && k < n / 2) c[n - k] = std::conj(v);
    }
    fft(c, true);
    // Rotate the circular response so that its peak is at n/4 (the ringing after it is the longer part):
    // r[i] is time t = i + p - n/4 (p signed in (-n/2, n/2]).
    std::size_t pk = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (std::abs(c[i].real()) > std::abs(c[pk].real())) pk = i;
    const long p = pk > n / 2 ? long(pk) - long(n) : long(pk);
    std::vector<double> r(n), cum(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        r[i] = c[(std::size_t(long(i) + p - long(n / 4) + long(n))) % n].real();
        cum[i + 1] = cum[i] + r[i] * r[i];
    }
    const double total = cum[n];
    std::size_t start = 0, end = n;  // [start, end)
    while (start < n / 4 && cum[start + 1] < tail_before * total) ++start;
    while (end > n / 4 + 1 && total - cum[end - 1] < tail_after * total) --end;
    // Too long: shorten the side that holds less energy, step by step.
    while (end - start > max_taps) {
        if (cum[start + 1] - cum[start] < cum[end] - cum[end - 1]) ++start;
        else --end;
    }
    // Time 0 of the ideal response sits at tap L = -(start + p - n/4); if that is negative, drop taps.
    long L = -(long(start) + p - long(n / 4));
    if (L < 0) start += std::size_t(-L), L = 0;
    PhaseCorrection out;
    out.delay = std::size_t(L);
    const std::size_t len = end - start;
    out.taps.resize(len);
    const std::size_t ramp = std::max<std::size_t>(1, len / 32);
    for (std::size_t i = 0; i < len; ++i) {
        double w = 1.0;
        if (i < ramp) w = 0.5 - 0.5 * std::cos(std::numbers::pi * double(i + 1) / double(ramp + 1));
        if (len - 1 - i < ramp) w = std::min(w, 0.5 - 0.5 * std::cos(std::numbers::pi * double(len - i) / double(ramp + 1)));
        out.taps[i] = float(r[start + i] * w);
    }
    return out;
}

}  // namespace earshot
