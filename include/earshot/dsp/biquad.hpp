#pragma once
// Second-order IIR section, transposed direct form II, normalised so a0 = 1:
//   H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)
// Designs use the bilinear transform with frequency pre-warping (RBJ cookbook conventions) and are
// computed at the running sample rate. response() evaluates H on the unit circle for tests and design.
#include <complex>
#include <numbers>

namespace earshot {

struct BiquadCoeffs {
    double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;

    std::complex<double> response(double freq_hz, double sample_rate_hz) const noexcept {
        const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * freq_hz / sample_rate_hz);
        return (b0 + z1 * (b1 + z1 * b2)) / (1.0 + z1 * (a1 + z1 * a2));
    }

    /// Analogue prototype H(s) = (n2 s^2 + n1 s + n0) / (s^2 + d1 s + d0) with s normalised to w0 = 1,
    /// mapped by the bilinear transform with pre-warping at freq_hz.
    static BiquadCoeffs bilinear(double n2, double n1, double n0, double d1, double d0, double freq_hz,
                                 double sample_rate_hz) noexcept;
    /// 2nd-order low-pass / high-pass with quality factor q (Butterworth q = 1/sqrt 2, Bessel q = 1/sqrt 3).
    static BiquadCoeffs lowpass(double freq_hz, double q, double sample_rate_hz) noexcept;
    static BiquadCoeffs highpass(double freq_hz, double q, double sample_rate_hz) noexcept;
};

/// One section's state; kernel value type, no heap.
struct Biquad {
    BiquadCoeffs c;
    double s1 = 0, s2 = 0;
    double operator()(double x) noexcept {
        const double y = c.b0 * x + s1;
        s1 = c.b1 * x - c.a1 * y + s2;
        s2 = c.b2 * x - c.a2 * y;
        return y;
    }
    void reset() noexcept { s1 = s2 = 0; }
};

}  // namespace earshot
