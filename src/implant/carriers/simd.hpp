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

#include "../../dsp/simd8.hpp"

namespace earshot::aural {

using simd::kLanes;
using simd::splat;
using simd::transpose8;
using simd::v8f;
typedef std::uint32_t v8u __attribute__((vector_size(32)));
typedef std::int32_t v8i __attribute__((vector_size(32)));

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
