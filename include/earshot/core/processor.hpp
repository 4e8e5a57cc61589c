#pragma once
// The block-processor contract every earshot processor follows (and every front end drives):
//   prepare(spec)        may allocate and throw; fixes sample rate, max block and channel count
//   process(in, out)     noexcept, no allocation, no locks, no I/O; in.num_frames() <= max block;
//                        in and out have spec.num_channels channels and may alias exactly
//   reset()              noexcept, no allocation: back to the state just after prepare()
//   latency_samples()    exact: an impulse at input frame 0 peaks at output frame latency_samples()
// Offline rendering is this same streaming code fed in blocks.
#include <concepts>
#include <cstddef>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/process_spec.hpp"

namespace earshot {

template <class P>
concept BlockProcessor = requires(P p, const P cp, const ProcessSpec& spec, AudioView<const float> in,
                                  AudioView<float> out) {
    { p.prepare(spec) };
    { p.process(in, out) } noexcept;
    { p.reset() } noexcept;
    { cp.latency_samples() } noexcept -> std::convertible_to<std::size_t>;
};

/// One mono buffer through a processor prepared for one channel (in may equal out). Real-time safe.
template <BlockProcessor P>
void process_mono(P& p, const float* in, float* out, std::size_t n) noexcept {
    const float* ins[1] = {in};
    float* outs[1] = {out};
    p.process(AudioView<const float>(ins, 1, n), AudioView<float>(outs, 1, n));
}

}  // namespace earshot
