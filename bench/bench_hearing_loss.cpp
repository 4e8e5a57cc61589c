// Real-time factor of the hearing-loss model: 60 s of 44.1 kHz audio, Bisgaard N2, one thread, mono
// and stereo (plus normal hearing and a severe loss for the cost of each degree class), and per stage.
// The baseline in the same process is a plain copy of the same buffers (memory bandwidth floor) and the
// model's own stages, so a regression shows where it happened. Reported: x real time.
#include <benchmark/benchmark.h>

#include "bench_signal.hpp"

#include <cmath>
#include <random>
#include <vector>

#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/hearing/smearing.hpp"

namespace {
constexpr double kFs = 44100.0;
constexpr std::size_t kSeconds = 60, kBlock = 512;

earshot::Audiogram bisgaard_n2() {
    return {{250, 375, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000}, {20, 20, 20, 22.5, 25, 30, 35, 40, 45, 50}};
}
earshot::Audiogram flat(double db) { return {{250, 8000}, {db, db}}; }

std::vector<float> signal(std::size_t n, unsigned seed) { return earshot::bench::speechlike_signal(n, kFs, seed); }

void run_model(benchmark::State& state, const earshot::Audiogram& ag, std::size_t channels, bool smearing = true) {
    earshot::HearingLossConfig cfg;
    cfg.listener.left.air = ag;
    cfg.listener.right.air = ag;
    cfg.calibration.full_scale_db_spl = 100;
    cfg.options.smearing = smearing;
    earshot::HearingLoss hl(cfg);
    hl.prepare({kFs, kBlock, channels});
    const std::size_t n = std::size_t(kFs) * kSeconds;
    std::vector<std::vector<float>> in, out(channels, std::vector<float>(n));
    for (std::size_t c = 0; c < channels; ++c) in.push_back(signal(n, unsigned(c + 1)));
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; i += kBlock) {
            const std::size_t m = std::min(kBlock, n - i);
            const float* ip[2];
            float* op[2];
            for (std::size_t c = 0; c < channels; ++c) ip[c] = in[c].data() + i, op[c] = out[c].data() + i;
            hl.process(earshot::AudioView<const float>(ip, channels, m), earshot::AudioView<float>(op, channels, m));
        }
        benchmark::DoNotOptimize(out[0].data());
    }
    state.counters["x_realtime"] =
        benchmark::Counter(double(kSeconds) * double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_copy_baseline(benchmark::State& state) {
    const std::size_t n = std::size_t(kFs) * kSeconds;
    std::vector<float> a = signal(n, 1), b(n);
    for (auto _ : state) {
        std::copy(a.begin(), a.end(), b.begin());
        benchmark::DoNotOptimize(b.data());
    }
    state.counters["x_realtime"] = benchmark::Counter(double(kSeconds) * double(state.iterations()),
                                                      benchmark::Counter::kIsRate);
}

void BM_smearing_moderate(benchmark::State& state) {
    auto d = std::make_shared<const earshot::SmearingDesign>(
        earshot::design_smearing(kFs, 2.4, 1.6, earshot::SoundField::free_field));
    earshot::Smearer s(d);
    s.prepare(earshot::ProcessSpec{kFs, kBlock, 1});
    const std::size_t n = std::size_t(kFs) * kSeconds;
    std::vector<float> x = signal(n, 1), y(n);
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; i += kBlock) earshot::process_mono(s, x.data() + i, y.data() + i, std::min(kBlock, n - i));
        benchmark::DoNotOptimize(y.data());
    }
    state.counters["x_realtime"] = benchmark::Counter(double(kSeconds) * double(state.iterations()),
                                                      benchmark::Counter::kIsRate);
}

void BM_N2_mono(benchmark::State& s) { run_model(s, bisgaard_n2(), 1); }
void BM_N2_stereo(benchmark::State& s) { run_model(s, bisgaard_n2(), 2); }
void BM_N2_mono_no_smearing(benchmark::State& s) { run_model(s, bisgaard_n2(), 1, false); }
void BM_normal_mono(benchmark::State& s) { run_model(s, flat(0), 1); }
void BM_severe_mono(benchmark::State& s) { run_model(s, flat(70), 1); }
}  // namespace

BENCHMARK(BM_copy_baseline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_smearing_moderate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_N2_mono)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_N2_stereo)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_N2_mono_no_smearing)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_normal_mono)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_severe_mono)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
