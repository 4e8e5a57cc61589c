#pragma once
// Second-order elliptic (Cauer) low-pass, as scipy.signal.ellip(2, rp, rs, fc): equiripple passband of
// rp dB up to fc (the passband edge), stopband at least rs dB down. Closed form for order 2:
// |H(jw)|^2 = 1 / (1 + eps^2 R2(w)^2), R2(x) = ((t+1) x^2 - 1) / ((t-1) x^2 + 1), with
// eps^2 = 10^(rp/10) - 1 and t = (L - 1)/(L + 1) from the discrimination L = sqrt((10^(rs/10) - 1)/eps^2)
// (R2(xi) = L at the stopband edge xi = 1/sqrt(1 - t^2)). DC gain is 10^(-rp/20), as for every
// even-order elliptic filter. Bilinear transform pre-warped at fc.
#include "earshot/dsp/biquad.hpp"

namespace earshot {

struct EllipticLowpass {
    BiquadCoeffs coeffs;
    double stopband_edge_ratio = 0;  ///< xi: stopband starts at xi x fc
};

EllipticLowpass elliptic2_lowpass(double fc_hz, double rp_db, double rs_db, double sample_rate_hz) noexcept;

}  // namespace earshot
