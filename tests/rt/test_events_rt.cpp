// The scene event generators' real-time contract (earshot/scene/tinnitus.hpp, earshot/scene/pop.hpp): scheduling,
// process() and reset() allocate nothing; decays to silence end (inactive) instead of sinking into subnormal
// numbers, no output sample is subnormal even at the quietest levels, and the caller's floating-point mode is
// restored after process().
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "earshot/core/denormals.hpp"
#include "earshot/scene/pop.hpp"
#include "earshot/scene/tinnitus.hpp"
#include "support/event_gen.hpp"
#include "support/alloc_count.hpp"

using namespace earshot;

namespace {
constexpr double kRate = 44100.0;

// The quietest level (-20 dB SPL) at the loudest calibration below (140 dB SPL): amplitude 1e-8; the narrowest
// noise band (the slowest filters), a long raised-cosine tail, a ring-out falling 8.7 dB per ms.
TinnitusParams quiet(TinnitusKind kind) {
    return {.kind = kind, .freq_hz = 6000, .bandwidth_hz = 10, .level_db = -20, .attack_s = 0.001,
            .release_s = 2.0, .decay_s = 0.001};
}

bool subnormal(float v) { return std::fpclassify(v) == FP_SUBNORMAL; }
}  // namespace

TEST(EventsRealTime, SchedulingRenderingAndResetDoNotAllocate) {
    std::vector<TinnitusGenerator> gens(3);
    const TinnitusKind kinds[] = {TinnitusKind::tone, TinnitusKind::narrowband_noise, TinnitusKind::ring_out};
    for (int k = 0; k < 3; ++k) test::prepare_gen(gens[std::size_t(k)], quiet(kinds[k]), kRate, Calibration{100.0});
    PopGenerator pop;
    test::prepare_gen(pop, PopParams{}, kRate, Calibration{100.0});
    std::vector<float> out(8192, 0.f);
    const long n = test::alloc::allocations_during([&] {
        for (auto& g : gens) {
            g.start_at(3);
            g.set_level_db_at(10.0, 700);
            for (std::size_t b : {1u, 64u, 512u, 4096u, 17u}) test::add_into(g, out.data(), b);
            g.stop_at(100);
            test::add_into(g, out.data(), 8192);
            g.reset();
            g.start_at(0);
            test::add_into(g, out.data(), 256);
        }
        for (int i = 0; i < 12; ++i) pop.trigger_at(std::size_t(i) * 50);  // more than kMaxVoices
        test::add_into(pop, out.data(), 4096);
        pop.reset();
        pop.trigger_at(0);
        test::add_into(pop, out.data(), 64);
    });
    EXPECT_EQ(n, 0);
    EXPECT_GT(test::alloc::allocations_during([] { std::vector<int> v(10); }), 0);  // the hook works
}

TEST(EventsRealTime, QuietDecaysEndWithoutSubnormalsAndRestoreTheFpMode) {
#ifdef EARSHOT_HAS_MXCSR
    const unsigned saved = _mm_getcsr();
    _mm_setcsr(saved & ~0x8040u);  // the caller does not flush denormals
#endif
    for (TinnitusKind kind : {TinnitusKind::tone, TinnitusKind::narrowband_noise, TinnitusKind::ring_out}) {
        TinnitusGenerator g;
        test::prepare_gen(g, quiet(kind), kRate, Calibration{140.0});
        std::vector<float> out(std::size_t(3 * kRate), 0.f);
        g.start_at(0);
        g.stop_at(4410);
        for (std::size_t b = 0; b < out.size(); b += 512) {
            test::add_into(g, out.data() + b, std::min<std::size_t>(512, out.size() - b));
            EXPECT_FALSE(ScopedNoDenormals::active());  // restored after each call
        }
        long n_sub = 0, n_nonzero = 0;
        for (float v : out) n_sub += subnormal(v), n_nonzero += v != 0.f;
        EXPECT_EQ(n_sub, 0) << int(kind);
        EXPECT_GT(n_nonzero, kind == TinnitusKind::ring_out ? 600 : 4000) << int(kind);  // it did sound
        EXPECT_FALSE(g.active()) << int(kind);  // release (or the ring-out to -120 dB) has ended
    }
    // a ring-out to silence stops 120 dB down: 13.8 decay times (here 14 ms), not when the floats run out
    TinnitusParams p = quiet(TinnitusKind::ring_out);
    TinnitusGenerator g;
    test::prepare_gen(g, p, kRate, Calibration{140.0});
    g.start_at(0);
    std::vector<float> out(4410, 0.f);
    test::add_into(g, out.data(), out.size());
    EXPECT_FALSE(g.active());
    for (float v : out) EXPECT_FALSE(subnormal(v));
    // the quietest pop has no subnormal sample either
    PopGenerator pop;
    PopParams pp;
    pp.peak_db_spl = 0;
    test::prepare_gen(pop, pp, kRate, Calibration{140.0});
    for (float v : pop.waveform()) EXPECT_FALSE(subnormal(v));
#ifdef EARSHOT_HAS_MXCSR
    _mm_setcsr(saved);
#endif
}
