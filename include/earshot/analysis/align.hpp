#pragma once
// Time alignment of a degraded signal to its reference, for intrusive metrics (STOI/ESTOI): the delay
// is the lag of the largest |cross-correlation| of the two waveforms (FFT-based, searched within
// +-max_delay_s). When the waveforms hardly correlate at any lag (normalised peak below 0.15, e.g. a
// noise vocoder, which keeps the envelopes but replaces the fine structure) the lag is taken from the
// cross-correlation of 5 ms RMS envelopes instead (resolution a few samples, reported in
// envelope_fallback).
#include <cstddef>
#include <span>
#include <vector>

namespace earshot {

struct DelayEstimate {
    long lag_samples = 0;           ///< degraded[n + lag] ~ reference[n]; positive: the degraded signal is late
    double delay_s = 0.0;           ///< lag_samples / rate
    double peak_correlation = 0.0;  ///< |waveform cross-correlation| at the lag / sqrt(E_ref * E_deg), in [0, 1]
    bool envelope_fallback = false; ///< true when the lag came from the envelopes
};

/// Both signals at sample_rate_hz. max_delay_s >= 0 bounds |lag| (also by the signals' lengths).
DelayEstimate estimate_delay(std::span<const float> reference, std::span<const float> degraded,
                             double sample_rate_hz, double max_delay_s = 1.0);

struct AlignedPair {
    std::vector<float> reference, degraded;  ///< equal lengths, degraded advanced by the lag
};

/// Removes a lag (as estimate_delay reports it) and cuts both signals to their common part.
AlignedPair apply_delay(std::span<const float> reference, std::span<const float> degraded, long lag_samples);

}  // namespace earshot
