// The implant chain's real-time contract: process() allocates nothing, block size does not change the
// output, intensity 0 returns the input delayed by exactly latency_samples(), and the implant sound of a
// tone burst starts near latency_samples() after the burst.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "earshot/listener/listener_processor.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/implant/implant_processor.hpp"
#include "support/alloc_count.hpp"
#include "support/signals.hpp"

using namespace earshot;

namespace {
std::vector<float> run(ImplantProcessor& p, const std::vector<float>& x, std::size_t block) {
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); i += block) {
        const std::size_t n = std::min(block, x.size() - i);
        process_mono(p, x.data() + i, y.data() + i, n);
    }
    return y;
}
}  // namespace

TEST(ImplantRealTime, ProcessDoesNotAllocate) {
    for (const char* preset : {"nucleus-ace", "medel-cis", "speak", "ab-16"})
        for (Carrier c : {Carrier::noise, Carrier::sine, Carrier::multitone, Carrier::get, Carrier::gammatone_pulse}) {
            ImplantParams ip = implant_preset(preset);
            ip.auralisation.carrier = c;
            ImplantProcessor p(ip, Calibration{100.0});
            p.prepare(ProcessSpec{44100, 1024, 1});
            const auto x = test::white_noise(44100, 0.1, 3);
            std::vector<float> y(x.size());
            const long n = test::alloc::allocations_during([&] {
                for (std::size_t i = 0, k = 0; i + 1024 <= x.size(); i += std::size_t(1 + (k * 389) % 1024), ++k) {
                    const std::size_t len = std::min<std::size_t>(1 + (k * 389) % 1024, x.size() - i);
                    process_mono(p, x.data() + i, y.data() + i, len);
                }
                p.reset();
                process_mono(p, x.data(), y.data(), 512);
            });
            EXPECT_EQ(n, 0) << preset << " carrier " << int(c);
        }
}

TEST(ImplantRealTime, BlockSizeDoesNotChangeTheOutput) {
    for (const char* preset : {"nucleus-ace", "medel-cis"})
        for (Carrier c : {Carrier::noise, Carrier::gammatone_pulse}) {
            ImplantParams ip = implant_preset(preset);
            ip.auralisation.carrier = c;
            const auto x = test::white_noise(48000, 0.05, 5);
            std::vector<float> ref;
            for (std::size_t block : {4096u, 1u, 64u, 512u}) {
                ImplantProcessor p(ip, Calibration{100.0});
                p.prepare(ProcessSpec{48000, 4096, 1});
                const auto y = run(p, x, block);
                if (ref.empty()) {
                    ref = y;
                    continue;
                }
                double max_diff = 0;
                for (std::size_t i = 0; i < y.size(); ++i) max_diff = std::max(max_diff, double(std::fabs(y[i] - ref[i])));
                EXPECT_LE(max_diff, 1e-6) << preset << " block " << block;  // -120 dBFS
            }
        }
}

TEST(ImplantRealTime, IntensityZeroIsTheInputDelayedByTheLatency) {
    ImplantParams ip = implant_preset("nucleus-ace");
    ip.intensity = 0.0;
    ImplantProcessor p(ip, Calibration{100.0});
    p.prepare(ProcessSpec{44100, 512, 1});
    const auto x = test::white_noise(20000, 0.1, 7);
    const auto y = run(p, x, 300);
    const std::size_t d = p.latency_samples();
    ASSERT_GT(d, 0u);
    for (std::size_t i = d; i < x.size(); ++i) ASSERT_EQ(y[i], x[i - d]) << i;
}

TEST(ImplantRealTime, ToneBurstArrivesAroundTheLatency) {
    // A 1 kHz burst from 0.5 s: the output's energy rises to half its steady level within 3.5 ms of
    // 0.5 s + latency (the reported latency is to the middle of the analysis window; the half-level point
    // also waits for the envelope filters' rise).
    for (const char* preset : {"nucleus-ace", "medel-cis"}) {
        ImplantParams ip = implant_preset(preset);
        ip.auralisation.carrier = Carrier::sine;
        ip.auralisation.spread_db_per_mm = std::numeric_limits<double>::infinity();
        ImplantProcessor p(ip, Calibration{100.0});
        const double fs = 48000;
        p.prepare(ProcessSpec{fs, 256, 1});
        std::vector<float> x(std::size_t(fs), 0.f);
        const auto t = test::sine(1000, fs, x.size() / 2, 0.05);
        std::copy(t.begin(), t.end(), x.begin() + std::ptrdiff_t(x.size() / 2));
        const auto y = run(p, x, 256);
        // 1 ms RMS envelope.
        const std::size_t w = 48;
        std::vector<double> env(y.size(), 0.0);
        for (std::size_t i = w; i < y.size(); ++i) {
            double e = 0;
            for (std::size_t k = i - w; k < i; ++k) e += double(y[k]) * y[k];
            env[i] = std::sqrt(e / w);
        }
        const double steady = env[y.size() - 100];
        std::size_t onset = 0;
        for (std::size_t i = x.size() / 2; i < y.size(); ++i)
            if (env[i] > 0.5 * steady) {
                onset = i - w / 2;
                break;
            }
        const double measured_ms = 1e3 * double(onset - x.size() / 2) / fs;
        const double reported_ms = 1e3 * double(p.latency_samples()) / fs;
        std::printf("[ latency ] %s: reported %.2f ms (%zu samples at 48 kHz), burst onset at %.2f ms\n", preset,
                    reported_ms, p.latency_samples(), measured_ms);
        EXPECT_NEAR(measured_ms, reported_ms, 3.5) << preset;
    }
}

TEST(ListenerRealTime, ElectricAcousticBimodalProcessesWithoutAllocating) {
    HearingLossConfig cfg;
    cfg.listener = make_preset("bisgaard:N3");
    auto implant = std::make_shared<const ImplantParams>(implant_preset("nucleus-ace"));
    cfg.listener.left_device = {implant, true, 500.0};  // electric-acoustic
    cfg.listener.right_device = {};                     // acoustic (bimodal)
    ListenerProcessor lp(cfg);
    lp.prepare({44100.0, 512, 2});
    const auto x = test::white_noise(512, 0.05, 2);
    std::vector<float> y0(512), y1(512);
    const float* in[2] = {x.data(), x.data()};
    float* out[2] = {y0.data(), y1.data()};
    const long n = test::alloc::allocations_during([&] {
        for (int k = 0; k < 20; ++k) lp.process(AudioView<const float>(in, 2, 512), AudioView<float>(out, 2, 512));
        lp.reset();
    });
    EXPECT_EQ(n, 0);
}
