#pragma once
// Output limiter: a look-ahead, gain-linked sample-peak limiter whose output never exceeds the ceiling.
//
// Levels here are sample peaks: 0 dBFS is |x| = 1.0 (not the RMS-of-a-sine convention of calibration).
// Per frame the needed gain is min(1, ceiling / max over channels |x|) (one gain for all channels, so the
// stereo image does not shift). The gain applied to a sample is the moving average, over look-ahead + 1
// frames, of the running minimum of the needed gain over the last look-ahead + 1 frames: every term of
// that average is <= the needed gain of the sample leaving the delay line, so the ceiling holds exactly
// while the gain still ramps down smoothly (linearly over the look-ahead). Release is a one-pole rise
// toward that bound (never above it). A signal that never reaches the ceiling passes bit-exactly,
// delayed by latency_samples() = round(lookahead_ms * rate).
// Real-time contract: see earshot/core/processor.hpp.
#include <cstddef>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"

namespace earshot {

struct LimiterConfig {
    double ceiling_dbfs = 0.0;   ///< sample-peak ceiling, params::limit_dbfs range [-60, 0]
    double lookahead_ms = 1.0;   ///< attack ramp length and latency
    double release_ms = 50.0;    ///< time constant of the gain recovery
};

class Limiter {
public:
    explicit Limiter(LimiterConfig config = {});  ///< throws ConfigError for a ceiling out of range

    void prepare(const ProcessSpec& spec);
    void process(AudioView<const float> in, AudioView<float> out) noexcept;
    void reset() noexcept;
    std::size_t latency_samples() const noexcept { return lookahead_; }

    /// Smallest gain applied since prepare()/reset(), in dB (<= 0), for reports.
    double max_gain_reduction_db() const noexcept;

private:
    LimiterConfig config_;
    float ceiling_ = 1.0f;
    std::size_t num_channels_ = 0;
    std::size_t lookahead_ = 0;   // L
    std::size_t window_ = 1;      // L + 1
    double release_coef_ = 0.0;

    // Delay line: per channel, a ring of L + 1 samples (planar, channel c at c * window_).
    std::vector<float> delay_;
    std::size_t pos_ = 0;         // ring position of the newest frame
    std::size_t frame_ = 0;       // frames seen modulo 2^64, for the monotonic deque

    // Running minimum over the last L + 1 needed gains: a monotonic deque in fixed rings.
    std::vector<float> dq_value_;
    std::vector<std::size_t> dq_frame_;
    std::size_t dq_head_ = 0, dq_size_ = 0;

    // Moving average of the running minimum over L + 1 frames.
    std::vector<float> min_hist_;
    double min_sum_ = 0.0;

    double gain_ = 1.0;
    double min_gain_ = 1.0;
};
static_assert(BlockProcessor<Limiter>);

}  // namespace earshot
