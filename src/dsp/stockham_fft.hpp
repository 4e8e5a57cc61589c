#pragma once
// earshot's own real FFT for power-of-two sizes (the default backend's fast path; other sizes go to
// kissfft). A complex Stockham auto-sort radix-2 FFT of size N/2 on split real/imaginary arrays (no
// bit reversal, unit-stride inner loops that vectorise), wrapped by the standard even/odd packing
// of a real sequence into a half-length complex one. Written for earshot; no third-party code.
#include <complex>
#include <cstddef>
#include <vector>

namespace earshot::detail {

class StockhamRealFft {
public:
    explicit StockhamRealFft(std::size_t n);  // n: power of two >= 16
    void forward(const float* in, std::complex<float>* out) noexcept;
    void inverse(const std::complex<float>* in, float* out) noexcept;  // unnormalised

private:
    void complex_forward() noexcept;  // ar/ai -> ar/ai (via br/bi)
    std::size_t n_, m_;
    std::vector<float> ar_, ai_, br_, bi_;
    std::vector<float> tw_re_, tw_im_;  // per stage, concatenated
    std::vector<float> pk_re_, pk_im_;  // W_N^k, k = 0..m
};

}  // namespace earshot::detail
