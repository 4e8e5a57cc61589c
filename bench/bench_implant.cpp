// Real-time factor of the cochlear-implant chain: 60 s of 44.1 kHz audio, one thread, mono, through
// ImplantProcessor (calibration -> resampler -> strategy -> pulses -> auraliser -> mix), per preset and
// carrier, and its stages alone (resampler, strategy frames, a copy as the memory floor).
// Reported: x real time.
#include <benchmark/benchmark.h>

#include "bench_signal.hpp"

#include <cmath>
#include <random>
#include <vector>

#include "earshot/dsp/resampler.hpp"
#include "earshot/implant/implant_processor.hpp"

namespace {
constexpr double kFs = 44100.0;
constexpr std::size_t kSeconds = 60, kBlock = 512;

std::vector<float> speechlike(std::size_t n) { return earshot::bench::speechlike_signal(n, kFs, 1); }

const std::vector<float>& input() {
    static const std::vector<float> x = speechlike(std::size_t(kFs) * kSeconds);
    return x;
}

void rate(benchmark::State& state) {
    state.counters["x_realtime"] = benchmark::Counter(double(kSeconds) * double(state.iterations()), benchmark::Counter::kIsRate);
}

void run_implant(benchmark::State& state, const char* preset, earshot::Carrier carrier) {
    earshot::ImplantParams p = earshot::implant_preset(preset);
    p.auralisation.carrier = carrier;
    earshot::ImplantProcessor proc(p, earshot::Calibration{100.0});
    proc.prepare(earshot::ProcessSpec{kFs, kBlock, 1});
    const auto& x = input();
    std::vector<float> y(x.size());
    for (auto _ : state) {
        proc.reset();
        for (std::size_t i = 0; i < x.size(); i += kBlock) earshot::process_mono(proc, x.data() + i, y.data() + i, std::min(kBlock, x.size() - i));
        benchmark::DoNotOptimize(y.data());
    }
    rate(state);
}

void BM_copy_baseline(benchmark::State& state) {
    const auto& x = input();
    std::vector<float> y(x.size());
    for (auto _ : state) {
        std::copy(x.begin(), x.end(), y.begin());
        benchmark::DoNotOptimize(y.data());
    }
    rate(state);
}

void BM_resampler_44k_to_16k(benchmark::State& state) {
    earshot::Resampler r;
    r.prepare(kFs, 16000, kBlock);
    const auto& x = input();
    std::vector<float> y(r.max_output(kBlock));
    for (auto _ : state) {
        r.reset();
        for (std::size_t i = 0; i < x.size(); i += kBlock) r.process(x.data() + i, std::min(kBlock, x.size() - i), y.data());
        benchmark::DoNotOptimize(y.data());
    }
    rate(state);
}

void run_strategy_only(benchmark::State& state, const char* preset) {
    auto s = earshot::make_strategy(earshot::implant_preset(preset));
    const std::vector<float> x = earshot::resample(input(), kFs, s->audio_rate_hz());
    std::vector<earshot::PulseSlot> slots(s->max_slots_per_frame());
    const std::size_t hop = s->block_shift();
    for (auto _ : state) {
        s->reset();
        for (std::size_t i = 0; i + hop <= x.size(); i += hop) s->frame(x.data() + i, slots.data());
        benchmark::DoNotOptimize(slots.data());
    }
    rate(state);
}

void BM_ace_frames_only(benchmark::State& s) { run_strategy_only(s, "nucleus-ace"); }
void BM_cis_frames_only(benchmark::State& s) { run_strategy_only(s, "medel-cis"); }
void BM_nucleus_ace_noise(benchmark::State& s) { run_implant(s, "nucleus-ace", earshot::Carrier::noise); }
void BM_nucleus_ace_sine(benchmark::State& s) { run_implant(s, "nucleus-ace", earshot::Carrier::sine); }
void BM_nucleus_ace_multitone(benchmark::State& s) { run_implant(s, "nucleus-ace", earshot::Carrier::multitone); }
void BM_nucleus_ace_get(benchmark::State& s) { run_implant(s, "nucleus-ace", earshot::Carrier::get); }
void BM_nucleus_ace_gammatone(benchmark::State& s) { run_implant(s, "nucleus-ace", earshot::Carrier::gammatone_pulse); }
void BM_nmt_ace_noise(benchmark::State& s) { run_implant(s, "nmt-ace", earshot::Carrier::noise); }
void BM_medel_cis_noise(benchmark::State& s) { run_implant(s, "medel-cis", earshot::Carrier::noise); }
}  // namespace

BENCHMARK(BM_copy_baseline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_resampler_44k_to_16k)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ace_frames_only)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cis_frames_only)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nucleus_ace_noise)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nucleus_ace_sine)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nucleus_ace_multitone)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nucleus_ace_get)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nucleus_ace_gammatone)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_nmt_ace_noise)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_medel_cis_noise)->Unit(benchmark::kMillisecond);
