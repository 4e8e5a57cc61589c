#pragma once
// Active level as MSBG measures it (Clarity msbg_utils.measure_rms with threshold -12 dB): 10 ms
// non-overlapping frames; a frame is active when its level is within 12 dB of the overall RMS
// (threshold floored at -80 dB); the active level is the RMS over active frames. All channels are
// pooled (frame energy = mean over channels). Streaming, constant memory: feed blocks of any size.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "earshot/core/audio_view.hpp"

namespace earshot {

class ActiveLevelMeter {
public:
    explicit ActiveLevelMeter(double sample_rate_hz);
    void add(AudioView<const float> block);
    /// Active level in dBFS (RMS re full-scale sine, +3.01 dB); -inf for silence.
    double active_level_dbfs() const;
    /// Overall RMS level in dBFS (same reference).
    double overall_level_dbfs() const;
    double active_fraction() const;  ///< share of frames counted as active

private:
    std::size_t frame_len_;
    std::size_t fill_ = 0;
    double frame_energy_ = 0;  // sum over channels of x^2 in the current frame
    std::size_t frame_channels_ = 1;
    double total_energy_ = 0;  // sum of mean-square-per-sample over all samples
    std::uint64_t total_samples_ = 0;
    // histogram of frame mean-square levels in 0.01 dB bins: counts and energy sums
    std::vector<std::uint64_t> bin_count_;
    std::vector<double> bin_energy_;
};

}  // namespace earshot
