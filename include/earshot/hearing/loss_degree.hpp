#pragma once
// Degree of sensorineural loss -> auditory filter broadening, channel spacing and spectral smearing.
//
// MSBG classes (Clarity `Audiogram.severity` and the three MSBG filterbanks): the mean of the
// audiogram's own values at 2..8 kHz (if it has none there: of the interpolated values at 2, 3, 4, 6
// and 8 kHz) selects
//   <= 15 dB  none      broadening 1.5, spacing 1.125 ERB-number units, no smearing
//   >  15     mild      1.5, 1.125, smearing (r_lower, r_upper) = (1.6, 1.1)
//   >  35     moderate  2.0, 1.5,   (2.4, 1.6)
//   >  56     severe    3.0, 2.25,  (4.0, 2.0)
// The continuous mode interpolates the same anchors piecewise-linearly at the class centres
// (15 -> 1.5/none, 25 -> mild, 45.5 -> moderate, 66 -> severe; flat outside), so that no parameter
// jumps at 35 or 56 dB; spacing stays 0.75 x broadening as in all MSBG banks.
#include <string_view>

#include "earshot/hearing/audiogram.hpp"

namespace earshot {

enum class LossDegree;

struct DegreeParams {
    double mean_hl_2k_8k_db = 0;
    std::string_view class_name;  ///< "none", "mild", "moderate", "severe" (continuous: nearest class)
    double broadening = 1.5;      ///< auditory filter bandwidth / ERB_N
    double spacing_cams = 1.125;  ///< channel spacing, ERB-number units
    bool smearing = false;
    double smear_lower = 1.0, smear_upper = 1.0;  ///< Baer & Moore broadening below / above centre
};

/// Mean HL over 2..8 kHz as MSBG computes it (see above).
double mean_hl_2k_8k(const Audiogram& sensorineural) noexcept;
DegreeParams degree_params(const Audiogram& sensorineural, LossDegree mode) noexcept;

}  // namespace earshot
