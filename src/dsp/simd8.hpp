#pragma once
// Private: 8-wide float vectors (GCC vector extensions) shared by the lane-parallel DSP loops (the hearing-loss
// filterbank, the implant auraliser): the type, a broadcast and an in-place 8 x 8 transpose.
#include <cstddef>
#ifdef __AVX__
#include <immintrin.h>
#endif

namespace earshot::simd {

typedef float v8f __attribute__((vector_size(32)));
constexpr std::size_t kLanes = 8;

inline v8f splat(float x) noexcept { return v8f{} + x; }

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

}  // namespace earshot::simd
