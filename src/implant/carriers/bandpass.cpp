#include "bandpass.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace earshot::aural {

std::vector<Band> noise_bands(const std::vector<double>& place_hz, double fs) {
    const std::size_t n = place_hz.size();
    std::vector<Band> bands(n);
    const double top = 0.49 * fs;
    if (n == 1) {
        bands[0] = {place_hz[0] * std::pow(2.0, -0.25), std::min(top, place_hz[0] * std::pow(2.0, 0.25))};
        return bands;
    }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return place_hz[a] < place_hz[b]; });
    for (std::size_t k = 0; k < n; ++k) {
        const double f = place_hz[order[k]];
        const double lo = k > 0 ? std::sqrt(place_hz[order[k - 1]] * f) : f * std::sqrt(f / place_hz[order[1]]);
        const double hi = k + 1 < n ? std::sqrt(place_hz[order[k + 1]] * f) : f * std::sqrt(f / place_hz[order[n - 2]]);
        bands[order[k]] = {lo, std::min(top, hi)};
    }
    return bands;
}

std::complex<double> BandpassSection::response(double freq_hz, double fs) const noexcept {
    const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * freq_hz / fs);
    return b0 * (1.0 - z1 * z1) / (1.0 + z1 * (a1 + z1 * a2));
}

std::array<BandpassSection, 2> butterworth_bandpass4(const Band& band, double fs) {
    const double t = 2.0 * fs;
    const double wl = t * std::tan(std::numbers::pi * band.lo_hz / fs), wh = t * std::tan(std::numbers::pi * band.hi_hz / fs);
    const double w0 = std::sqrt(wl * wh), bw = wh - wl;
    // Prototype pole p = (-1 + i)/sqrt 2 (and its conjugate); low-pass -> band-pass s -> (s^2 + w0^2) / (bw s)
    // maps p to the roots of s^2 - p bw s + w0^2 = 0; each root and its conjugate make one section.
    const std::complex<double> p(-std::numbers::sqrt2 / 2.0, std::numbers::sqrt2 / 2.0);
    const std::complex<double> disc = std::sqrt(p * p * bw * bw - 4.0 * w0 * w0);
    const std::complex<double> roots[2] = {(p * bw + disc) / 2.0, (p * bw - disc) / 2.0};
    const double f0 = fs / std::numbers::pi * std::atan(w0 / t);  // digital centre
    std::array<BandpassSection, 2> out;
    for (int k = 0; k < 2; ++k) {
        const std::complex<double> z = (t + roots[k]) / (t - roots[k]);
        BandpassSection s{1.0, -2.0 * z.real(), std::norm(z)};
        s.b0 = 1.0 / std::abs(s.response(f0, fs));
        out[std::size_t(k)] = s;
    }
    return out;
}

}  // namespace earshot::aural
