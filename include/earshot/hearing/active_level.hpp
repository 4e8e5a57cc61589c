#pragma once
// Active level as MSBG measures it (Clarity msbg_utils.measure_rms with threshold -12 dB): 10 ms
// non-overlapping frames; a frame is active when its level is within 12 dB of the overall RMS
// (threshold floored at -80 dB); the active level is the RMS over active frames. All channels are
// pooled (frame energy = mean over channels). Streaming, constant memory: feed blocks of any size.
//
// Details that follow MSBG exactly (msbg_utils.measure_rms / generate_key_percent):
//  * frame length = round(0.01 fs) with Python's round-half-to-even (441 at 44.1 kHz, 220 at 22.05 kHz);
//  * only whole frames are classified; a trailing partial frame counts in the overall RMS but is never
//    active (MSBG: total_frames = floor(len / win));
//  * threshold_db = max(20 log10(overall plain RMS) - 12, -80), on plain RMS (the -80 floor is therefore
//    -76.99 dBFS in earshot's sine-referenced dBFS); MSBG adds a floor 10^((threshold_db - 30)/10) to each
//    frame's mean square before taking its level, so a frame is active when
//    mean_square + floor >= 10^(threshold_db/10), which is reproduced here;
//  * active_fraction() = samples in active frames / all samples, as MSBG's `active`.
// Differences (documented choices): MSBG measures channel 0 only; here channels are pooled. A signal
// shorter than one frame (MSBG: division by zero) reports its overall level as active level.
// Frame levels are kept in a 0.01 dB histogram (count and exact energy per bin), so only frames within
// 0.01 dB of the threshold can be classified differently from MSBG (a bin straddling the threshold is
// active when its mean frame energy reaches it).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "earshot/core/audio_view.hpp"

namespace earshot {

class ActiveLevelMeter {
public:
    explicit ActiveLevelMeter(double sample_rate_hz);  ///< throws ConfigError for a rate <= 0
    /// Adds a block; every block must have the same number of channels (ConfigError otherwise).
    void add(AudioView<const float> block);
    /// Active level in dBFS (RMS re full-scale sine, +3.01 dB); -inf for silence.
    double active_level_dbfs() const;
    /// Overall RMS level in dBFS (same reference).
    double overall_level_dbfs() const;
    double active_fraction() const;  ///< share of samples in active frames (MSBG's `active` / 100)
    std::size_t frame_length() const noexcept { return frame_len_; }

private:
    void gate(double& energy, std::uint64_t& count) const;  // active frames: summed mean squares, count
    double overall_mean_square() const;

    std::size_t frame_len_;
    std::size_t fill_ = 0;                 // samples (per channel) in the current frame
    std::size_t num_channels_ = 0;         // fixed by the first non-empty block
    std::vector<double> chan_energy_;      // current frame: sum of x^2 per channel (time order)
    double whole_frames_energy_ = 0;       // sum of x^2 over all channels in completed frames
    std::uint64_t whole_frames_ = 0;
    std::uint64_t total_samples_ = 0;      // per channel, including the partial frame
    // histogram of frame mean-square levels in 0.01 dB bins: counts and energy (mean-square) sums
    std::vector<std::uint64_t> bin_count_;
    std::vector<double> bin_energy_;
};

}  // namespace earshot
