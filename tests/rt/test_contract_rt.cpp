// The one processor contract (earshot/core/processor.hpp) for the leaf processors: ImplantProcessor,
// HearingAid, Smearer, Limiter, TinnitusGenerator and PopGenerator are BlockProcessors; process() and reset()
// allocate nothing (counted, tests/support/alloc_count.hpp) for two channels, varied block sizes up to the
// prepared maximum and aliased in/out; every channel of a multichannel processor is the mono processor on
// that channel (the channels are independent states of one model), sample for sample.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/dsp/limiter.hpp"
#include "earshot/hearing/hearing_aid.hpp"
#include "earshot/hearing/smearing.hpp"
#include "earshot/hearing/standards.hpp"
#include "earshot/implant/implant_processor.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/scene/pop.hpp"
#include "earshot/scene/tinnitus.hpp"
#include "support/alloc_count.hpp"
#include "support/signals.hpp"

using namespace earshot;

static_assert(BlockProcessor<ImplantProcessor>);
static_assert(BlockProcessor<HearingAid>);
static_assert(BlockProcessor<Smearer>);
static_assert(BlockProcessor<Limiter>);
static_assert(BlockProcessor<TinnitusGenerator>);
static_assert(BlockProcessor<PopGenerator>);

namespace {

constexpr double kFs = 44100.0;
constexpr std::size_t kMaxBlock = 512;
const std::vector<std::size_t> kBlocks = {512, 1, 17, 64, 333, 512, 100};

// Planar two-channel buffers: different noise on each channel.
struct Stereo {
    std::vector<float> ch[2];
    explicit Stereo(std::size_t n) {
        ch[0] = test::white_noise(n, 0.1, 11);
        ch[1] = test::white_noise(n, 0.05, 12);
    }
};

// Runs p over x in place, block sizes cycling through kBlocks; `between` is called before each block
// (event scheduling), outside nothing: everything runs inside the caller's count.
template <class P>
void run_in_place(P& p, std::vector<float>* chans, std::size_t nc, std::size_t n,
                  const std::function<void(std::size_t)>& before_block = {}) {
    std::size_t i = 0, b = 0;
    while (i < n) {
        const std::size_t m = std::min(kBlocks[b++ % kBlocks.size()], n - i);
        if (before_block) before_block(i);
        float* ptrs[2] = {chans[0].data() + i, nc > 1 ? chans[1].data() + i : nullptr};
        const float* cptrs[2] = {ptrs[0], ptrs[1]};
        p.process(AudioView<const float>(cptrs, nc, m), AudioView<float>(ptrs, nc, m));
        i += m;
    }
}

// Zero allocations in process() (aliased, varied blocks) and reset() on two channels; then each channel
// equals the same processor prepared for one channel on that channel's input.
template <class P>
void check(const char* name, const std::function<std::unique_ptr<P>()>& make, std::size_t n,
           const std::function<void(P&, std::size_t)>& events = {}) {
    SCOPED_TRACE(name);
    auto stereo = make();
    stereo->prepare(ProcessSpec{kFs, kMaxBlock, 2});
    Stereo x(n);
    std::vector<float> y[2] = {x.ch[0], x.ch[1]};
    auto ev = [&](P& p) { return events ? std::function<void(std::size_t)>([&](std::size_t i) { events(p, i); }) : std::function<void(std::size_t)>(); };
    const auto run_stereo = ev(*stereo);  // std::function built outside the count
    const long allocs = test::alloc::allocations_during([&] {
        run_in_place(*stereo, y, 2, n, run_stereo);
        stereo->reset();
    });
    EXPECT_EQ(allocs, 0) << name << ": process()/reset() allocated";
    // After reset(): the same output again, and each channel equals a mono instance.
    std::vector<float> again[2] = {x.ch[0], x.ch[1]};
    run_in_place(*stereo, again, 2, n, run_stereo);
    for (int c = 0; c < 2; ++c) {
        auto mono = make();
        mono->prepare(ProcessSpec{kFs, kMaxBlock, 1});
        std::vector<float> m[1] = {x.ch[c]};
        run_in_place(*mono, m, 1, n, ev(*mono));
        EXPECT_TRUE(m[0] == again[c]) << name << ": channel " << c << " differs from the mono processor";
        EXPECT_TRUE(y[c] == again[c]) << name << ": channel " << c << " differs after reset()";
    }
}

}  // namespace

