#pragma once
// Loudness recruitment by envelope expansion (Moore & Glasberg 1993; MSBG simulator): in each auditory
// channel the signal is multiplied by gain = (e / e_max)^(ER - 1), where e is the channel envelope
// (mean absolute value after a 2nd-order elliptic low-pass, 0.25 dB ripple, 35 dB stop, edge
// 0.75 min(100 Hz, ERB_N(cf))), e_max = the envelope value of the catch-up level 105 dB SPL
// (MSBG: 10^((105 - 120)/20) with 120 dB SPL for RMS 1), and ER = 105 / (105 - HL(cf)).
// In levels: L_out = 105 + ER (L_in - 105) below 105 dB SPL, identity above; a component at the
// threshold maps to 0 dB. HL is clamped to [0, 100] dB (ER in [1, 21]): MSBG divides by zero at 105 and
// turns expansion into compression below 0 dB HL; a clamped profound loss renders as near-silence.
#include <algorithm>
#include <cmath>

namespace earshot {

inline constexpr double kCatchUpDbSpl = 105.0;
inline constexpr double kMaxRecruitmentHlDb = 100.0;  ///< clamp: CU - 5 dB

/// Expansion ratio for a threshold (clamped as above).
inline double expansion_ratio(double hl_db) noexcept {
    const double hl = std::clamp(hl_db, 0.0, kMaxRecruitmentHlDb);
    return kCatchUpDbSpl / (kCatchUpDbSpl - hl);
}

/// Output level of the recruitment law for an input level (both dB SPL, in the cochlear domain).
inline double recruitment_output_db(double input_db_spl, double hl_db) noexcept {
    if (input_db_spl >= kCatchUpDbSpl) return input_db_spl;
    return kCatchUpDbSpl + expansion_ratio(hl_db) * (input_db_spl - kCatchUpDbSpl);
}

}  // namespace earshot
