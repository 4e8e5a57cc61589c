// Real-time factor of the auraliser: 60 s of 44.1 kHz output from an ACE-like electrodogram (22 electrodes,
// 8 maxima per frame at 900 pps, pulses base to apex, 432 000 pulses), blocks of 512, one thread, for each
// carrier at the default spread (8 dB/mm, Contour Advance places 0.714 mm apart) and, for the pulse
// carriers whose cost grows with spread, at 2 dB/mm. The caller's ScopedNoDenormals is included, as the
// implant processor does. Reported: x real time.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "earshot/core/denormals.hpp"
#include "earshot/implant/auraliser.hpp"

namespace {
constexpr double kFs = 44100.0;
constexpr std::size_t kSeconds = 60, kBlock = 512;

earshot::AuralisationParams params(earshot::Carrier c, double spread_db_per_mm) {
    earshot::AuralisationParams p;
    p.carrier = c;
    p.place_freq_hz = {13879, 12388, 11057, 9647, 8322, 7018, 6057, 5458, 4847, 4209, 3655,
                       3149,  2659,  2282,  1943, 1668, 1428, 1248, 1075, 939,  797,  722};
    for (std::size_t e = 0; e < p.place_freq_hz.size(); ++e) p.contact_depth_mm.push_back(4.0 + 0.714 * double(e));
    p.spread_db_per_mm = spread_db_per_mm;
    return p;
}

// 8 of 22 per frame, chosen from a slowly moving "spectrum" (two formant-like bumps) plus noise.
std::vector<earshot::StimulusPulse> electrodogram(double duration_s) {
    std::vector<earshot::StimulusPulse> v;
    std::uint32_t r = 1;
    auto rnd = [&r] { return (r = r * 1664525u + 1013904223u) >> 8; };
    const double period = 1.0 / 900.0, slot = period / 8.0;
    for (int f = 0; double(f) * period < duration_s; ++f) {
        const double t = double(f) * period;
        double level[22];
        for (int e = 0; e < 22; ++e) {
            const double c1 = 16 + 4 * std::sin(2 * M_PI * 3.1 * t), c2 = 8 + 3 * std::sin(2 * M_PI * 1.7 * t);
            level[e] = std::exp(-0.1 * (e - c1) * (e - c1)) + 0.7 * std::exp(-0.2 * (e - c2) * (e - c2)) + 0.05 * double(rnd() % 1000) / 1000.0;
        }
        int idx[22];
        for (int e = 0; e < 22; ++e) idx[e] = e;
        std::partial_sort(idx, idx + 8, idx + 22, [&](int a, int b) { return level[a] > level[b]; });
        std::sort(idx, idx + 8);  // base to apex
        const double env = 0.5 + 0.5 * std::sin(2 * M_PI * 4.0 * t);
        for (int k = 0; k < 8; ++k) v.push_back({t + double(k) * slot, idx[k] + 1, float(0.1 * env * level[idx[k]])});
    }
    return v;
}

void run(benchmark::State& state, earshot::Carrier c, double spread_db_per_mm) {
    const auto pulses = electrodogram(double(kSeconds));
    earshot::Auraliser a;
    a.prepare(params(c, spread_db_per_mm), kFs, kBlock, 64);
    const std::size_t n = std::size_t(kFs) * kSeconds;
    std::vector<float> out(n);
    for (auto _ : state) {
        a.reset();
        std::size_t k = 0;
        for (std::size_t i = 0; i < n; i += kBlock) {
            const std::size_t m = std::min(kBlock, n - i);
            const double t_end = double(i + m) / kFs;
            std::size_t k1 = k;
            while (k1 < pulses.size() && pulses[k1].time_s < t_end) ++k1;
            earshot::ScopedNoDenormals no_denormals;
            a.process(std::span<const earshot::StimulusPulse>(pulses.data() + k, k1 - k), out.data() + i, m);
            k = k1;
        }
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["x_realtime"] = benchmark::Counter(double(kSeconds) * double(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["latency_ms"] = a.latency_samples() / kFs * 1e3;
}

void BM_auralise_noise(benchmark::State& s) { run(s, earshot::Carrier::noise, 8.0); }
void BM_auralise_sine(benchmark::State& s) { run(s, earshot::Carrier::sine, 8.0); }
void BM_auralise_multitone(benchmark::State& s) { run(s, earshot::Carrier::multitone, 8.0); }
void BM_auralise_get(benchmark::State& s) { run(s, earshot::Carrier::get, 8.0); }
void BM_auralise_get_2db_per_mm(benchmark::State& s) { run(s, earshot::Carrier::get, 2.0); }
void BM_auralise_gammatone(benchmark::State& s) { run(s, earshot::Carrier::gammatone_pulse, 8.0); }
void BM_auralise_gammatone_2db_per_mm(benchmark::State& s) { run(s, earshot::Carrier::gammatone_pulse, 2.0); }
}  // namespace

BENCHMARK(BM_auralise_noise)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_auralise_sine)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_auralise_multitone)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_auralise_get)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_auralise_get_2db_per_mm)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_auralise_gammatone)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_auralise_gammatone_2db_per_mm)->Unit(benchmark::kMillisecond);
