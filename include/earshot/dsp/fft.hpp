#pragma once
// Real FFT behind a small interface. Default backend: kissfft (BSD-3, Debian libkissfft-dev), which
// keeps earshot permissively licensed. -DEARSHOT_FFTW=ON selects FFTW3 (GPL-2+: binaries built that
// way are GPL). Sizes: any even size (kissfft is fastest for sizes with factors 2, 3, 5).
//
// Conventions: forward X[k] = sum_n x[n] e^{-2 pi i k n / N}, k = 0..N/2 (N/2 + 1 complex bins);
// inverse is unnormalised (inverse(forward(x)) = N x), as in FFTW and kissfft.
#include <complex>
#include <cstddef>
#include <memory>

namespace earshot {

class RealFft {
public:
    explicit RealFft(std::size_t size);  ///< allocates plans; size must be even and >= 2
    ~RealFft();
    RealFft(RealFft&&) noexcept;
    RealFft& operator=(RealFft&&) noexcept;

    std::size_t size() const noexcept { return size_; }
    std::size_t num_bins() const noexcept { return size_ / 2 + 1; }
    /// in: size() reals; out: num_bins() complex. Real-time safe (no allocation).
    void forward(const float* in, std::complex<float>* out) noexcept;
    /// in: num_bins() complex; out: size() reals (unnormalised). Real-time safe.
    void inverse(const std::complex<float>* in, float* out) noexcept;

private:
    struct Plan;
    std::size_t size_;
    std::unique_ptr<Plan> plan_;
};

}  // namespace earshot
