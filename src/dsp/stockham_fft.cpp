#include "stockham_fft.hpp"

#include <cmath>
#include <numbers>

namespace earshot::detail {

StockhamRealFft::StockhamRealFft(std::size_t n) : n_(n), m_(n / 2) {
    ar_.assign(m_, 0.f), ai_.assign(m_, 0.f), br_.assign(m_, 0.f), bi_.assign(m_, 0.f);
    // Stage with l butterflies groups of span m: twiddles w_j = exp(-2 pi i j / (2 l)), j = 0..l-1.
    for (std::size_t l = m_ / 2; l >= 1; l /= 2)
        for (std::size_t j = 0; j < l; ++j) {
            const double a = -std::numbers::pi * double(j) / double(l);
            tw_re_.push_back(float(std::cos(a)));
            tw_im_.push_back(float(std::sin(a)));
        }
    for (std::size_t k = 0; k <= m_; ++k) {
        const double a = -2.0 * std::numbers::pi * double(k) / double(n_);
        pk_re_.push_back(float(std::cos(a)));
        pk_im_.push_back(float(std::sin(a)));
    }
}

void StockhamRealFft::complex_forward() noexcept {
    float *xr = ar_.data(), *xi = ai_.data(), *yr = br_.data(), *yi = bi_.data();  // ping-pong
    const float *twr = tw_re_.data(), *twi = tw_im_.data();
    for (std::size_t l = m_ / 2, s = 1; l >= 1; l /= 2, s *= 2) {
        // x[k + s j] and x[k + s j + s l] -> y[k + 2 s j], y[k + 2 s j + s] (times w_j)
        if (s == 1) {
            for (std::size_t j = 0; j < l; ++j) {
                const float ar = xr[j], ai = xi[j], br = xr[j + l], bi = xi[j + l];
                const float dr = ar - br, di = ai - bi;
                yr[2 * j] = ar + br;
                yi[2 * j] = ai + bi;
                yr[2 * j + 1] = dr * twr[j] - di * twi[j];
                yi[2 * j + 1] = dr * twi[j] + di * twr[j];
            }
        } else {
            for (std::size_t j = 0; j < l; ++j) {
                const float wr = twr[j], wi = twi[j];
                const float* __restrict ar = xr + s * j;
                const float* __restrict ai = xi + s * j;
                const float* __restrict br = xr + s * (j + l);
                const float* __restrict bi = xi + s * (j + l);
                float* __restrict y0r = yr + 2 * s * j;
                float* __restrict y0i = yi + 2 * s * j;
                float* __restrict y1r = y0r + s;
                float* __restrict y1i = y0i + s;
                for (std::size_t k = 0; k < s; ++k) {
                    const float dr = ar[k] - br[k], di = ai[k] - bi[k];
                    y0r[k] = ar[k] + br[k];
                    y0i[k] = ai[k] + bi[k];
                    y1r[k] = dr * wr - di * wi;
                    y1i[k] = dr * wi + di * wr;
                }
            }
        }
        twr += l;
        twi += l;
        std::swap(xr, yr);
        std::swap(xi, yi);
    }
    if (xr != ar_.data()) {  // odd number of stages: result is in the b buffers
        std::copy(xr, xr + m_, ar_.data());
        std::copy(xi, xi + m_, ai_.data());
    }
}

void StockhamRealFft::forward(const float* in, std::complex<float>* out) noexcept {
    for (std::size_t k = 0; k < m_; ++k) ar_[k] = in[2 * k], ai_[k] = in[2 * k + 1];
    complex_forward();
    float* o = reinterpret_cast<float*>(out);
    o[0] = ar_[0] + ai_[0], o[1] = 0.f;
    o[2 * m_] = ar_[0] - ai_[0], o[2 * m_ + 1] = 0.f;
    for (std::size_t k = 1; k < m_; ++k) {
        const float zr = ar_[k], zi = ai_[k], cr = ar_[m_ - k], ci = -ai_[m_ - k];  // Z[k], conj Z[m-k]
        const float er = 0.5f * (zr + cr), ei = 0.5f * (zi + ci);    // even part
        const float odr = 0.5f * (zi - ci), odi = -0.5f * (zr - cr);  // (Z - conj) / 2i
        const float wr = pk_re_[k], wi = pk_im_[k];
        o[2 * k] = er + (odr * wr - odi * wi);
        o[2 * k + 1] = ei + (odr * wi + odi * wr);
    }
}

void StockhamRealFft::inverse(const std::complex<float>* in, float* out) noexcept {
    const float* x = reinterpret_cast<const float*>(in);
    // Z[k] = Fe + i Fo with Fe = X[k] + conj X[m-k], Fo = (X[k] - conj X[m-k]) conj(W^k); conjugated
    // so that the forward kernel computes the inverse transform.
    for (std::size_t k = 0; k < m_; ++k) {
        const float xr = x[2 * k], xi = x[2 * k + 1], cr = x[2 * (m_ - k)], ci = -x[2 * (m_ - k) + 1];
        const float er = xr + cr, ei = xi + ci;
        const float dr = xr - cr, di = xi - ci;
        const float wr = pk_re_[k], wi = -pk_im_[k];
        const float fr = dr * wr - di * wi, fi = dr * wi + di * wr;
        // Z = Fe + i Fo; store conj(Z)
        ar_[k] = er - fi;
        ai_[k] = -(ei + fr);
    }
    complex_forward();
    for (std::size_t k = 0; k < m_; ++k) out[2 * k] = ar_[k], out[2 * k + 1] = -ai_[k];
}

}  // namespace earshot::detail
