#pragma once
// Input guard for the model's block processors: keeps the model's internal state finite whatever finite
// (or non-finite) samples a front end or a fuzzer hands to process().
//
// Every sample beyond +-kInputGuardLimit (1e4 = +80 dBFS, i.e. 180 dB SPL at the default calibration of
// 0 dBFS = 100 dB SPL: far above any meaningful level, and low enough that the squared envelopes of the
// recruitment stage (~1e8 * gain) stay well inside float range) is clamped to it, and a non-finite sample
// (NaN, +-Inf) becomes 0. A block without such samples is passed through untouched (one scan, no copy).
// The offline render counts the clamped samples and warns (src/io/render.cpp); this guard only protects.
//
// Real-time safe: no allocation, no locks, noexcept. The clamped copy is written into `out`, which the
// block-processor contract (core/processor.hpp) allows to alias the input exactly.
#include <cmath>
#include <cstddef>
#include <vector>

#include "earshot/core/audio_view.hpp"

namespace earshot {

inline constexpr float kInputGuardLimit = 1.0e4f;  ///< +80 dBFS

/// True when x is outside [-kInputGuardLimit, kInputGuardLimit] or not finite (NaN compares false).
inline bool input_guard_unsafe(float x) noexcept { return !(std::fabs(x) <= kInputGuardLimit); }

/// The number of samples of `in` that the guard changes.
inline std::size_t input_guard_count(AudioView<const float> in) noexcept {
    std::size_t k = 0;
    for (std::size_t c = 0; c < in.num_channels(); ++c) {
        const float* x = in.channel(c);
        for (std::size_t i = 0; i < in.num_frames(); ++i) k += input_guard_unsafe(x[i]) ? 1 : 0;
    }
    return k;
}

/// The guard of one processor: prepare() sizes its channel-pointer table (allocates); apply() is noexcept and
/// allocation-free.
class InputGuard {
public:
    void prepare(std::size_t num_channels) { ptrs_.assign(num_channels, nullptr); }
    /// The guarded input: `in` itself when every sample is safe, else `out` holding the clamped copy (NaN -> 0,
    /// beyond +-limit -> +-limit), viewed as const. `out` must have in's frame count and at least its channels
    /// (at most the prepared count).
    AudioView<const float> apply(AudioView<const float> in, AudioView<float> out) noexcept {
        if (input_guard_count(in) == 0 || in.num_channels() > ptrs_.size()) return in;
        for (std::size_t c = 0; c < in.num_channels(); ++c) {
            const float* x = in.channel(c);
            float* y = out.channel(c);
            for (std::size_t i = 0; i < in.num_frames(); ++i) {
                const float v = x[i];
                y[i] = std::isnan(v) ? 0.0f : std::fmin(std::fmax(v, -kInputGuardLimit), kInputGuardLimit);
            }
            ptrs_[c] = y;
        }
        return AudioView<const float>(ptrs_.data(), in.num_channels(), in.num_frames());
    }

private:
    std::vector<const float*> ptrs_;
};

}  // namespace earshot
