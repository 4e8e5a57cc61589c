// Draws a scene's timeline figure (outside and inside spectrograms under the keyframes, transitions and events):
//   plot_timeline <scene.toml> <out.png|out.svg> --input a.flac [--input b.flac ...] [--inside heard.wav]
//                 [--title "text"] [--size WxH] [--max-freq HZ] [--range DB]
// The outside is the mono mix of the inputs (all at one rate), each looped to the scene's duration_s (or, without
// one, to its latest time) when it is shorter. The inside is read from --inside (what the listener hears, the
// same rate and length), or rendered here by ScenePlayer with the point of view held inside (full-scale = 100 dB
// SPL). Prints the rendering and drawing times.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/plots/plot_timeline.hpp"
#include "earshot/io/scene_file.hpp"
#include "earshot/scene/scene_player.hpp"

namespace {
using namespace earshot;

std::vector<float> read_mono(const std::string& path, double& rate) {
    AudioReader r(path);
    const std::size_t ch = r.info().num_channels;
    rate = r.info().sample_rate_hz;
    std::vector<std::vector<float>> buf(ch, std::vector<float>(4096));
    std::vector<float*> ptr(ch);
    for (std::size_t c = 0; c < ch; ++c) ptr[c] = buf[c].data();
    std::vector<float> out;
    while (std::size_t n = r.read(AudioView<float>(ptr.data(), ch, 4096)))
        for (std::size_t i = 0; i < n; ++i) {
            float s = 0;
            for (std::size_t c = 0; c < ch; ++c) s += buf[c][i];
            out.push_back(s / float(ch));
        }
    return out;
}

// What the listener hears: the scene rendered by ScenePlayer with the point of view held inside (the figure's
// inside panel is the listener, whatever the POV mix), the mono input heard by both ears, the two ears mixed to
// mono, aligned with the input (the player's latency dropped, its tail flushed with zeros).
std::vector<float> render_inside(Scene scene, const std::vector<float>& x, double rate) {
    scene.pov.clear();
    ScenePlayerConfig config;
    config.scene = std::move(scene);
    ScenePlayer player(std::move(config));
    const std::size_t block = 4096;
    player.prepare({rate, block, 2});
    for (const std::string& note : player.notes()) std::printf("  %s\n", note.c_str());
    const std::size_t latency = player.latency_samples();
    std::vector<float> in_l(block), in_r(block), out_l(block), out_r(block), y;
    y.reserve(x.size());
    for (std::size_t pos = 0; y.size() < x.size(); pos += block) {
        for (std::size_t i = 0; i < block; ++i) in_l[i] = in_r[i] = pos + i < x.size() ? x[pos + i] : 0.0f;
        const float* in_ch[2] = {in_l.data(), in_r.data()};
        float* out_ch[2] = {out_l.data(), out_r.data()};
        player.prepare_ahead();
        player.process(AudioView<const float>(in_ch, 2, block), nullptr, AudioView<float>(out_ch, 2, block));
        for (std::size_t i = 0; i < block; ++i)
            if (pos + i >= latency && y.size() < x.size()) y.push_back(0.5f * (out_l[i] + out_r[i]));
    }
    return y;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: %s scene.toml out.png|out.svg --input a.flac [--input b.flac ...] [--inside heard.wav]\n"
                     "          [--title text] [--size WxH] [--max-freq HZ] [--range DB]\n",
                     argv[0]);
        return 2;
    }
    try {
        const Scene scene = read_scene_file(argv[1]);
        TimelinePlotOptions o;
        std::vector<std::string> inputs;
        std::string inside_path;
        for (int i = 3; i < argc; ++i) {
            const std::string a = argv[i];
            if (a == "--input" && i + 1 < argc) inputs.push_back(argv[++i]);
            else if (a == "--inside" && i + 1 < argc) inside_path = argv[++i];
            else if (a == "--title" && i + 1 < argc) o.title = argv[++i];
            else if (a == "--size" && i + 1 < argc) std::sscanf(argv[++i], "%dx%d", &o.width_px, &o.height_px);
            else if (a == "--max-freq" && i + 1 < argc) o.max_freq_hz = std::atof(argv[++i]);
            else if (a == "--range" && i + 1 < argc) o.dynamic_range_db = std::atof(argv[++i]);
            else throw ConfigError("unknown argument '" + a + "'");
        }
        if (inputs.empty()) throw ConfigError("give at least one --input");
        double rate = 0;
        std::vector<float> outside;
        for (const std::string& in : inputs) {
            double r = 0;
            std::vector<float> x = read_mono(in, r);
            if (rate != 0 && r != rate) throw ConfigError(in + ": sample rate differs from the first input's");
            rate = r;
            const double covers = scene.duration_s ? *scene.duration_s : std::max(double(x.size()) / rate, scene.last_time_s());
            const std::size_t len = std::size_t(std::llround(covers * rate));
            if (outside.size() < len) outside.resize(len, 0.0f);
            for (std::size_t i = 0; i < len && !x.empty(); ++i) outside[i] += x[i % x.size()];
        }
        std::vector<float> inside;
        if (!inside_path.empty()) {
            double r = 0;
            inside = read_mono(inside_path, r);
            if (r != rate) throw ConfigError(inside_path + ": sample rate differs from the inputs'");
            inside.resize(outside.size(), 0.0f);
        } else {
            const auto t0 = std::chrono::steady_clock::now();
            inside = render_inside(scene, outside, rate);
            std::printf("inside rendered in %.1f s\n",
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        const auto t0 = std::chrono::steady_clock::now();
        plot_timeline(scene, outside, inside, rate, argv[2], o);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%s: %.1f s at %g Hz drawn in %.0f ms\n", argv[2], double(outside.size()) / rate, rate, ms);
        return 0;
    } catch (const earshot::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
