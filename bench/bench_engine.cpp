// The engine's overhead against the processor it drives (issue 9: <= 2 %), in the same run: 20 s of 44.1 kHz
// stereo speech-like signal through Bisgaard N2, the ListenerProcessor directly vs the Engine compiled from the
// same description (its extra work per block: the outside delay line kept for the POV control, the control
// ramps' bookkeeping, the hand-over check), at 512- and 64-frame blocks. Compare the medians:
//   build/bench/earshot_bench --benchmark_filter=engine --benchmark_repetitions=5 --benchmark_report_aggregates_only
// (cases run one after another: a shared machine's load changes between them; bench/overhead/engine_overhead.cpp
// prints the ratio from interleaved rounds, one process per side for farm-bench, or instructions under callgrind)
#include <benchmark/benchmark.h>

#include <vector>

#include "bench_signal.hpp"
#include "earshot/engine/engine.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/hearing/presets.hpp"

namespace {
constexpr double kFs = 44100.0;
constexpr std::size_t kSeconds = 20;

earshot::Description n2() {
    earshot::Description d;
    d.listener = earshot::make_preset("bisgaard:N2");
    return d;
}

template <class P>
void drive(benchmark::State& state, P& p, std::size_t block) {
    const std::size_t n = std::size_t(kFs) * kSeconds;
    std::vector<std::vector<float>> in, out(2, std::vector<float>(n));
    for (unsigned c = 0; c < 2; ++c) in.push_back(earshot::bench::speechlike_signal(n, kFs, c + 1));
    for (auto _ : state) {
        for (std::size_t i = 0; i < n; i += block) {
            const std::size_t m = std::min(block, n - i);
            const float* ip[2] = {in[0].data() + i, in[1].data() + i};
            float* op[2] = {out[0].data() + i, out[1].data() + i};
            p.process(earshot::AudioView<const float>(ip, 2, m), earshot::AudioView<float>(op, 2, m));
        }
        benchmark::DoNotOptimize(out[0].data());
    }
    state.counters["x_realtime"] = benchmark::Counter(double(kSeconds) * double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_engine_direct_listener(benchmark::State& state) {
    const std::size_t block = std::size_t(state.range(0));
    const earshot::Composition c = earshot::compose(n2());
    earshot::ListenerProcessor p(earshot::HearingLossConfig{c.listener, earshot::Calibration{100}, c.hearing});
    p.prepare({kFs, block, 2});
    drive(state, p, block);
}
void BM_engine_engine_listener(benchmark::State& state) {
    const std::size_t block = std::size_t(state.range(0));
    earshot::Engine e(n2());
    e.prepare({kFs, block, 2});
    drive(state, e, block);
}
BENCHMARK(BM_engine_direct_listener)->Arg(512)->Arg(64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_engine_engine_listener)->Arg(512)->Arg(64)->Unit(benchmark::kMillisecond);
}  // namespace
