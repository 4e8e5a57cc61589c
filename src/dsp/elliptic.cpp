#include "earshot/dsp/elliptic.hpp"

#include <cmath>
#include <complex>

namespace earshot {

EllipticLowpass elliptic2_lowpass(double fc_hz, double rp_db, double rs_db, double fs) noexcept {
    const double eps2 = std::pow(10.0, rp_db / 10.0) - 1.0;
    const double big_l = std::sqrt((std::pow(10.0, rs_db / 10.0) - 1.0) / eps2);
    const double t = (big_l - 1.0) / (big_l + 1.0);
    // |H|^2 with u = w^2: numerator ((t-1)u + 1)^2, denominator a u^2 + b u + c.
    const double a = (t - 1.0) * (t - 1.0) + eps2 * (t + 1.0) * (t + 1.0);
    const double b = 2.0 * (t - 1.0) - 2.0 * eps2 * (t + 1.0);
    const double c = 1.0 + eps2;
    // Poles: roots of a s^4 - b s^2 + c (u = -s^2); s^2 = (b +- sqrt(b^2 - 4ac)) / 2a, complex pair.
    const std::complex<double> disc = std::sqrt(std::complex<double>(b * b - 4.0 * a * c, 0.0));
    const std::complex<double> s2 = (b + disc) / (2.0 * a);
    std::complex<double> s = std::sqrt(s2);
    if (s.real() > 0) s = -s;  // left half plane
    // D(s) = (s - s0)(s - conj s0) = s^2 - 2 Re(s0) s + |s0|^2
    const double d1 = -2.0 * s.real(), d0 = std::norm(s);
    // Zeros at w_z^2 = 1/(1 - t): N(s) = k (s^2 + w_z^2); DC gain 1/sqrt(1 + eps2).
    const double wz2 = 1.0 / (1.0 - t);
    const double k = d0 / wz2 / std::sqrt(1.0 + eps2);
    EllipticLowpass e;
    e.coeffs = BiquadCoeffs::bilinear(k, 0.0, k * wz2, d1, d0, fc_hz, fs);
    e.stopband_edge_ratio = 1.0 / std::sqrt(1.0 - t * t);
    return e;
}

}  // namespace earshot
