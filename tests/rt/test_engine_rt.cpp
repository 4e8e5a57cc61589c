// The engine's hand-over while running (issue 9, acceptance): a control thread changes the description every
// 10 ms of audio (listeners, implants, EAS, bimodal, a scene, and the continuous controls) while the audio thread
// runs 64-frame blocks. Checked: zero allocations, frees and mutex locks on the audio thread during process()
// (tests/support/alloc_count.hpp), finite output, no sample step during a change larger than the larger of the
// two steady states' (measured as in the scene tests, tests/rt/test_scene_player.cpp: the largest
// |y[n] - y[n-1]| over a steady stretch; here each description rendered alone by a fresh engine, at both ends
// of its implant intensity, and the input itself, which the POV control mixes in), and the final output equal,
// sample for sample, to a fresh engine built with the final description and fed the input from the sample at
// which that model was taken over. Length: EARSHOT_ENGINE_RT_SECONDS (default 60 s of audio).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <numbers>
#include <random>
#include <thread>

#include "earshot/engine/engine.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/io/scene_file.hpp"
#include "support/alloc_count.hpp"

using namespace earshot;

namespace {
constexpr double kFs = 16000.0;
constexpr std::size_t kBlock = 64, kNc = 2;

double seconds() {
    const char* s = std::getenv("EARSHOT_ENGINE_RT_SECONDS");
    return s ? std::max(5.0, std::atof(s)) : 60.0;
}

std::vector<Description> pool() {
    std::vector<Description> p;
    auto listener = [](const char* id) {
        Description d;
        d.listener = make_preset(id);
        return d;
    };
    auto implant = std::make_shared<const ImplantParams>(load_implant("nucleus-ace"));
    p.push_back(listener("bisgaard:N2"));
    p.push_back(listener("bisgaard:S1"));
    Description ci;  // implant only
    ci.implant = ImplantFitting{implant};
    p.push_back(ci);
    Description eas = listener("bisgaard:S2");
    eas.implant = ImplantFitting{implant, EarSel::both, std::nullopt, 500.0};
    p.push_back(eas);
    Description bimodal = listener("bisgaard:N3");
    bimodal.implant = ImplantFitting{implant, EarSel::left};
    p.push_back(bimodal);
    Description scene;
    scene.scene = std::make_shared<const Scene>(parse_scene_toml(R"(
[[keyframe]]
time_s = 0
listener = "bisgaard:N3"
[[keyframe]]
time_s = 0.3
transition = { duration_s = 0.1, curve = "linear" }
[keyframe.left]
processor_off = true
[[keyframe]]
time_s = 0.6
transition = { duration_s = 0.1, curve = "linear" }
[keyframe.left]
processor_off = false
[[tinnitus]]
start_s = 0.1
duration_s = 0.4
freq_hz = 4000
level_db_spl = 40
)", "engine-rt.toml"));
    p.push_back(scene);
    for (auto& d : p) d.calibration.full_scale_db_spl = 105;
    return p;
}

void benchmark_escape(void* p) { asm volatile("" : : "g"(p) : "memory"); }  // keeps the vector

struct Steps {
    double max_step = 0, peak = 0;
};
Steps steps_of(const std::vector<std::vector<float>>& y, std::size_t from, std::size_t to) {
    Steps s;
    for (const auto& ch : y)
        for (std::size_t i = std::max<std::size_t>(from, 1); i < to; ++i) {
            s.max_step = std::max(s.max_step, double(std::fabs(ch[i] - ch[i - 1])));
            s.peak = std::max(s.peak, double(std::fabs(ch[i])));
        }
    return s;
}

// Runs a fresh engine with `d` over x[from..) in kBlock blocks (and the body bus); output in place of time.
std::vector<std::vector<float>> run_fresh(const Description& d, const EngineOptions& o, const std::vector<std::vector<float>>& x,
                                          const std::vector<float>& body, std::size_t from) {
    Engine e(d, o);
    e.prepare({kFs, kBlock, kNc});
    const std::size_t n = x[0].size() - from;
    std::vector<std::vector<float>> y(kNc, std::vector<float>(n));
    for (std::size_t i = 0; i < n; i += kBlock) {
        const std::size_t k = std::min(kBlock, n - i);
        const float* ip[kNc] = {x[0].data() + from + i, x[1].data() + from + i};
        float* op[kNc] = {y[0].data() + i, y[1].data() + i};
        const float* bp[1] = {body.data() + from + i};
        const AudioView<const float> bv(bp, 1, k);
        e.set_body(&bv);
        e.maintain();
        e.process(AudioView<const float>(ip, kNc, k), AudioView<float>(op, kNc, k));
    }
    return y;
}
}  // namespace

TEST(EngineRt, DescriptionChangesEvery10MsWithoutAllocationClicksOrDrift) {
    const double secs = seconds();
    const std::size_t total = std::size_t(secs * kFs);
    std::vector<std::vector<float>> x(kNc, std::vector<float>(total));
    std::vector<float> body(total);
    for (std::size_t i = 0; i < total; ++i) {
        const double t = double(i) / kFs;
        x[0][i] = float(0.1 * std::sin(2 * std::numbers::pi * 500 * t));
        x[1][i] = float(0.1 * std::sin(2 * std::numbers::pi * 500 * t + 0.5));
        body[i] = float(0.02 * std::sin(2 * std::numbers::pi * 150 * t));
    }
    const auto descriptions = pool();
    EngineOptions opt;
    for (const auto& d : descriptions) {  // the engine's latency: the largest of the pool's models
        const auto b0 = std::chrono::steady_clock::now();
        Engine e(d);
        e.prepare({kFs, kBlock, kNc});
        std::printf("build %.1f ms, latency %zu\n", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - b0).count(), e.latency_samples());
        opt.latency_samples = std::max(opt.latency_samples, e.latency_samples());
    }
    // Steady states: each description alone (implants also at intensity 0), after 0.5 s.
    std::vector<Steps> steady(descriptions.size());
    const std::size_t settle = std::size_t(0.5 * kFs) + opt.latency_samples;
    for (std::size_t k = 0; k < descriptions.size(); ++k) {
        steady[k] = steps_of(run_fresh(descriptions[k], opt, x, body, 0), settle, total);
        if (descriptions[k].implant) {
            Description d0 = descriptions[k];
            d0.controls.implant_intensity = 0.0;
            const Steps s0 = steps_of(run_fresh(d0, opt, x, body, 0), settle, total);
            steady[k].max_step = std::max(steady[k].max_step, s0.max_step);
            steady[k].peak = std::max(steady[k].peak, s0.peak);
        }
    }
    const Steps outside = steps_of(x, 1, total);

