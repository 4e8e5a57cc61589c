#pragma once
// Calibration: what the digital scale means in dB SPL. Two forms, both ending in one number,
// full_scale_db_spl = the sound pressure level of a digital full-scale sine (0 dBFS, RMS 1/sqrt(2)):
//  * absolute (live use): the user states full_scale_db_spl (default 100 dB SPL);
//  * "present this file at L dB SPL": full_scale_db_spl = L - active_level_dbfs(file), where the active
//    level is measured as MSBG does (10 ms frames, frames within 12 dB of the overall RMS kept, all
//    channels pooled; Clarity msbg_utils.measure_rms).
// dBFS here is RMS re a full-scale sine: dBFS = 20 log10(rms) + 3.0103.
// Output is always written on the input's digital scale (the normal listener returns the input).
#include "earshot/core/db.hpp"

namespace earshot {

struct Calibration {
    double full_scale_db_spl = 100.0;

    /// dB SPL of a digital signal whose RMS is 1.0 (MSBG's internal convention is 120 dB).
    double rms_one_db_spl() const noexcept { return full_scale_db_spl + kSineRmsDb; }
    static Calibration present_at(double level_db_spl, double active_level_dbfs) noexcept {
        return {level_db_spl - active_level_dbfs};
    }
};

}  // namespace earshot
