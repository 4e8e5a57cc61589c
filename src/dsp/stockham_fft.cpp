#include "stockham_fft.hpp"

#include <cmath>
#include <numbers>
#ifdef __AVX__
#include <immintrin.h>
#endif

namespace earshot::detail {

StockhamRealFft::StockhamRealFft(std::size_t n) : n_(n), m_(n / 2) {
    ar_.assign(m_, 0.f), ai_.assign(m_, 0.f), br_.assign(m_, 0.f), bi_.assign(m_, 0.f);
    // Per stage (span s, l = m/(2s) groups): w_j = exp(-2 pi i j / (2 l)), stored for q = j s + k.
    for (std::size_t s = 1; s < m_; s *= 2) {
        const std::size_t l = m_ / (2 * s);
        for (std::size_t q = 0; q < m_ / 2; ++q) {
            const double a = -std::numbers::pi * double(q / s) / double(l);
            tw_re_.push_back(float(std::cos(a)));
            tw_im_.push_back(float(std::sin(a)));
        }
    }
    for (std::size_t k = 0; k <= m_; ++k) {
        const double a = -2.0 * std::numbers::pi * double(k) / double(n_);
        pk_re_.push_back(float(std::cos(a)));
        pk_im_.push_back(float(std::sin(a)));
    }
}

void StockhamRealFft::complex_forward() noexcept {
    // Stage with span s (1, 2, 4, ...) and l = m/(2s) groups: for q = j s + k (q < m/2),
    // a = x[q], b = x[q + m/2], y[k + 2 s j] = a + b, y[k + 2 s j + s] = (a - b) w_j; the twiddle table
    // is expanded per q so that loads are unit-stride in every stage.
    float *xr = ar_.data(), *xi = ai_.data(), *yr = br_.data(), *yi = bi_.data();  // ping-pong
    const std::size_t h = m_ / 2;
    const float *twr = tw_re_.data(), *twi = tw_im_.data();
    for (std::size_t s = 1; s < m_; s *= 2, twr += h, twi += h) {
        std::size_t q = 0;
#ifdef __AVX__
        if (h >= 8) {
            for (; q < h; q += 8) {
                const __m256 ar = _mm256_loadu_ps(xr + q), ai = _mm256_loadu_ps(xi + q);
                const __m256 br = _mm256_loadu_ps(xr + q + h), bi = _mm256_loadu_ps(xi + q + h);
                const __m256 wr = _mm256_loadu_ps(twr + q), wi = _mm256_loadu_ps(twi + q);
                const __m256 sr = _mm256_add_ps(ar, br), si = _mm256_add_ps(ai, bi);
                const __m256 dr0 = _mm256_sub_ps(ar, br), di0 = _mm256_sub_ps(ai, bi);
                const __m256 dr = _mm256_sub_ps(_mm256_mul_ps(dr0, wr), _mm256_mul_ps(di0, wi));
                const __m256 di = _mm256_add_ps(_mm256_mul_ps(dr0, wi), _mm256_mul_ps(di0, wr));
                if (s >= 8) {
                    const std::size_t j = q / s, k = q % s, o = k + 2 * s * j;
                    _mm256_storeu_ps(yr + o, sr), _mm256_storeu_ps(yi + o, si);
                    _mm256_storeu_ps(yr + o + s, dr), _mm256_storeu_ps(yi + o + s, di);
                    continue;
                }
                __m256 r0, r1, i0, i1;  // 16 outputs y[2q .. 2q + 15], interleaved by span s
                if (s == 1) {
                    const __m256 lr = _mm256_unpacklo_ps(sr, dr), hr = _mm256_unpackhi_ps(sr, dr);
                    const __m256 li = _mm256_unpacklo_ps(si, di), hi = _mm256_unpackhi_ps(si, di);
                    r0 = _mm256_permute2f128_ps(lr, hr, 0x20), r1 = _mm256_permute2f128_ps(lr, hr, 0x31);
                    i0 = _mm256_permute2f128_ps(li, hi, 0x20), i1 = _mm256_permute2f128_ps(li, hi, 0x31);
                } else if (s == 2) {
                    const __m256 lr = _mm256_castpd_ps(_mm256_unpacklo_pd(_mm256_castps_pd(sr), _mm256_castps_pd(dr)));
                    const __m256 hr = _mm256_castpd_ps(_mm256_unpackhi_pd(_mm256_castps_pd(sr), _mm256_castps_pd(dr)));
                    const __m256 li = _mm256_castpd_ps(_mm256_unpacklo_pd(_mm256_castps_pd(si), _mm256_castps_pd(di)));
                    const __m256 hi = _mm256_castpd_ps(_mm256_unpackhi_pd(_mm256_castps_pd(si), _mm256_castps_pd(di)));
                    r0 = _mm256_permute2f128_ps(lr, hr, 0x20), r1 = _mm256_permute2f128_ps(lr, hr, 0x31);
                    i0 = _mm256_permute2f128_ps(li, hi, 0x20), i1 = _mm256_permute2f128_ps(li, hi, 0x31);
                } else {  // s == 4
                    r0 = _mm256_permute2f128_ps(sr, dr, 0x20), r1 = _mm256_permute2f128_ps(sr, dr, 0x31);
                    i0 = _mm256_permute2f128_ps(si, di, 0x20), i1 = _mm256_permute2f128_ps(si, di, 0x31);
                }
                _mm256_storeu_ps(yr + 2 * q, r0), _mm256_storeu_ps(yr + 2 * q + 8, r1);
                _mm256_storeu_ps(yi + 2 * q, i0), _mm256_storeu_ps(yi + 2 * q + 8, i1);
            }
        }
#endif
        for (; q < h; ++q) {
            const std::size_t j = q / s, k = q % s, o = k + 2 * s * j;
            const float ar = xr[q], ai = xi[q], br = xr[q + h], bi = xi[q + h];
            const float dr = ar - br, di = ai - bi;
            yr[o] = ar + br;
            yi[o] = ai + bi;
            yr[o + s] = dr * twr[q] - di * twi[q];
            yi[o + s] = dr * twi[q] + di * twr[q];
        }
        std::swap(xr, yr);
        std::swap(xi, yi);
    }
    if (xr != ar_.data()) {  // odd number of stages: the result is in the b buffers
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
