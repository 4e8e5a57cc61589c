#pragma once
// FIR filtering by uniformly partitioned overlap-save FFT convolution (one channel). The filter is cut
// into partitions of P taps; every P input samples one FFT of 2P, a frequency-domain delay line of
// products, one inverse FFT. Latency: exactly P samples (input is gathered into blocks of P), for any
// host block size. prepare() allocates; process() is real-time safe.
#include <complex>
#include <cstddef>
#include <memory>
#include <vector>

#include "earshot/dsp/fft.hpp"

namespace earshot {

class PartitionedConvolver {
public:
    void prepare(const std::vector<float>& taps, std::size_t partition);
    void reset() noexcept;
    void process(const float* in, float* out, std::size_t n) noexcept;  ///< in and out may alias
    std::size_t latency_samples() const noexcept { return p_; }

private:
    void block() noexcept;
    std::size_t p_ = 0, parts_ = 0, bins_ = 0;
    std::unique_ptr<RealFft> fft_;
    std::vector<std::complex<float>> filt_;  // parts_ x bins_
    std::vector<std::complex<float>> fdl_;   // parts_ x bins_, ring
    std::vector<std::complex<float>> acc_;
    std::vector<float> time_, scratch_, in_block_, out_block_;
    std::vector<float> filt_re_, filt_im_, fdl_re_, fdl_im_, acc_re_, acc_im_;  // split copies for the MAC
    std::size_t fdl_pos_ = 0, fill_ = 0;
};

}  // namespace earshot
