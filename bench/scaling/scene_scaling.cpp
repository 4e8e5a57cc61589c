// Scene scaling (issue 8, item 4): set-up time, peak memory and render time of ScenePlayer for generated
// scenes with many keyframes or many events. Each configuration runs in its own child process. Columns:
// parse (parse_scene_toml: time, RSS growth), setup (ScenePlayer construction + prepare(): time, RSS growth),
// peak_MiB (VmHWM of /proc/self/status, restarted after parsing through /proc/self/clear_refs, minus the RSS
// after parsing: the player's peak over set-up and render), render (S seconds of audio) and x_rt (audio seconds
// per second).
//
//   build/bench/earshot_scene_scaling            # the table: 10/100/1000 keyframes, 1000/100000 events
//   build/bench/earshot_scene_scaling K E [S [distinct]]  # one scene: K keyframes, E events, render S seconds
//                                                  (default 10); "distinct": every keyframe its own severity
//   EARSHOT_SCALING_DEGREE=continuous build/bench/earshot_scene_scaling   # the degree mode render --scene uses
//
// Keyframes are 2 s apart and cycle through bisgaard:N1, N3, N5, N7 and sudden-profound with an implant switched
// on and off; every other one is reached by a 1 s smooth transition (a chain of intermediate states). Events are
// 0.05 s apart, alternately a 0.1 s tinnitus tone and a pop. Rows marked "d": every keyframe has its own severity,
// so every state is a distinct listener model (set-up bounds each one's latency without building it, ~1 ms;
// 10/100/1000 of them are in the table). The render feeds 44.1 kHz noise in 512-sample
// blocks, calling prepare_ahead() between blocks as the offline renderer does.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "earshot/io/scene_file.hpp"
#include "earshot/scene/scene_player.hpp"

using namespace earshot;

