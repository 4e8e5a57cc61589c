#pragma once
// Design of the broadened auditory filterbank of the hearing-loss model, computed at the running rate.
//
// Each channel is MSBG's 4th-order "gammatone": four identical sections
//   H1(z) = g (1 - r cos(th) z^-1) / (1 - 2 r cos(th) z^-1 + r^2 z^-2) = g Re{1 / (1 - r e^{i th} z^-1)}
// with th = 2 pi cf / fs, r = exp(-2 pi b / fs), b = broadening x ERB_N(cf), g giving 0 dB at cf
// (Clarity GT4FBank tables; Holdsworth et al. 1988 form). Channels are spaced uniformly on the
// ERB-number scale, anchored at MSBG's top centre frequency 19183.5 Hz and running down to >= 50 Hz
// (only centres below 0.45 fs are kept). Channels at >= 1.2 kHz get a 2nd-order Bessel high-pass
// (corner cf - 7.4 ERB_N(cf), the relation MSBG's tables follow) that removes the low-frequency tail
// of the real-part resonators.
//
// Recombination (causal replacement for MSBG's time advances): channel c is delayed by D - peak_c,
// peak_c = its group delay at cf rounded, D = max peak_c, and the last section's carrier is rotated
// (output Re{e^{i phase} state}, free) so that every channel has the phase of a pure D-sample delay at
// its cf (Hohmann 2002's idea applied to MSBG's filters). Complex recombination weights are then fitted
// by least squares so that the sum is a flat pure delay of D over 20 Hz (MSBG's layout, carried on
// below its lowest channel) or 60 Hz (uniform layout) .. min(17 kHz, 0.44 fs).
// MSBG's advances (used for listeners with a loss, msbg_recombination) align the channels' envelope
// peaks, not their phases: summed with them, the bank's group delay varies by several ms across
// frequency (the low channels come early), which no single latency can compensate.
#include <complex>
#include <cstddef>
#include <functional>
#include <vector>

#include "earshot/dsp/biquad.hpp"

namespace earshot {

struct AuditoryChannel {
    double cf_hz = 0;
    double bandwidth_hz = 0;  ///< b = broadening x ERB_N(cf)
    double pole_re = 0, pole_im = 0;  ///< r cos(th), r sin(th)
    double section_gain = 1;           ///< g
    bool has_highpass = false;
    BiquadCoeffs highpass;
    double phase_rad = 0;           ///< carrier rotation of the last section: g Re{e^{i phase} / (1 - p z^-1)}
    double group_delay_samples = 0; ///< at cf
    std::size_t peak_samples = 0;   ///< round(group delay at cf): the time the channel is aligned on
    std::size_t delay_samples = 0;  ///< alignment delay D - peak
    double weight = 1;              ///< recombination weight

    /// Complex response of the channel's filter (sections + high-pass), without delay or weight.
    std::complex<double> response(double freq_hz, double sample_rate_hz) const noexcept;
};

struct AuditoryFilterbank {
    double sample_rate_hz = 0;
    double broadening = 1.5;
    double spacing_cams = 1.125;
    std::vector<AuditoryChannel> channels;
    std::size_t latency_samples = 0;  ///< D

    /// Response of the recombined bank (weights and delays included).
    std::complex<double> response(double freq_hz) const noexcept;
};

/// MSBG's channel layout for its three banks: `uniform_steps` steps of spacing_cams down from the top,
/// then the tapering steps (ERB-number units, listed from the lowest channel up) that pack its low
/// channels more densely (Clarity GT4FBank tables, as described in the project's research notes).
struct MsbgLayout {
    std::size_t uniform_steps;
    std::vector<double> low_steps;
    // MSBG's recombination data (Clarity GT4FBank tables, 44.1 kHz): per-channel time advances
    // (samples), first channel with a tail high-pass (0-based) and the high-pass corners (Hz), and the
    // recombination attenuation (dB).
    std::vector<int> advances;
    std::size_t highpass_from;
    std::vector<double> highpass_corners_hz;
    double recombination_db;
};
/// The layout MSBG uses for a broadening of 1.5, 2 or 3; none for other values.
const MsbgLayout* msbg_layout(double broadening) noexcept;

/// layout: MSBG's channel placement (the flat sum carries on below it down to 20 Hz); null: uniform
/// spacing down to >= 50 Hz. msbg_recombination (with a layout): MSBG's own high-pass corners, time
/// advances and single recombination gain instead of the fitted phase-aligned recombination (MSBG's sum
/// is within about 1.5 dB of flat, the fitted one 1 dB; MSBG's is not a pure delay, see above).
/// post (fitted recombination only): the complex response of what follows the sum (e.g. a low-pass).
/// Channels are aligned on channel x post, and the fit makes bank x post a flat pure delay of
/// latency_samples. Default: nothing follows.
AuditoryFilterbank design_auditory_filterbank(double sample_rate_hz, double broadening, double spacing_cams,
                                              const MsbgLayout* layout = nullptr, bool msbg_recombination = false,
                                              const std::function<std::complex<double>(double)>& post = {},
                                              bool channels_only = false);
/// channels_only: stop once the channels' filters and peak_samples (and latency_samples) are set, before the
/// recombination (weights, rotations, sign) is fitted -- what a latency bound needs (hearing_loss.hpp), at a
/// fraction of the cost. Such a bank is not for processing.

}  // namespace earshot
