// The engine's overhead against the processor it drives (issue 9: <= 2 %), in the same run: the
// ListenerProcessor alone and the Engine compiled from the same description (Bisgaard N2) over the same 10 s of
// 44.1 kHz stereo speech-like signal, at 512- and 64-frame blocks. Three ways, from the least to the most
// deterministic:
//   build/bench/earshot_engine_overhead [rounds=15]
//       interleaved rounds (direct, engine, a second direct instance as the measurement's own scatter), the
//       fastest of each (thread CPU time, the least disturbed by other work); prints engine / direct. On a
//       shared machine the rounds still scatter by several per cent.
//   farm-bench -n 11 --vs 'build/bench/earshot_engine_overhead --only direct 64 10 3'
//       -- build/bench/earshot_engine_overhead --only engine 64 10 3      (one command line)
//       one processor per process (set-up included, the same in both), paired runs: the wall ratio.
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect='earshot::Engine::process*'
//       build/bench/earshot_engine_overhead --only engine 64 2         (one command line; and
//       'earshot::ListenerProcessor::process*' with --only direct): the instructions executed inside process(),
//       exact and repeatable (valgrind's "Collected").
// --only MODE BLOCK [seconds=10] [passes=1]: runs one of them (direct|engine) over `seconds` of the signal
// `passes` times and prints its thread CPU time (callgrind: 2 s is enough, the overhead is per block).
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
    const bool only = argc > 1 && std::strcmp(argv[1], "--only") == 0;
    if (only && (argc < 4 || (std::strcmp(argv[2], "direct") != 0 && std::strcmp(argv[2], "engine") != 0))) {
        std::fprintf(stderr, "usage: earshot_engine_overhead [rounds] | --only direct|engine BLOCK [seconds] [passes]\n");
        return 2;
    }
    const int rounds = !only && argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
    const double seconds = only && argc > 4 ? std::clamp(std::atof(argv[4]), 0.1, 600.0) : 10.0;
    const std::size_t n = std::size_t(seconds * kFs);
    std::vector<std::vector<float>> in, out(2, std::vector<float>(n));
    for (unsigned c = 0; c < 2; ++c) in.push_back(earshot::bench::speechlike_signal(n, kFs, c + 1));
    earshot::Description d;
    d.listener = earshot::make_preset("bisgaard:N2");
    const earshot::Composition c = earshot::compose(d);
    if (only) {
        const std::size_t block = std::size_t(std::max(1, std::atoi(argv[3])));
        const int passes = argc > 5 ? std::max(1, std::atoi(argv[5])) : 1;
        double s = 0;
        if (std::strcmp(argv[2], "direct") == 0) {
            earshot::ListenerProcessor p(earshot::HearingLossConfig{c.listener, earshot::Calibration{100}, c.hearing});
            p.prepare({kFs, block, 2});
            for (int i = 0; i < passes; ++i) s += seconds_for(p, in, out, block);
        } else {
            earshot::Engine p(d);
            p.prepare({kFs, block, 2});
            for (int i = 0; i < passes; ++i) s += seconds_for(p, in, out, block);
        }
        std::printf("%s, block %zu: %.3f s for %d x %g s of stereo\n", argv[2], block, s, passes, seconds);
        return 0;
    }
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
        std::printf("block %4zu: direct %.3f s, engine %.3f s for 10 s of stereo: engine / direct %.4f, overhead "
                    "%+.2f %% (a second direct instance: %+.2f %%)\n", block, best_direct, best_engine,
                    best_engine / best_direct, 100.0 * (best_engine / best_direct - 1.0),
                    100.0 * (best_twin / best_direct - 1.0));
    }
    return 0;
}