namespace {

constexpr double kFs = 44100.0;
constexpr std::size_t kBlock = 512;

// Resident set and its high-water mark in MiB (/proc/self/status).
double status_mib(const char* key) {
    std::ifstream f("/proc/self/status");
    std::string line;
    const std::string k = std::string(key) + ":";
    while (std::getline(f, line))
        if (line.rfind(k, 0) == 0) return std::atof(line.c_str() + k.size()) / 1024.0;
    return 0.0;
}

// distinct: every keyframe also gets its own severity (1 - k / 20000), so no two states share a listener model.
std::string make_scene(int keyframes, int events, bool distinct) {
    std::string s;
    const char* listeners[] = {"bisgaard:N1", "bisgaard:N3", "bisgaard:N5", "bisgaard:N7"};
    for (int k = 0; k < std::max(1, keyframes); ++k) {
        s += "[[keyframe]]\ntime_s = " + std::to_string(2.0 * k) + "\n";
        if (distinct) s += "severity = " + std::to_string(1.0 - k / 20000.0) + "\n";
        const int which = k % 6;
        if (k == 0 || which < 4) {
            s += std::string("listener = \"") + listeners[which % 4] + "\"\n";
        } else {
            s += "listener = \"sudden-profound\"\n[keyframe.both]\nimplant = \"nucleus-ace\"\n";
            s += which == 4 ? "implant_on = true\n" : "implant_on = false\n";
        }
        if (k > 0 && k % 2 == 0) s += "[keyframe.transition]\nduration_s = 1.0\ncurve = \"smooth\"\n";
    }
    for (int e = 0; e < events; ++e) {
        const double t = 0.05 * e;
        if (e % 2 == 0)
            s += "[[tinnitus]]\nstart_s = " + std::to_string(t) + "\nduration_s = 0.1\nfreq_hz = " +
                 std::to_string(2000 + 10 * (e % 200)) + "\nlevel_db_spl = 30\nattack_s = 0.01\nrelease_s = 0.02\n";
        else
            s += "[[pop]]\ntime_s = " + std::to_string(t) + "\nlevel_db_spl = 90\n";
    }
    return s;
}

struct Result {
    double parse_s = 0, parse_mib = 0, setup_s = 0, setup_mib = 0, peak_mib = 0, render_s = 0, rendered_s = 0;
    std::size_t states = 0;
};

Result run(int keyframes, int events, double seconds, bool distinct) {
    Result r;
    const std::string text = make_scene(keyframes, events, distinct);
    using clock = std::chrono::steady_clock;
    const double rss0 = status_mib("VmRSS");
    auto t0 = clock::now();
    Scene scene = parse_scene_toml(text, "bench.toml");
    auto t1 = clock::now();
    { std::ofstream("/proc/self/clear_refs") << "5"; }  // restart VmHWM: the peak below is the player's, not the parser's
    const double rss1 = status_mib("VmRSS");
    r.parse_mib = rss1 - rss0;
    HearingLossOptions options;  // the library's default (classes); `earshot render --scene` uses continuous
    if (const char* d = std::getenv("EARSHOT_SCALING_DEGREE"); d && std::string(d) == "continuous")
        options.degree = LossDegree::continuous;
    ScenePlayer player(ScenePlayerConfig{std::move(scene), Calibration{100.0}, options});
    player.prepare({kFs, kBlock, 2});
    auto t2 = clock::now();
    r.parse_s = std::chrono::duration<double>(t1 - t0).count();
    r.setup_s = std::chrono::duration<double>(t2 - t1).count();
    r.setup_mib = status_mib("VmRSS") - rss1;
    r.states = player.num_states();
    std::vector<float> in(2 * kBlock), out(2 * kBlock);
    std::mt19937 rng(1);
    std::normal_distribution<float> g(0.f, 0.05f);
    for (auto& v : in) v = g(rng);
    const float* ip[2] = {in.data(), in.data() + kBlock};
    float* op[2] = {out.data(), out.data() + kBlock};
    const std::size_t blocks = std::size_t(seconds * kFs / double(kBlock));
    auto t3 = clock::now();
    for (std::size_t b = 0; b < blocks; ++b) {
        player.prepare_ahead();
        player.process(AudioView<const float>(ip, 2, kBlock), nullptr, AudioView<float>(op, 2, kBlock));
    }
    auto t4 = clock::now();
    r.render_s = std::chrono::duration<double>(t4 - t3).count();
    r.rendered_s = double(blocks * kBlock) / kFs;
    r.peak_mib = status_mib("VmHWM") - rss1;
    return r;
}

void print(int k, int e, bool distinct, const Result& r) {
    std::printf("%9d%s %9d %7zu %9.3f %9.1f %9.3f %10.1f %9.1f %9.2f %8.1f\n", k, distinct ? "d" : " ", e, r.states, r.parse_s, r.parse_mib, r.setup_s, r.setup_mib,
                r.peak_mib, r.render_s, r.rendered_s / std::max(r.render_s, 1e-9));
    std::fflush(stdout);
}

void header() {
    std::printf("%10s %9s %7s %9s %9s %9s %10s %9s %9s %8s\n", "keyframes", "events", "states", "parse_s", "parse_MiB", "setup_s",
                "setup_MiB", "peak_MiB", "render_s", "x_rt");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 3) {
        header();
        const bool distinct = argc > 4 && std::string(argv[4]) == "distinct";
        print(std::atoi(argv[1]), std::atoi(argv[2]), distinct,
              run(std::atoi(argv[1]), std::atoi(argv[2]), argc > 3 ? std::atof(argv[3]) : 10.0, distinct));
        return 0;
    }
    header();
    std::fflush(stdout);
    // {keyframes, events, distinct}
    const int configs[][3] = {{10, 0, 0}, {100, 0, 0}, {1000, 0, 0}, {10, 1000, 0}, {10, 100000, 0}, {10, 0, 1}, {100, 0, 1}, {1000, 0, 1}};
    for (const auto& c : configs) {
        const pid_t pid = fork();
        if (pid == 0) {
            print(c[0], c[1], c[2] != 0, run(c[0], c[1], 10.0, c[2] != 0));
            std::_Exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::printf("%10d %9d failed\n", c[0], c[1]);
    }
    return 0;
}
