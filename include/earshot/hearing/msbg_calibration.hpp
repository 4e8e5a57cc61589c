#pragma once
// MSBG's calibration convention (Moore, Stone, Baer & Glasberg simulator as in the Clarity toolkit,
// msbg.Ear.process), for front ends that stand in for it (python/earshot/clarity.py):
//  * a digital RMS of 1.0 is rms_one_db_spl dB SPL (MSBG: equiv_0db_spl + ahr = 100 + 20 = 120);
//  * the input is re-levelled by relevel_db = overall - active: its overall RMS (every channel pooled) is
//    measured, then channel 0's active level (ActiveLevelMeter: 10 ms frames within 12 dB of the overall
//    RMS), and all channels are scaled so that channel 0's active level equals the overall RMS (for speech
//    with pauses a few dB of attenuation; -1.97 dB for the MSBG fixture speech). The model hears the
//    re-levelled signal at rms_one_db_spl, and MSBG returns its output on that re-levelled scale.
// So the speech is presented at an active level of rms_one_db_spl + 20 log10(overall RMS) dB SPL, and the
// input as given (not re-levelled) is rendered with full_scale_db_spl = rms_one_db_spl - 3.0103 + relevel_db
// (dB SPL of a full-scale sine, core/calibration.hpp); its output times 10^(relevel_db / 20) is on MSBG's
// scale. Silence: relevel 0 dB (MSBG divides by zero there).
#include "earshot/core/audio_view.hpp"

namespace earshot {

struct MsbgCalibration {
    double overall_dbfs = 0;         ///< RMS of all channels pooled, dBFS re a full-scale sine (-inf: silence)
    double active_dbfs = 0;          ///< channel 0's active level, dBFS re a full-scale sine
    double relevel_db = 0;           ///< overall_dbfs - active_dbfs: MSBG's gain on its input (0 for silence)
    double presentation_db_spl = 0;  ///< the active level the model hears, dB SPL (-inf: silence)
    double full_scale_db_spl = 0;    ///< the absolute calibration of the input as given (not re-levelled)
};

/// MSBG's calibration of `x` (planar, any channel count >= 1) at `sample_rate_hz`; rms_one_db_spl is MSBG's
/// equiv_0db_spl + ahr. Throws ConfigError (one line naming equiv_0db_spl + ahr and the accepted range) when
/// the resulting full_scale_db_spl is outside params::full_scale_db_spl's range, or for no channels.
MsbgCalibration msbg_calibration(AudioView<const float> x, double sample_rate_hz, double rms_one_db_spl);

}  // namespace earshot
