#pragma once
// A fixed whole-sample delay, in place. prepare() allocates; process() and reset() are real-time safe.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace earshot {

class DelayLine {
public:
    void prepare(std::size_t delay_samples) { buf_.assign(delay_samples, 0.f), pos_ = 0; }
    void reset() noexcept { std::fill(buf_.begin(), buf_.end(), 0.f), pos_ = 0; }
    std::size_t latency_samples() const noexcept { return buf_.size(); }
    /// x[i] <- the input latency_samples() earlier (zeros before the first).
    void process(float* x, std::size_t n) noexcept {
        if (buf_.empty()) return;
        for (std::size_t i = 0; i < n; ++i) {
            const float v = buf_[pos_];
            buf_[pos_] = x[i];
            x[i] = v;
            pos_ = pos_ + 1 == buf_.size() ? 0 : pos_ + 1;
        }
    }

private:
    std::vector<float> buf_;
    std::size_t pos_ = 0;
};

}  // namespace earshot
