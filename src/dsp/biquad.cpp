#include "earshot/dsp/biquad.hpp"

#include <cmath>

namespace earshot {

BiquadCoeffs BiquadCoeffs::bilinear(double n2, double n1, double n0, double d1, double d0, double freq_hz,
                                    double sample_rate_hz) noexcept {
    // s = K (1 - z^-1) / (1 + z^-1), K = 1 / tan(pi f / fs) maps analogue w = 1 onto freq_hz exactly.
    const double k = 1.0 / std::tan(std::numbers::pi * freq_hz / sample_rate_hz);
    const double k2 = k * k;
    const double a0 = k2 + d1 * k + d0;
    BiquadCoeffs c;
    c.b0 = (n2 * k2 + n1 * k + n0) / a0;
    c.b1 = (2.0 * n0 - 2.0 * n2 * k2) / a0;
    c.b2 = (n2 * k2 - n1 * k + n0) / a0;
    c.a1 = (2.0 * d0 - 2.0 * k2) / a0;
    c.a2 = (k2 - d1 * k + d0) / a0;
    return c;
}

BiquadCoeffs BiquadCoeffs::lowpass(double freq_hz, double q, double sample_rate_hz) noexcept {
    return bilinear(0, 0, 1, 1.0 / q, 1, freq_hz, sample_rate_hz);
}

BiquadCoeffs BiquadCoeffs::highpass(double freq_hz, double q, double sample_rate_hz) noexcept {
    return bilinear(1, 0, 0, 1.0 / q, 1, freq_hz, sample_rate_hz);
}

}  // namespace earshot
