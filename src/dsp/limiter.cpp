#include "earshot/dsp/limiter.hpp"

#include <algorithm>
#include <cmath>

#include "earshot/core/denormals.hpp"
#include "earshot/core/param.hpp"

namespace earshot {

Limiter::Limiter(LimiterConfig config) : config_(config) {
    params::limit_dbfs.check(config_.ceiling_dbfs);
    ceiling_ = static_cast<float>(std::pow(10.0, config_.ceiling_dbfs / 20.0));
}

void Limiter::prepare(const ProcessSpec& spec) {
    num_channels_ = spec.num_channels;
    lookahead_ = static_cast<std::size_t>(std::lround(std::max(0.0, config_.lookahead_ms) * 1e-3 * spec.sample_rate_hz));
    window_ = lookahead_ + 1;
    const double release_frames = std::max(1.0, config_.release_ms * 1e-3 * spec.sample_rate_hz);
    release_coef_ = 1.0 - std::exp(-1.0 / release_frames);
    delay_.assign(num_channels_ * window_, 0.0f);
    dq_value_.assign(window_, 1.0f);
    dq_frame_.assign(window_, 0);
    min_hist_.assign(window_, 1.0f);
    reset();
}

void Limiter::reset() noexcept {
    std::fill(delay_.begin(), delay_.end(), 0.0f);
    std::fill(min_hist_.begin(), min_hist_.end(), 1.0f);
    min_sum_ = static_cast<double>(window_);
    pos_ = 0;
    frame_ = 0;
    dq_head_ = 0;
    dq_size_ = 0;
    gain_ = 1.0;
    min_gain_ = 1.0;
}

double Limiter::max_gain_reduction_db() const noexcept { return 20.0 * std::log10(std::max(min_gain_, 1e-12)); }

void Limiter::process(AudioView<const float> in, AudioView<float> out) noexcept {
    ScopedNoDenormals no_denormals;
    const std::size_t n = in.num_frames();
    const std::size_t nch = num_channels_;
    const std::size_t W = window_;
    for (std::size_t i = 0; i < n; ++i) {
        // 1. Needed gain of the incoming frame (linked: the loudest channel decides).
        float peak = 0.0f;
        for (std::size_t c = 0; c < nch; ++c) peak = std::max(peak, std::fabs(in.channel(c)[i]));
        const float need = peak > ceiling_ ? ceiling_ / peak : 1.0f;

        // 2. Running minimum over the last W needed gains (monotonic deque, oldest at the head).
        while (dq_size_ > 0 && dq_value_[(dq_head_ + dq_size_ - 1) % W] >= need) --dq_size_;
        dq_value_[(dq_head_ + dq_size_) % W] = need;
        dq_frame_[(dq_head_ + dq_size_) % W] = frame_;
        ++dq_size_;
        if (frame_ - dq_frame_[dq_head_] >= W) {
            dq_head_ = (dq_head_ + 1) % W;
            --dq_size_;
        }
        const float running_min = dq_value_[dq_head_];

        // 3. Moving average of the running minimum over W frames: the attack ramp.
        const std::size_t slot = frame_ % W;
        min_sum_ += static_cast<double>(running_min) - static_cast<double>(min_hist_[slot]);
        min_hist_[slot] = running_min;
        double bound = min_sum_ / static_cast<double>(W);
        if (running_min >= 1.0f && bound > 1.0) bound = 1.0;

        // 4. Release: rise slowly toward the bound, follow it at once downward (never above it).
        gain_ = bound < gain_ ? bound : gain_ + (bound - gain_) * release_coef_;
        if (gain_ > 1.0 - 1e-9 && bound >= 1.0) gain_ = 1.0;  // land exactly on unity: bit-exact pass-through
        min_gain_ = std::min(min_gain_, gain_);
        const float g = static_cast<float>(gain_);

        // 5. Delay line: write the new frame, emit the one L frames older, gained.
        const std::size_t wpos = slot;
        const std::size_t rpos = (frame_ + 1) % W;  // oldest slot = frame_ - L
        for (std::size_t c = 0; c < nch; ++c) {
            float* line = delay_.data() + c * W;
            line[wpos] = in.channel(c)[i];
            float y = g == 1.0f ? line[rpos] : line[rpos] * g;
            // Float rounding of the running average may leave y an ulp above the ceiling: clamp it.
            if (y > ceiling_) y = ceiling_;
            if (y < -ceiling_) y = -ceiling_;
            out.channel(c)[i] = y;
        }
        ++frame_;
    }
}

}  // namespace earshot
