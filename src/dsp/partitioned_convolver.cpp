#include "earshot/dsp/partitioned_convolver.hpp"

#include <algorithm>

namespace earshot {

void PartitionedConvolver::prepare(const std::vector<float>& taps, std::size_t partition) {
    p_ = partition;
    parts_ = std::max<std::size_t>(1, (taps.size() + p_ - 1) / p_);
    fft_ = std::make_unique<RealFft>(2 * p_);
    bins_ = p_ + 1;
    filt_.assign(parts_ * bins_, {});
    std::vector<float> buf(2 * p_);
    for (std::size_t k = 0; k < parts_; ++k) {
        std::fill(buf.begin(), buf.end(), 0.f);
        for (std::size_t i = 0; i < p_ && k * p_ + i < taps.size(); ++i) buf[i] = taps[k * p_ + i];
        fft_->forward(buf.data(), filt_.data() + k * bins_);
    }
    fdl_.assign(parts_ * bins_, {});
    acc_.assign(bins_, {});
    filt_re_.resize(parts_ * bins_);
    filt_im_.resize(parts_ * bins_);
    for (std::size_t i = 0; i < parts_ * bins_; ++i) filt_re_[i] = filt_[i].real(), filt_im_[i] = filt_[i].imag();
    fdl_re_.assign(parts_ * bins_, 0.f);
    fdl_im_.assign(parts_ * bins_, 0.f);
    acc_re_.assign(bins_, 0.f);
    acc_im_.assign(bins_, 0.f);
    time_.assign(2 * p_, 0.f);
    scratch_.assign(2 * p_, 0.f);
    in_block_.assign(p_, 0.f);
    out_block_.assign(p_, 0.f);
    reset();
}

void PartitionedConvolver::reset() noexcept {
    std::fill(fdl_.begin(), fdl_.end(), std::complex<float>{});
    std::fill(fdl_re_.begin(), fdl_re_.end(), 0.f);
    std::fill(fdl_im_.begin(), fdl_im_.end(), 0.f);
    std::fill(time_.begin(), time_.end(), 0.f);
    std::fill(in_block_.begin(), in_block_.end(), 0.f);
    std::fill(out_block_.begin(), out_block_.end(), 0.f);
    fdl_pos_ = 0;
    fill_ = 0;
}

void PartitionedConvolver::process(const float* in, float* out, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n;) {
        const std::size_t run = std::min(n - i, p_ - fill_);
        for (std::size_t k = 0; k < run; ++k) {
            const float x = in[i + k];
            out[i + k] = out_block_[fill_ + k];  // output lags by one block: latency P
            in_block_[fill_ + k] = x;
        }
        fill_ += run;
        i += run;
        if (fill_ == p_) {
            block();
            fill_ = 0;
        }
    }
}

void PartitionedConvolver::block() noexcept {
    // Overlap-save: [previous block | this block] -> spectrum into the delay line.
    std::copy(time_.begin() + std::ptrdiff_t(p_), time_.end(), time_.begin());
    std::copy(in_block_.begin(), in_block_.end(), time_.begin() + std::ptrdiff_t(p_));
    fdl_pos_ = fdl_pos_ == 0 ? parts_ - 1 : fdl_pos_ - 1;
    fft_->forward(time_.data(), fdl_.data() + fdl_pos_ * bins_);
    // Complex multiply-accumulate over partitions on split real/imaginary arrays (vectorises).
    const std::size_t nb = bins_;
    {
        const float* x = reinterpret_cast<const float*>(fdl_.data() + fdl_pos_ * nb);
        float* xr = fdl_re_.data() + fdl_pos_ * nb;
        float* xi = fdl_im_.data() + fdl_pos_ * nb;
        for (std::size_t b = 0; b < nb; ++b) xr[b] = x[2 * b], xi[b] = x[2 * b + 1];
    }
    float* __restrict ar = acc_re_.data();
    float* __restrict ai = acc_im_.data();
    std::fill(acc_re_.begin(), acc_re_.end(), 0.f);
    std::fill(acc_im_.begin(), acc_im_.end(), 0.f);
    for (std::size_t k = 0; k < parts_; ++k) {
        const std::size_t slot = (fdl_pos_ + k) % parts_;
        const float* __restrict xr = fdl_re_.data() + slot * nb;
        const float* __restrict xi = fdl_im_.data() + slot * nb;
        const float* __restrict hr = filt_re_.data() + k * nb;
        const float* __restrict hi = filt_im_.data() + k * nb;
        for (std::size_t b = 0; b < nb; ++b) {
            ar[b] += xr[b] * hr[b] - xi[b] * hi[b];
            ai[b] += xr[b] * hi[b] + xi[b] * hr[b];
        }
    }
    for (std::size_t b = 0; b < nb; ++b) acc_[b] = {ar[b], ai[b]};
    fft_->inverse(acc_.data(), scratch_.data());
    const float scale = 1.0f / float(2 * p_);
    for (std::size_t k = 0; k < p_; ++k) out_block_[k] = scratch_[p_ + k] * scale;
}

}  // namespace earshot
