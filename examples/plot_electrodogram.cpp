// Draws an electrodogram CSV (Electrodogram::write_csv format) as a PNG or SVG:
//   plot_electrodogram <pulses.csv> <out.png|out.svg> [--audio input.wav] [--window start_s end_s]
//                      [--c-level CL] [--params params.json] [--title "text"] [--size WxH] [--plain]
// --params takes the band centre frequencies from the "best_freqs_Hz" array of a toolbox parameter file
// (tests/data/ace/*_params.json; lowest band first, so electrode 1 gets the last). Prints the drawing time.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/plots/plot_electrodogram.hpp"

namespace {
// The numbers of the JSON array under "key" (enough for the toolbox parameter files).
std::vector<double> json_array(const std::string& path, const std::string& key) {
    std::ifstream f(path);
    if (!f) throw earshot::IoError(path + ": cannot open");
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string s = ss.str();
    const std::size_t k = s.find("\"" + key + "\"");
    const std::size_t a = s.find('[', k), b = s.find(']', a);
    if (k == std::string::npos || a == std::string::npos || b == std::string::npos)
        throw earshot::IoError(path + ": no array \"" + key + "\"");
    std::vector<double> v;
    std::stringstream items(s.substr(a + 1, b - a - 1));
    std::string item;
    while (std::getline(items, item, ',')) v.push_back(std::atof(item.c_str()));
    return v;
}
}  // namespace

int main(int argc, char** argv) {
    using namespace earshot;
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: %s pulses.csv out.png|out.svg [--audio in.wav] [--window start_s end_s] [--c-level CL]\n"
                     "          [--params params.json] [--title text] [--size WxH] [--plain]\n",
                     argv[0]);
        return 2;
    }
    try {
        const Electrodogram e = Electrodogram::read_csv(argv[1]);
        ElectrodogramPlotOptions o;
        std::vector<float> audio;
        for (int i = 3; i < argc; ++i) {
            const std::string a = argv[i];
            if (a == "--audio" && i + 1 < argc) {
                AudioReader r(argv[++i]);
                const std::size_t ch = r.info().num_channels;
                std::vector<std::vector<float>> buf(ch, std::vector<float>(4096));
                std::vector<float*> ptr(ch);
                for (std::size_t c = 0; c < ch; ++c) ptr[c] = buf[c].data();
                while (std::size_t n = r.read(AudioView<float>(ptr.data(), ch, 4096)))
                    audio.insert(audio.end(), buf[0].begin(), buf[0].begin() + long(n));
                o.audio = &audio;
                o.audio_rate_hz = r.info().sample_rate_hz;
            } else if (a == "--window" && i + 2 < argc) {
                o.start_s = std::atof(argv[++i]);
                o.end_s = std::atof(argv[++i]);
            } else if (a == "--c-level" && i + 1 < argc) {
                o.c_level = std::atoi(argv[++i]);
            } else if (a == "--params" && i + 1 < argc) {
                const std::vector<double> centre = json_array(argv[++i], "best_freqs_Hz");
                o.band_centre_hz.assign(centre.rbegin(), centre.rend());  // electrode 1 = highest band
            } else if (a == "--title" && i + 1 < argc) {
                o.title = argv[++i];
            } else if (a == "--size" && i + 1 < argc) {
                if (std::sscanf(argv[++i], "%dx%d", &o.width_px, &o.height_px) != 2) {
                    std::fprintf(stderr, "--size: expected WIDTHxHEIGHT, got '%s'\n", argv[i]);
                    return 2;
                }
            } else if (a == "--plain") {
                o.colour_by_level = false;
            } else {
                std::fprintf(stderr, "unknown or incomplete argument '%s'\n", a.c_str());
                return 2;
            }
        }
        const auto t0 = std::chrono::steady_clock::now();
        plot_electrodogram(e, argv[2], o);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%s: %zu pulse slots drawn in %.1f ms\n", argv[2], e.pulses.size(), ms);
    } catch (const Error& ex) {
        std::fprintf(stderr, "%s\n", ex.what());
        return 1;
    }
}
