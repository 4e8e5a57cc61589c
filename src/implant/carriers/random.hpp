#pragma once
// Random numbers for the auralisation, written from the published descriptions:
//   splitmix64 (Steele, Lea & Flood 2014; constants as in Vigna's reference description) expands the user's
//   seed into independent streams (noise states, carrier phases);
//   a 32-bit LCG per lane (eight lanes per vector) makes the per-sample white noise from its 23 high bits
//   (the low bits of an LCG are poor; the high ones are fine for noise that is band-passed anyway).
#include <cstdint>
#include <numbers>

#include "simd.hpp"

namespace earshot::aural {

class SplitMix64 {
public:
    /// `stream` separates the uses of one seed (noise, phases, ...).
    SplitMix64(std::uint64_t seed, std::uint64_t stream) noexcept : s_(seed ^ (stream * 0xd1342543de82ef95ull)) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    double uniform() noexcept { return double(next() >> 11) * 0x1.0p-53; }  ///< [0, 1)
    double phase() noexcept { return 2.0 * std::numbers::pi * uniform(); }  ///< [0, 2 pi)
    std::uint32_t nonzero32() noexcept {
        for (;;)
            if (const auto v = std::uint32_t(next() >> 32)) return v;
    }

private:
    std::uint64_t s_;
};

/// Eight 32-bit linear congruential generators (x <- 1664525 x + 1013904223, Knuth / Numerical Recipes
/// constants; full period 2^32), returned as signed integers converted to float: uniform in [-2^31, 2^31)
/// (callers scale by 2^-31 for [-1, 1), variance 1/3). The conversion keeps the 24 high bits; the poor
/// low bits of an LCG only reach the rounding.
inline v8f lcg_noise(v8u& x) noexcept {
    x = x * 1664525u + 1013904223u;
    return __builtin_convertvector(reinterpret_cast<v8i>(x), v8f);
}
constexpr double kLcgToUnit = 1.0 / 2147483648.0;
constexpr double kWhiteNoiseVariance = 1.0 / 3.0;

}  // namespace earshot::aural
