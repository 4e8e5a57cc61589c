#include "earshot/dsp/fft.hpp"

#include <fmt/format.h>

#include "earshot/core/error.hpp"
#include "stockham_fft.hpp"

#ifdef EARSHOT_FFT_FFTW
#include <fftw3.h>

#include <mutex>
#else
#include <kiss_fftr.h>
#endif

namespace earshot {

#ifdef EARSHOT_FFT_FFTW
namespace {
std::mutex& fftw_planner_mutex() {  // FFTW's planner is not thread-safe
    static std::mutex m;
    return m;
}
}  // namespace
struct RealFft::Plan {
    fftwf_plan fwd = nullptr, inv = nullptr;
    ~Plan() {
        std::lock_guard lock(fftw_planner_mutex());
        if (fwd) fftwf_destroy_plan(fwd);
        if (inv) fftwf_destroy_plan(inv);
    }
};
RealFft::RealFft(std::size_t size) : size_(size), plan_(std::make_unique<Plan>()) {
    if (size < 2 || size % 2) throw ConfigError(fmt::format("fft size: {} must be even and >= 2", size));
    std::lock_guard lock(fftw_planner_mutex());
    float* r = fftwf_alloc_real(size);
    fftwf_complex* c = fftwf_alloc_complex(size / 2 + 1);
    const int n = static_cast<int>(size);
    plan_->fwd = fftwf_plan_dft_r2c_1d(n, r, c, FFTW_ESTIMATE | FFTW_UNALIGNED);
    plan_->inv = fftwf_plan_dft_c2r_1d(n, c, r, FFTW_ESTIMATE | FFTW_UNALIGNED);
    fftwf_free(r);
    fftwf_free(c);
}
void RealFft::forward(const float* in, std::complex<float>* out) noexcept {
    fftwf_execute_dft_r2c(plan_->fwd, const_cast<float*>(in), reinterpret_cast<fftwf_complex*>(out));
}
void RealFft::inverse(const std::complex<float>* in, float* out) noexcept {
    // c2r destroys its input in FFTW; callers' spectra are scratch buffers by contract.
    fftwf_execute_dft_c2r(plan_->inv, reinterpret_cast<fftwf_complex*>(const_cast<std::complex<float>*>(in)), out);
}
#else
struct RealFft::Plan {
    kiss_fftr_cfg fwd = nullptr, inv = nullptr;
    std::unique_ptr<detail::StockhamRealFft> pow2;  // fast path for powers of two >= 16
    ~Plan() {
        kiss_fftr_free(fwd);
        kiss_fftr_free(inv);
    }
};
RealFft::RealFft(std::size_t size) : size_(size), plan_(std::make_unique<Plan>()) {
    if (size < 2 || size % 2) throw ConfigError(fmt::format("fft size: {} must be even and >= 2", size));
    if (size >= 16 && (size & (size - 1)) == 0) {
        plan_->pow2 = std::make_unique<detail::StockhamRealFft>(size);
        return;
    }
    plan_->fwd = kiss_fftr_alloc(static_cast<int>(size), 0, nullptr, nullptr);
    plan_->inv = kiss_fftr_alloc(static_cast<int>(size), 1, nullptr, nullptr);
    if (!plan_->fwd || !plan_->inv) throw ConfigError(fmt::format("fft size: cannot plan size {}", size));
}
void RealFft::forward(const float* in, std::complex<float>* out) noexcept {
    static_assert(sizeof(kiss_fft_cpx) == sizeof(std::complex<float>));
    if (plan_->pow2) return plan_->pow2->forward(in, out);
    kiss_fftr(plan_->fwd, in, reinterpret_cast<kiss_fft_cpx*>(out));
}
void RealFft::inverse(const std::complex<float>* in, float* out) noexcept {
    if (plan_->pow2) return plan_->pow2->inverse(in, out);
    kiss_fftri(plan_->inv, reinterpret_cast<const kiss_fft_cpx*>(in), out);
}
#endif

RealFft::~RealFft() = default;
RealFft::RealFft(RealFft&&) noexcept = default;
RealFft& RealFft::operator=(RealFft&&) noexcept = default;

}  // namespace earshot
