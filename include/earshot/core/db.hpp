#pragma once
// Decibels: the conversions used throughout, in one place.
//   amplitude ratio a <-> dB: 20 log10 a;  power (mean-square) ratio p <-> dB: 10 log10 p.
//   dBFS here is RMS re a full-scale sine (the convention of core/calibration.hpp): a sine of amplitude 1
//   has RMS 1/sqrt 2 and reads 0 dBFS, so dBFS = 10 log10(mean square) + 20 log10(sqrt 2), the latter
//   3.0103 dB (kSineRmsDb), which is also a full-scale sine's peak re its RMS.
#include <cmath>
#include <limits>

namespace earshot {

/// 20 log10(sqrt 2) dB = 10 log10(2) dB: a sine's peak re its RMS; dBFS re a full-scale sine minus dB re RMS 1.
inline constexpr double kSineRmsDb = 3.0102999566398121;

/// Amplitude ratio of a gain in dB: 10^(db / 20).
inline double db_to_amplitude(double db) noexcept { return std::pow(10.0, db / 20.0); }
/// Power ratio of a gain in dB: 10^(db / 10).
inline double db_to_power(double db) noexcept { return std::pow(10.0, db / 10.0); }
/// dB of an amplitude ratio: 20 log10(a); -inf for 0.
inline double amplitude_to_db(double a) noexcept { return 20.0 * std::log10(a); }
/// dB of a power ratio: 10 log10(p); -inf for 0.
inline double power_to_db(double p) noexcept { return 10.0 * std::log10(p); }
/// dBFS (RMS re a full-scale sine) of a mean square; -inf when it is not positive (silence, or NaN).
inline double mean_square_to_dbfs(double mean_square) noexcept {
    return mean_square > 0.0 ? power_to_db(mean_square) + kSineRmsDb : -std::numeric_limits<double>::infinity();
}

}  // namespace earshot
