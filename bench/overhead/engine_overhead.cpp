// The engine's overhead against the processor it drives, interleaved (a shared machine's load changes between
// google-benchmark cases run one after another): rounds alternate the ListenerProcessor alone and the Engine
// compiled from the same description over the same 10 s of 44.1 kHz stereo speech-like signal (Bisgaard N2),
// at 512- and 64-frame blocks; the fastest round of each (thread CPU time) is compared, the least disturbed by other work. On a loaded
// machine the rounds still scatter by several per cent; `perf record` of the same program shows where the
// engine's own time goes (Engine::process and its helpers, self time).
//   build/bench/earshot_engine_overhead [rounds=15]
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "../bench_signal.hpp"
#include "earshot/engine/engine.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/hearing/presets.hpp"

namespace {
constexpr double kFs = 44100.0;

double thread_cpu_s() {  // CPU time of this thread: preemption by other work on a shared machine is not counted
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

template <class P>
double seconds_for(P& p, const std::vector<std::vector<float>>& in, std::vector<std::vector<float>>& out, std::size_t block) {
    p.reset();
    const double t0 = thread_cpu_s();
    const std::size_t n = in[0].size();
    for (std::size_t i = 0; i < n; i += block) {
        const std::size_t m = std::min(block, n - i);
        const float* ip[2] = {in[0].data() + i, in[1].data() + i};
        float* op[2] = {out[0].data() + i, out[1].data() + i};
        p.process(earshot::AudioView<const float>(ip, 2, m), earshot::AudioView<float>(op, 2, m));
    }
    return thread_cpu_s() - t0;
}
}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
    const std::size_t n = std::size_t(10 * kFs);
    std::vector<std::vector<float>> in, out(2, std::vector<float>(n));
    for (unsigned c = 0; c < 2; ++c) in.push_back(earshot::bench::speechlike_signal(n, kFs, c + 1));
    earshot::Description d;
    d.listener = earshot::make_preset("bisgaard:N2");
    const earshot::Composition c = earshot::compose(d);
    for (const std::size_t block : {512u, 64u}) {
        earshot::ListenerProcessor direct(earshot::HearingLossConfig{c.listener, earshot::Calibration{100}, c.hearing});
        direct.prepare({kFs, block, 2});
        earshot::Engine engine(d);
        engine.prepare({kFs, block, 2});
        // A second direct processor: how far two identical instances differ (the measurement's own scatter).
        earshot::ListenerProcessor twin(earshot::HearingLossConfig{c.listener, earshot::Calibration{100}, c.hearing});
        twin.prepare({kFs, block, 2});
        double best_direct = 1e300, best_engine = 1e300, best_twin = 1e300;
        for (int r = 0; r < rounds; ++r) {
            if (r % 2 == 0) {
                best_direct = std::min(best_direct, seconds_for(direct, in, out, block));
                best_engine = std::min(best_engine, seconds_for(engine, in, out, block));
                best_twin = std::min(best_twin, seconds_for(twin, in, out, block));
            } else {
                best_twin = std::min(best_twin, seconds_for(twin, in, out, block));
                best_engine = std::min(best_engine, seconds_for(engine, in, out, block));
                best_direct = std::min(best_direct, seconds_for(direct, in, out, block));
            }
        }
        std::printf("block %4zu: direct %.3f s, engine %.3f s for 10 s of stereo: overhead %+.2f %% (a second direct "
                    "instance: %+.2f %%)\n", block, best_direct, best_engine, 100.0 * (best_engine / best_direct - 1.0),
                    100.0 * (best_twin / best_direct - 1.0));
    }
    return 0;
}
