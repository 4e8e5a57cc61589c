#pragma once
// 8-wide float vectors (GCC vector extensions) for the auralisation: one lane per electrode (or carrier),
// electrodes padded to whole vectors. Sums across lanes use one fixed addition tree, so a sample's value
// does not depend on whether it was reduced alone or with seven others (block-size invariance).
#include <cmath>
#include <cstddef>
#include <cstdint>
#ifdef __AVX__
#include <immintrin.h>
#endif

namespace earshot::aural {

typedef float v8f __attribute__((vector_size(32)));
typedef std::uint32_t v8u __attribute__((vector_size(32)));
typedef std::int32_t v8i __attribute__((vector_size(32)));
constexpr std::size_t kLanes = 8;

inline v8f splat(float x) noexcept { return v8f{} + x; }

inline v8f sqrt8(v8f x) noexcept {
#ifdef __AVX__
    return reinterpret_cast<v8f>(_mm256_sqrt_ps(reinterpret_cast<__m256>(x)));
#else
    for (std::size_t l = 0; l < kLanes; ++l) x[l] = std::sqrt(x[l]);
    return x;
#endif
}

/// Sum of the 8 lanes: ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)).
inline float hsum(v8f v) noexcept {
    return ((v[0] + v[4]) + (v[2] + v[6])) + ((v[1] + v[5]) + (v[3] + v[7]));
}

/// In-place 8 x 8 transpose: r[k][l] <- r[l][k].
inline void transpose8(v8f* r) noexcept {
#ifdef __AVX__
    __m256 a[8], t[8], u[8];
    for (int k = 0; k < 8; ++k) a[k] = reinterpret_cast<__m256>(r[k]);
    for (int k = 0; k < 8; k += 2) {
        t[k] = _mm256_unpacklo_ps(a[k], a[k + 1]);
        t[k + 1] = _mm256_unpackhi_ps(a[k], a[k + 1]);
    }
    for (int k = 0; k < 8; k += 4) {
        u[k] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[k + 1] = _mm256_shuffle_ps(t[k], t[k + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[k + 2] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[k + 3] = _mm256_shuffle_ps(t[k + 1], t[k + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int k = 0; k < 4; ++k) {
        r[k] = reinterpret_cast<v8f>(_mm256_permute2f128_ps(u[k], u[k + 4], 0x20));
        r[k + 4] = reinterpret_cast<v8f>(_mm256_permute2f128_ps(u[k], u[k + 4], 0x31));
    }
#else
    for (std::size_t k = 0; k < kLanes; ++k)
        for (std::size_t l = k + 1; l < kLanes; ++l) {
            const float x = r[k][l];
            r[k][l] = r[l][k];
            r[l][k] = x;
        }
#endif
}

/// out[i] = hsum(acc[i]) for i < n, eight samples at a time through a transpose (same tree as hsum).
inline void reduce_lanes(v8f* acc, float* out, std::size_t n) noexcept {
    std::size_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        v8f t[kLanes];
        for (std::size_t k = 0; k < kLanes; ++k) t[k] = acc[i + k];
        transpose8(t);
        const v8f s = ((t[0] + t[4]) + (t[2] + t[6])) + ((t[1] + t[5]) + (t[3] + t[7]));
        __builtin_memcpy(out + i, &s, sizeof s);
    }
    for (; i < n; ++i) out[i] = hsum(acc[i]);
}

/// Complex rotators (one oscillator per lane): (c, s) <- (c, s) x (cos w, sin w). Their magnitude is pulled
/// back to 1 at fixed stream positions (every kRenormPeriod samples), which keeps output independent of the
/// block sizes.
constexpr std::int64_t kRenormPeriod = 256;
inline void renormalise(v8f& c, v8f& s) noexcept {
    const v8f k = 1.5f - 0.5f * (c * c + s * s);
    c *= k;
    s *= k;
}

}  // namespace earshot::aural