    Engine engine(descriptions[0], opt);
    engine.prepare({kFs, kBlock, kNc});
    std::vector<std::vector<float>> y(kNc, std::vector<float>(total));
    std::atomic<std::uint64_t> audio_pos{0};
    std::atomic<bool> stop{false};
    std::map<std::uint64_t, std::size_t> pool_of{{0, 0}};  // generation -> description (control thread only)
    Description final_description = descriptions[0];
    std::thread control([&] {
        std::mt19937 rng(9);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        const std::uint64_t step = std::uint64_t(0.010 * kFs);
        std::uint64_t next = step;
        const std::uint64_t last_change = total - std::uint64_t(3.0 * kFs);  // then settle and compare
        while (next < last_change) {
            while (audio_pos.load() < next && !stop.load()) {
                engine.maintain();
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            if (stop.load()) return;
            Controls c;
            c.output_gain_db = -12.0 * u(rng);
            c.pov = 0.5 + 0.5 * u(rng);
            c.body_gain_db = -12.0 * u(rng);
            if (u(rng) < 0.5) c.implant_intensity = u(rng);
            if (u(rng) < 0.6) {
                const std::size_t k = std::size_t(u(rng) * double(descriptions.size())) % descriptions.size();
                Description d = descriptions[k];
                d.controls = c;
                pool_of[engine.set(d)] = k;
            } else {
                engine.set_controls(c);
            }
            next += step;
        }
        // The final description, at the default controls; then the engine settles.
        final_description = descriptions[0];
        pool_of[engine.set(final_description)] = 0;
        while (!stop.load()) {
            engine.maintain();
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    });
    // The audio thread: at twice real time (a host's audio thread, sped up); the waiting is outside process(),
    // which alone is counted. The control thread falls behind while it builds (a build takes 10-400 ms): it then
    // catches up, and the descriptions it sets meanwhile replace each other unbuilt (latest wins).
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    {  // the counters see this thread's allocations, frees and locks (a vector, a mutex)
        test::alloc::thread_allocs = test::alloc::thread_frees = test::alloc::thread_locks = 0;
        test::alloc::thread_counting = true;
        {
            std::vector<int> v(16);
            benchmark_escape(v.data());
            std::mutex mx;
            mx.lock();
            mx.unlock();
        }
        test::alloc::thread_counting = false;
        EXPECT_GE(test::alloc::thread_allocs.load(), 1);
        EXPECT_GE(test::alloc::thread_frees.load(), 1);
#if !defined(EARSHOT_TEST_ASAN)  // ASan intercepts pthread_mutex_lock itself: locks are not counted there
        EXPECT_GE(test::alloc::thread_locks.load(), 1);
#endif
    }
    test::alloc::thread_allocs = test::alloc::thread_frees = test::alloc::thread_locks = 0;
    struct Change {
        std::uint64_t at, from, to;
    };
    std::vector<Change> changes;
    changes.reserve(100000);
    std::uint64_t heard = 0;
    for (std::size_t i = 0; i < total; i += kBlock) {
        const auto due = t0 + std::chrono::microseconds(std::int64_t(double(i) / kFs / 2.0 * 1e6));
        std::this_thread::sleep_until(due);
        const std::size_t k = std::min(kBlock, total - i);
        const float* ip[kNc] = {x[0].data() + i, x[1].data() + i};
        float* op[kNc] = {y[0].data() + i, y[1].data() + i};
        const float* bp[1] = {body.data() + i};
        const AudioView<const float> bv(bp, 1, k);
        test::alloc::thread_counting = true;
        engine.set_body(&bv);
        engine.process(AudioView<const float>(ip, kNc, k), AudioView<float>(op, kNc, k));
        const std::uint64_t g = engine.heard_generation();
        test::alloc::thread_counting = false;
        if (g != heard) changes.push_back({i + k, heard, g}), heard = g;
        audio_pos.store(i + k);
    }
    const std::uint64_t start = engine.model_start_sample();
    const bool settled = engine.settled();
    stop = true;
    control.join();
    EXPECT_EQ(test::alloc::thread_allocs.load(), 0);
    EXPECT_EQ(test::alloc::thread_frees.load(), 0);
    EXPECT_EQ(test::alloc::thread_locks.load(), 0);
    EXPECT_TRUE(settled);
    EXPECT_GT(changes.size(), std::size_t(secs / 2));  // many take-overs happened
    for (const auto& ch : y)
        for (float v : ch) ASSERT_TRUE(std::isfinite(v));
    // Steps in each change's window (warm-up + fade before the generation is heard), against its two sides.
    const std::size_t window = std::size_t(std::llround((opt.warmup_s + opt.crossfade_s) * kFs)) + kBlock;
    std::size_t checked = 0;
    double worst = 0;  // the largest step in a change's window re its bound
    for (const auto& c : changes) {
        if (c.at < settle + window || !pool_of.count(c.from) || !pool_of.count(c.to)) continue;
        const Steps& a = steady[pool_of[c.from]];
        const Steps& b = steady[pool_of[c.to]];
        const Steps got = steps_of(y, std::size_t(c.at) - window, std::size_t(c.at));
        const double bound = std::max({a.max_step, b.max_step, outside.max_step});
        EXPECT_LE(got.max_step, bound) << "change at sample " << c.at << " from description " << pool_of[c.from]
                                       << " to " << pool_of[c.to];
        worst = std::max(worst, got.max_step / bound);
        ++checked;
    }
    std::printf("engine rt: largest step in a change %.2f dB re its bound (the larger steady state's or the input's)\n", 20 * std::log10(worst));
    EXPECT_GT(checked, changes.size() / 2);
    // The end: exactly the fresh engine's output from the take-over on, once the fade is over.
    ASSERT_GT(total, start + window);
    const auto fresh = run_fresh(final_description, opt, x, body, std::size_t(start));
    std::size_t differ = 0;
    for (std::size_t c = 0; c < kNc; ++c)
        for (std::size_t i = window; i < fresh[c].size(); ++i) differ += fresh[c][i] != y[c][start + i];
    EXPECT_EQ(differ, 0u) << "final model taken over at sample " << start;
    std::printf("engine rt: %.0f s, %zu take-overs, %zu builds, %zu coalesced, %zu windows checked\n", secs,
                changes.size(), engine.builds(), engine.coalesced(), checked);
}
