#pragma once
// Random numbers for the auralisation (the library's generators: earshot/dsp/random.hpp):
//   SplitMix64 expands the user's seed into independent streams (noise states, carrier phases);
//   a 32-bit LCG per lane (eight lanes per vector) makes the per-sample white noise from its 23 high bits
//   (the low bits of an LCG are poor; the high ones are fine for noise that is band-passed anyway).
#include <cstdint>
#include <numbers>

#include "earshot/dsp/random.hpp"
#include "simd.hpp"

namespace earshot::aural {

using earshot::SplitMix64;  // earshot/dsp/random.hpp

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
