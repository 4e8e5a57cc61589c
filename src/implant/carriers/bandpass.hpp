#pragma once
// Internal: the noise carrier's bands and their band-pass filters.
#include <array>
#include <complex>
#include <numbers>
#include <vector>

namespace earshot::aural {

struct Band {
    double lo_hz, hi_hz;
};

/// One band per place frequency (same order): edges at the geometric midpoints between neighbouring places
/// (in frequency order), the outer edges mirrored about the outer places (same ratio), a single place gets
/// half an octave; upper edges at most 0.49 fs.
std::vector<Band> noise_bands(const std::vector<double>& place_hz, double fs);

/// Section b0 (1 - z^-2) / (1 + a1 z^-1 + a2 z^-2).
struct BandpassSection {
    double b0 = 0, a1 = 0, a2 = 0;
    std::complex<double> response(double freq_hz, double fs) const noexcept;
};

/// 4th-order Butterworth band-pass (2nd-order low-pass prototype, bilinear transform, edges pre-warped) as
/// two sections, each of unit gain at the centre frequency.
std::array<BandpassSection, 2> butterworth_bandpass4(const Band& band, double fs);

/// Group delay (samples) of a response at freq_hz, by a central difference of its phase.
template <class Response>
double group_delay_samples(const Response& h, double freq_hz, double fs) {
    const double df = 1e-6 * fs;
    const std::complex<double> ratio = h(freq_hz + df) * std::conj(h(freq_hz - df));
    return -std::arg(ratio) / (2.0 * 2.0 * std::numbers::pi * df / fs);
}

}  // namespace earshot::aural
