#pragma once
// Butterworth low- and high-pass filters of any order as cascades of biquads (bilinear transform with
// pre-warping, so the -3 dB point is exactly at freq_hz): order / 2 second-order sections with
// Q_k = 1 / (2 sin((2k + 1) pi / (2 order))), k = 0 .. order/2 - 1, and for odd orders one first-order
// section stored as a biquad with b2 = a2 = 0 (Oppenheim & Schafer, Discrete-Time Signal Processing, 7.1).
// Used by the CIS filterbank and the electric-acoustic crossover. freq_hz in Hz, below sample_rate_hz / 2.
#include <vector>

#include "earshot/dsp/biquad.hpp"

namespace earshot {

/// The sections of an order-`order` Butterworth low-pass (highpass = false) or high-pass at freq_hz.
std::vector<BiquadCoeffs> butterworth_sections(int order, double freq_hz, double sample_rate_hz, bool highpass);

}  // namespace earshot
