#pragma once
// Internal (not installed): one channel of streaming smearing, the per-channel state of Smearer
// (earshot/hearing/smearing.hpp documents the model). Latency frame - 1 samples.
#include <complex>
#include <cstddef>
#include <memory>
#include <vector>

#include "earshot/dsp/fft.hpp"
#include "earshot/hearing/smearing.hpp"

namespace earshot {

/// One channel. prepare() allocates; process() is real-time safe.
class SmearerChannel {
public:
    void prepare(std::shared_ptr<const SmearingDesign> design);
    void reset() noexcept;
    /// in and out may alias.
    void process(const float* in, float* out, std::size_t n) noexcept;
    std::size_t latency_samples() const noexcept { return design_ ? design_->frame - 1 : 0; }

private:
    void process_frame() noexcept;
    std::shared_ptr<const SmearingDesign> design_;
    std::unique_ptr<RealFft> fft_;
    std::vector<float> in_ring_, frame_buf_, ola_, out_fifo_, power_, smeared_;
    std::vector<std::complex<float>> spectrum_;
    std::size_t in_pos_ = 0, since_frame_ = 0, out_read_ = 0, out_count_ = 0;
};

}  // namespace earshot
