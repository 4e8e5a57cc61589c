#pragma once
// Random numbers: every seeded source of the library, in one place and with one interface. Each engine has
// next() (its raw output) and symmetric() (uniform in [-1, 1)), is seeded from the user's 64-bit seed, and
// is fully specified here, so the same seed gives the same output on every platform. The algorithms differ
// because each is what its model's output was first built on (changing one would change that output):
//   SplitMix64  (Steele, Lea & Flood 2014; constants as in Vigna's reference description): expands a seed
//               into independent streams (the implant's noise states and carrier phases);
//   Pcg32       (O'Neill 2014, XSH-RR output of a 64-bit LCG, the reference seeding with its default
//               increment): the tinnitus noise, one draw per sample;
//   Mt64        (std::mt19937_64, Matsumoto & Nishimura 2000; its raw output is specified by the C++
//               standard): the pop's rumble and click noise.
// The implant's per-sample white noise (eight 32-bit LCG lanes per vector) stays beside the carriers
// (src/implant/carriers/random.hpp), seeded from SplitMix64. The one std distribution left,
// std::normal_distribution over Mt32 in the smearing's level compensation, is a fixed-seed measurement at
// design time, not an output signal.
#include <cstdint>
#include <numbers>
#include <random>

namespace earshot {

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
    double symmetric() noexcept { return double(std::int64_t(next())) * 0x1p-63; }  ///< [-1, 1)
    double phase() noexcept { return 2.0 * std::numbers::pi * uniform(); }  ///< [0, 2 pi)
    std::uint32_t nonzero32() noexcept {
        for (;;)
            if (const auto v = std::uint32_t(next() >> 32)) return v;
    }

private:
    std::uint64_t s_;
};

class Pcg32 {
public:
    Pcg32() noexcept = default;
    /// The reference implementation's seeding (pcg32_srandom_r with its default stream): state 0, one step,
    /// add the seed, one step.
    explicit Pcg32(std::uint64_t seed) noexcept {
        next();
        state_ += seed;
        next();
    }
    std::uint32_t next() noexcept {
        const std::uint64_t old = state_;
        state_ = old * 6364136223846793005ull + 1442695040888963407ull;
        const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
        const auto rot = static_cast<std::uint32_t>(old >> 59u);
        return (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
    }
    /// [-1, 1), a float (the 32 bits as a signed integer times 2^-31).
    float symmetric() noexcept { return static_cast<float>(static_cast<double>(static_cast<std::int32_t>(next())) * (1.0 / 2147483648.0)); }

private:
    std::uint64_t state_ = 0;
};

class Mt64 {
public:
    explicit Mt64(std::uint64_t seed) : mt_(seed) {}
    std::uint64_t next() noexcept { return mt_(); }
    double symmetric() noexcept { return static_cast<double>(static_cast<std::int64_t>(next())) * 0x1p-63; }  ///< [-1, 1)

private:
    std::mt19937_64 mt_;
};

/// The 32-bit Mersenne Twister, for std distributions at design time (fixed seeds; not output signals).
using Mt32 = std::mt19937;

}  // namespace earshot
