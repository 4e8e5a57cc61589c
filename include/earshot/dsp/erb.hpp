#pragma once
// Equivalent rectangular bandwidth of the normal auditory filter and the ERB-number scale
// (Glasberg & Moore 1990, Hear. Res. 47:103-138): ERB_N(f) = 24.7 (4.37 f/1000 + 1) Hz;
// ERB-number ("Cam") E(f) = 21.4 log10(4.37 f/1000 + 1). ERB_N(1 kHz) = 132.639 Hz.
#include <cmath>

namespace earshot {

constexpr double erb_hz(double freq_hz) noexcept { return 24.7 * (4.37e-3 * freq_hz + 1.0); }
inline double erb_number(double freq_hz) noexcept { return 21.4 * std::log10(4.37e-3 * freq_hz + 1.0); }
inline double erb_number_to_hz(double cam) noexcept { return (std::pow(10.0, cam / 21.4) - 1.0) / 4.37e-3; }

}  // namespace earshot