TEST(ProcessorContract, ImplantProcessorTwoChannels) {
    for (const char* preset : {"nucleus-ace", "medel-cis"})
        check<ImplantProcessor>(preset, [&] { return std::make_unique<ImplantProcessor>(implant_preset(preset), Calibration{100.0}); },
                                std::size_t(0.3 * kFs));
}

TEST(ProcessorContract, HearingAidTwoChannels) {
    const Audiogram slope{{250, 500, 1000, 2000, 4000, 8000}, {20, 30, 40, 50, 60, 70}};
    check<HearingAid>("nal-r", [&] { return std::make_unique<HearingAid>(slope); }, std::size_t(0.3 * kFs));
}

TEST(ProcessorContract, SmearerTwoChannels) {
    const auto d = std::make_shared<const SmearingDesign>(design_smearing(kFs, 2.4, 1.6, SoundField::free_field));
    check<Smearer>("smearing 2.4/1.6", [&] { return std::make_unique<Smearer>(d); }, std::size_t(0.3 * kFs));
}

TEST(ProcessorContract, SmearerRejectsAnotherRate) {
    const auto d = std::make_shared<const SmearingDesign>(design_smearing(kFs, 2.4, 1.6, SoundField::free_field));
    Smearer s(d);
    EXPECT_THROW(s.prepare(ProcessSpec{48000.0, 512, 1}), ConfigError);
}

TEST(ProcessorContract, LimiterTwoChannels) {
    // Limiter links the gain across channels, so its channels are not independent: allocation and reset only.
    Limiter lim(LimiterConfig{-12.0});
    lim.prepare(ProcessSpec{kFs, kMaxBlock, 2});
    Stereo x(std::size_t(0.3 * kFs));
    std::vector<float> y[2] = {x.ch[0], x.ch[1]};
    for (auto& v : y[0]) v *= 8.f;  // well above the ceiling
    std::vector<float> first[2] = {y[0], y[1]};
    const long allocs = test::alloc::allocations_during([&] {
        run_in_place(lim, first, 2, first[0].size());
        lim.reset();
    });
    EXPECT_EQ(allocs, 0);
    run_in_place(lim, y, 2, y[0].size());
    EXPECT_TRUE(y[0] == first[0] && y[1] == first[1]);
    EXPECT_LT(lim.max_gain_reduction_db(), -1.0);  // the limiter did work
}

TEST(ProcessorContract, TinnitusGeneratorTwoChannels) {
    for (TinnitusKind kind : {TinnitusKind::tone, TinnitusKind::narrowband_noise, TinnitusKind::ring_out}) {
        TinnitusParams p;
        p.kind = kind;
        p.level_db = 50;
        p.decay_s = 0.05;
        check<TinnitusGenerator>(
            "tinnitus", [&] { return std::make_unique<TinnitusGenerator>(p, Calibration{100.0}); }, std::size_t(0.3 * kFs),
            [](TinnitusGenerator& g, std::size_t i) {
                if (i == 0) g.start_at(100), g.set_level_db_at(40.0, 3000), g.stop_at(9000);
            });
    }
}

TEST(ProcessorContract, PopGeneratorTwoChannels) {
    check<PopGenerator>(
        "pop", [] { return std::make_unique<PopGenerator>(PopParams{}, Calibration{100.0}); }, std::size_t(0.3 * kFs),
        [](PopGenerator& g, std::size_t i) {
            if (i == 0)
                for (std::size_t k = 0; k < 12; ++k) g.trigger_at(40 * k);  // more than kMaxVoices
        });
}

TEST(ProcessorContract, GeneratorsAddToTheirInput) {
    // out = in + the generator: with a zero input the generator alone, with x the sum, exactly.
    TinnitusParams tp;
    tp.attack_s = 0.0;
    TinnitusGenerator a(tp, Calibration{100.0}), b(tp, Calibration{100.0});
    a.prepare(ProcessSpec{kFs, 256, 1});
    b.prepare(ProcessSpec{kFs, 256, 1});
    a.start_at(0), b.start_at(0);
    const std::vector<float> x = test::white_noise(256, 0.1, 3);
    std::vector<float> zero(256, 0.f), y(256);
    process_mono(a, zero.data(), zero.data(), 256);
    process_mono(b, x.data(), y.data(), 256);
    for (std::size_t i = 0; i < 256; ++i) ASSERT_EQ(y[i], x[i] + zero[i]) << i;
    EXPECT_NE(zero[0], 0.f);
    EXPECT_EQ(a.latency_samples(), 0u);
}
