#pragma once
// ACE (Advanced Combination Encoder, Nucleus n-of-m) as Cochlear's Nucleus MATLAB Toolbox computes it
// (described in the project's research notes, ci-anchors §3; written from that description):
//   front-end AGC (infinite compression above a knee) -> 128-point FFT filterbank (periodic Hann, hop
//   from the channel rate, 22 bands of FFT bins from bin 2) -> vector-sum or power-sum envelopes ->
//   gain -> n-of-m maxima -> loudness growth function -> T/C current levels -> pulses, base to apex.
// Calibration happens before (the strategy sees the signal on the toolbox's scale: a full-scale sine is
// 95 dB SPL).
#include <cstddef>
#include <vector>

#include "earshot/implant/electrodogram.hpp"

namespace earshot {

enum class EnvelopeMethod { vector_sum, power_sum };
enum class PulseOrder { base_to_apex, apex_to_base };

struct AceParams {
    double audio_rate_hz = 15625.0;   ///< 15625 (NMT default) or 16000
    int bands = 22;                   ///< 1..22
    int maxima = 12;                  ///< n of the n-of-m
    double channel_rate_pps = 1000;   ///< requested; quantised to audio_rate / block_shift
    EnvelopeMethod envelope = EnvelopeMethod::vector_sum;
    bool agc = true;
    double gain_db = 36.0;
    double lgf_q = 20.0, base_level = 0.01, sat_level = 1.0;
    std::vector<double> t_level{1.0}, c_level{100.0};  ///< one value or one per electrode (1..22)
    PulseOrder order = PulseOrder::base_to_apex;
    double phase_width_us = 25.0, phase_gap_us = 7.0;
    std::vector<int> deactivated;  ///< electrodes (1-based) never stimulated

    void validate() const;  ///< throws ConfigError naming the key and its range
};

/// Widths (FFT bins) of the bands for 1..22 bands (NMT FFT_band_bins tables; 22: the default).
std::vector<int> ace_band_bins(int bands);
/// alpha of the loudness growth function v = ln(1 + alpha r)/ln(1 + alpha) for a Q: Q = 100 (1 - v(S/sqrt 10)).
double lgf_alpha(double q, double base_level, double sat_level);

class AceStrategy {
public:
    explicit AceStrategy(AceParams params);
    const AceParams& params() const noexcept { return p_; }
    std::size_t block_shift() const noexcept { return shift_; }
    double channel_rate_pps() const noexcept { return p_.audio_rate_hz / double(shift_); }
    double period_us() const noexcept { return period_us_; }
    double alpha() const noexcept { return alpha_; }
    /// Envelope equalisation per band (vector sum: band peak gain; power sum: power normaliser).
    const std::vector<double>& band_norm() const noexcept { return norm_; }

    /// Whole signal (already calibrated) -> electrodogram. Also returns the per-frame band envelopes after
    /// the gain stage (frames x bands, band 0 = lowest) if envelopes is given.
    Electrodogram process(const std::vector<float>& x, std::vector<std::vector<double>>* envelopes = nullptr) const;

private:
    AceParams p_;
    std::size_t shift_ = 16;
    double period_us_ = 0, alpha_ = 0;
    std::vector<int> first_bin_, width_;
    std::vector<double> norm_;
};

}  // namespace earshot
