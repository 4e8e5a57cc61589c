// The real-time contract of Auraliser (earshot/implant/auraliser.hpp), tested rather than assumed: process()
// and reset() allocate nothing for any carrier, block size or pulse count; output stays finite without
// flush-to-zero; the caller's floating-point mode is left alone.
// Allocations are counted by the binary's one counter (tests/support/alloc_count.hpp).
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <vector>
#include <xmmintrin.h>

#include "earshot/core/denormals.hpp"
#include "earshot/implant/auraliser.hpp"
#include "support/alloc_count.hpp"

namespace {
auto& g_counting = earshot::test::alloc::counting;
auto& g_allocations = earshot::test::alloc::count;
}  // namespace

using namespace earshot;

namespace {

constexpr double kFs = 44100.0;

AuralisationParams params(Carrier c) {
    AuralisationParams p;
    p.carrier = c;
    p.place_freq_hz = {13879, 12388, 11057, 9647, 8322, 7018, 6057, 5458, 4847, 4209, 3655,
                       3149,  2659,  2282,  1943, 1668, 1428, 1248, 1075, 939,  797,  722};
    for (std::size_t e = 0; e < p.place_freq_hz.size(); ++e) p.contact_depth_mm.push_back(5.0 + 0.714 * double(e));
    p.spread_db_per_mm = 2.0;
    return p;
}

// 8 of 22 electrodes per frame at 900 pps (base to apex), with some idle slots.
std::vector<StimulusPulse> pulses(double duration_s) {
    std::vector<StimulusPulse> v;
    const double period = 1.0 / 900.0, slot = period / 8.0;
    for (int f = 0; double(f) * period < duration_s; ++f)
        for (int k = 0; k < 8; ++k) {
            const int e = 1 + (f * 3 + k * 5) % 22;
            v.push_back({double(f) * period + double(k) * slot, e, (f + k) % 9 == 0 ? 0.f : 0.1f + 0.01f * float(k)});
        }
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.time_s < b.time_s; });
    return v;
}

// Feeds pulses block by block (split by time) into out[0..total).
void run_into(Auraliser& a, const std::vector<StimulusPulse>& ps, float* out, std::size_t total,
              const std::vector<std::size_t>& blocks) {
    std::size_t i = 0, k = 0, b = 0;
    while (i < total) {
        const std::size_t n = std::min(blocks[b++ % blocks.size()], total - i);
        std::size_t k1 = k;
        while (k1 < ps.size() && ps[k1].time_s < double(i + n) / kFs) ++k1;
        a.process(std::span<const StimulusPulse>(ps.data() + k, k1 - k), out + i, n);
        i += n, k = k1;
    }
}
std::vector<float> run(Auraliser& a, const std::vector<StimulusPulse>& ps, std::size_t total, const std::vector<std::size_t>& blocks) {
    std::vector<float> out(total);
    run_into(a, ps, out.data(), total, blocks);
    return out;
}

constexpr Carrier kAll[] = {Carrier::noise, Carrier::sine, Carrier::multitone, Carrier::get, Carrier::gammatone_pulse};

}  // namespace

TEST(AuraliserRealTime, ProcessAndResetDoNotAllocate) {
    const auto ps = pulses(0.5);
    for (Carrier c : kAll) {
        Auraliser a;
        a.prepare(params(c), kFs, 1024, 256);
        std::vector<float> out(std::size_t(0.5 * kFs));
        // varied block sizes, including one longer than max_block_frames and blocks with no pulses
        const std::vector<std::size_t> varied = {1024, 1, 17, 256, 3000, 64}, fixed = {512};
        g_allocations = 0;
        g_counting = true;
        run_into(a, ps, out.data(), out.size(), varied);
        a.reset();
        run_into(a, ps, out.data(), out.size() / 2, fixed);
        g_counting = false;
        EXPECT_EQ(g_allocations.load(), 0) << "carrier " << int(c);
    }
    // the hook works, for plain and over-aligned allocations
    g_allocations = 0;
    g_counting = true;
    {
        std::vector<int> v(10);
        struct alignas(64) Big {
            float x[16];
        };
        std::vector<Big> w(3);
        void* volatile m = std::malloc(10);  // volatile: the compiler may not elide the pair
        std::free(m);
    }
    g_counting = false;
    EXPECT_GE(g_allocations.load(), 3);
}

TEST(AuraliserRealTime, FiniteWithoutFlushToZeroAndModeUntouched) {
    // Long silences after pulses: filters decay through the subnormal range when nothing flushes them.
    const unsigned before = _mm_getcsr();
    ASSERT_FALSE(ScopedNoDenormals::active());
    for (Carrier c : kAll) {
        Auraliser a;
        a.prepare(params(c), kFs, 512, 64);
        std::vector<StimulusPulse> ps = pulses(0.05);
        const auto y = run(a, ps, std::size_t(3.0 * kFs), {512});
        for (float v : y) ASSERT_TRUE(std::isfinite(v)) << int(c);
        // control bits (rounding, FTZ/DAZ, exception masks) untouched; the low 6 are sticky status flags
        EXPECT_EQ(_mm_getcsr() & ~0x3fu, before & ~0x3fu);
    }
}

TEST(AuraliserRealTime, SameOutputWithAndWithoutFlushToZero) {
    // Denormals are the caller's business: flushing them changes the output only below -300 dB.
    const auto ps = pulses(0.3);
    for (Carrier c : kAll) {
        Auraliser a, b;
        a.prepare(params(c), kFs, 512, 64);
        b.prepare(params(c), kFs, 512, 64);
        const auto ya = run(a, ps, std::size_t(0.4 * kFs), {512});
        std::vector<float> yb;
        {
            ScopedNoDenormals no_denormals;
            yb = run(b, ps, std::size_t(0.4 * kFs), {512});
        }
        double diff = 0;
        for (std::size_t i = 0; i < ya.size(); ++i) diff = std::max(diff, double(std::fabs(ya[i] - yb[i])));
        EXPECT_LE(diff, 1e-15) << int(c);
    }
}
