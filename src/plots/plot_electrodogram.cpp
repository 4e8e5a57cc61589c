#include "earshot/plots/plot_electrodogram.hpp"

#include <cairo-svg.h>
#include <cairo.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include "earshot/core/error.hpp"
#include "figure_file.hpp"
#include "plot_kit.hpp"

namespace earshot {
namespace fs = std::filesystem;

namespace {
namespace plot = detail::plot;  // plot_kit.hpp
using plot::Rgb;
using plot::ink::text;
using plot::text_width;
using plot::ink::vertical_text;
using plot::nice_step;
using plot::decimals_for;



constexpr Rgb kPlainInk{0.10, 0.12, 0.30};
constexpr int kColourSteps = 128;  // pulses are grouped in this many colour buckets (one fill each)

// Level -> colour: a perceptually ordered ramp (viridis reversed and trimmed at its light end), so low
// levels are light green, high levels dark violet: height and darkness both grow with the level and the
// pulses at C stand out against the white background.
Rgb level_colour(double u) {
    static constexpr std::array<Rgb, 9> kMap = {{{0.565, 0.843, 0.263},
                                                 {0.314, 0.769, 0.416},
                                                 {0.153, 0.678, 0.506},
                                                 {0.122, 0.588, 0.545},
                                                 {0.165, 0.471, 0.557},
                                                 {0.212, 0.361, 0.553},
                                                 {0.255, 0.267, 0.529},
                                                 {0.278, 0.145, 0.463},
                                                 {0.267, 0.005, 0.329}}};
    u = std::clamp(u, 0.0, 1.0) * double(kMap.size() - 1);
    const std::size_t i = std::min(std::size_t(u), kMap.size() - 2);
    const double f = u - double(i);
    return {kMap[i].r + f * (kMap[i + 1].r - kMap[i].r), kMap[i].g + f * (kMap[i + 1].g - kMap[i].g),
            kMap[i].b + f * (kMap[i + 1].b - kMap[i].b)};
}

void set(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }
void grey(cairo_t* cr, double v) { cairo_set_source_rgb(cr, v, v, v); }

// Text anchored at (x, y): ax/ay = 0 left/top, 0.5 centre, 1 right/bottom.

std::string hz_label(double f) {
    if (f >= 10000) return fmt::format("{:.0f}k", f / 1000);
    if (f >= 1000) return fmt::format("{:.1f}k", f / 1000);
    return fmt::format("{:.0f}", f);
}

// 1, 2 or 5 x 10^k, the smallest not below raw.

double pulse_duration_s(const Pulse& p) { return (2 * p.phase_width_us + p.phase_gap_us) * 1e-6; }

struct Layout {
    ElectrodogramFrame fr;
    int W = 0, H = 0;
    double label_x = 0;      // right-hand band labels start here
    double bar_x = 0;        // colour bar left edge
    bool bands = false, bar = false;
    double top_text_y = 0;   // title baseline centre
};

Layout make_layout(const Electrodogram& e, const ElectrodogramPlotOptions& o) {
    if (e.num_electrodes < 1 || e.num_electrodes > 1000)
        throw ConfigError(fmt::format("electrodogram plot: num_electrodes {} is out of range [1, 1000]", e.num_electrodes));
    double last_s = 0;
    for (const Pulse& p : e.pulses) {
        if (p.electrode < 1 || p.electrode > e.num_electrodes)
            throw ConfigError(fmt::format("electrodogram plot: pulse at {} us on electrode {} (accepted: 1..{})",
                                          p.time_us, p.electrode, e.num_electrodes));
        if (!std::isfinite(p.time_us))
            throw ConfigError(fmt::format("electrodogram plot: non-finite pulse time on electrode {}", p.electrode));
        last_s = std::max(last_s, p.time_us * 1e-6 + pulse_duration_s(p));
    }
    if (!o.band_centre_hz.empty() && o.band_centre_hz.size() != std::size_t(e.num_electrodes))
        throw ConfigError(fmt::format("electrodogram plot: band_centre_hz has {} values, one per electrode ({}) needed",
                                      o.band_centre_hz.size(), e.num_electrodes));
    if (o.audio && !(o.audio_rate_hz > 0 && std::isfinite(o.audio_rate_hz)))
        throw ConfigError(fmt::format("electrodogram plot: audio_rate_hz {} must be > 0 with an audio strip", o.audio_rate_hz));
    if (o.c_level < 0) throw ConfigError(fmt::format("electrodogram plot: c_level {} must be >= 0", o.c_level));

    Layout L;
    L.W = std::clamp(o.width_px, 300, 16000);
    L.H = std::clamp(o.height_px, 200, 16000);
    ElectrodogramFrame& fr = L.fr;
    fr.num_electrodes = e.num_electrodes;
    if (o.start_s == 0 && o.end_s == 0) {
        fr.t0_s = 0;
        fr.t1_s = last_s;
        if (o.audio && !o.audio->empty()) fr.t1_s = std::max(fr.t1_s, double(o.audio->size()) / o.audio_rate_hz);
        if (fr.t1_s <= 0) fr.t1_s = 1;
    } else {
        if (!std::isfinite(o.start_s) || !std::isfinite(o.end_s) || !(o.end_s > o.start_s))
            throw ConfigError(fmt::format("electrodogram plot: time window [{}, {}] s is empty or reversed", o.start_s, o.end_s));
        fr.t0_s = o.start_s;
        fr.t1_s = o.end_s;
    }

    L.bands = !o.band_centre_hz.empty();
    L.bar = o.colour_by_level;
    double right = 24;
    if (L.bands) right += 84;
    if (L.bar) right += 92;
    const double top = o.title.empty() ? 40 : 58, bottom = 64;
    fr.x0 = 84;
    fr.x1 = std::max(fr.x0 + 50, std::floor(L.W - right));
    L.label_x = fr.x1 + 8;
    L.bar_x = fr.x1 + (L.bands ? 84 : 0) + 20;
    fr.y1 = std::floor(L.H - bottom);
    double avail = fr.y1 - top;
    double strip = 0;
    if (o.audio) {
        strip = std::clamp(0.17 * avail, 50.0, 170.0);
        avail -= strip + 16;
    }
    // Whole-pixel rows, so baselines fall on pixel edges; the remainder goes to the top margin.
    const double row = std::max(1.0, std::floor(avail / e.num_electrodes));
    fr.y0 = fr.y1 - row * e.num_electrodes;
    fr.wave_y1 = fr.wave_y0 = fr.y0;
    if (o.audio) {
        fr.wave_y1 = fr.y0 - 16;
        fr.wave_y0 = fr.wave_y1 - strip;
    }
    L.top_text_y = std::min(fr.wave_y0, fr.y0) - 20;
    return L;
}

void time_grid(cairo_t* cr, const ElectrodogramFrame& fr, double ya, double yb, double step) {
    cairo_set_line_width(cr, 1.0);
    grey(cr, 0.86);
    for (double t = std::ceil(fr.t0_s / step - 1e-9) * step; t <= fr.t1_s + 1e-9 * step; t += step) {
        const double x = std::round(fr.x(t)) + 0.5;
        cairo_move_to(cr, x, ya);
        cairo_line_to(cr, x, yb);
    }
    cairo_stroke(cr);
}

void draw_waveform(cairo_t* cr, const ElectrodogramFrame& fr, const std::vector<float>& a, double rate) {
    const double ya = fr.wave_y0, yb = fr.wave_y1, mid = (ya + yb) / 2;
    const long n = long(a.size());
    const long i0 = std::clamp(long(std::floor(fr.t0_s * rate)), 0L, n), i1 = std::clamp(long(std::ceil(fr.t1_s * rate)) + 1, 0L, n);
    float peak = 0;
    for (long i = i0; i < i1; ++i) peak = std::max(peak, std::abs(a[std::size_t(i)]));
    const double scale = peak > 0 ? 0.46 * (yb - ya) / peak : 0;
    grey(cr, 0.80);
    cairo_set_line_width(cr, 1.0);
    cairo_move_to(cr, fr.x0, std::round(mid) + 0.5);
    cairo_line_to(cr, fr.x1, std::round(mid) + 0.5);
    cairo_stroke(cr);
    if (i1 <= i0) return;
    cairo_save(cr);
    cairo_rectangle(cr, fr.x0, ya, fr.x1 - fr.x0, yb - ya);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 0.20, 0.33, 0.55);
    const int cols = int(fr.x1 - fr.x0);
    const double per_col = (fr.t1_s - fr.t0_s) * rate / cols;
    if (per_col > 2) {
        // Min/max envelope per pixel column.
        for (int c = 0; c < cols; ++c) {
            const long s0 = std::max(i0, long(std::floor((fr.t0_s + (fr.t1_s - fr.t0_s) * c / cols) * rate)));
            const long s1 = std::min(i1, long(std::floor((fr.t0_s + (fr.t1_s - fr.t0_s) * (c + 1) / cols) * rate)) + 1);
            if (s1 <= s0) continue;
            float lo = a[std::size_t(s0)], hi = lo;
            for (long i = s0; i < s1; ++i) {
                lo = std::min(lo, a[std::size_t(i)]);
                hi = std::max(hi, a[std::size_t(i)]);
            }
            const double yt = mid - hi * scale, yl = mid - lo * scale;
            cairo_rectangle(cr, fr.x0 + c, yt, 1, std::max(1.0, yl - yt));
        }
        cairo_fill(cr);
    } else {
        cairo_set_line_width(cr, 1.2);
        for (long i = i0; i < i1; ++i) {
            const double x = fr.x(double(i) / rate), y = mid - a[std::size_t(i)] * scale;
            if (i == i0) cairo_move_to(cr, x, y);
            else cairo_line_to(cr, x, y);
        }
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

void draw(cairo_t* cr, const Electrodogram& e, const Layout& L, const ElectrodogramPlotOptions& o) {
    const ElectrodogramFrame& fr = L.fr;
    const int N = e.num_electrodes;
    const double row = fr.row_height();
    const double span = fr.t1_s - fr.t0_s;
    const int cols = int(fr.x1 - fr.x0);
    const double dt_col = span / cols;

    // Level scale: the C level, or the largest level in the window.
    int max_level = 0;
    std::size_t active = 0, slots = 0;
    for (const Pulse& p : e.pulses) {
        const double t = p.time_us * 1e-6;
        if (t + pulse_duration_s(p) <= fr.t0_s || t >= fr.t1_s) continue;
        ++slots;
        if (p.current_level > 0) ++active;
        max_level = std::max(max_level, p.current_level);
    }
    const double scale = o.c_level > 0 ? o.c_level : std::max(1, max_level);
    auto height = [&](int level) { return std::min(1.0, 0.9 * level / scale) * row; };

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

    // Alternate rows faintly shaded; baselines light grey.
    for (int el = 1; el <= N; ++el) {
        if (el % 2 == 0) {
            cairo_set_source_rgb(cr, 0.968, 0.972, 0.980);
            cairo_rectangle(cr, fr.x0, fr.baseline_y(el) - row, fr.x1 - fr.x0, row);
            cairo_fill(cr);
        }
    }
    const double tstep = nice_step(span / std::max(2.0, (fr.x1 - fr.x0) / 85.0));
    time_grid(cr, fr, fr.y0, fr.y1, tstep);
    if (row >= 4) {
        grey(cr, 0.82);
        cairo_set_line_width(cr, 1.0);
        for (int el = 1; el < N; ++el) {
            cairo_move_to(cr, fr.x0, fr.baseline_y(el) - 0.5);
            cairo_line_to(cr, fr.x1, fr.baseline_y(el) - 0.5);
        }
        cairo_stroke(cr);
    }

    // Pulses.
    std::vector<std::vector<double>> buckets(kColourSteps);  // x, y, w, h per rectangle
    auto bucket_of = [&](int level) { return std::clamp(int(level / scale * (kColourSteps - 1) + 0.5), 0, kColourSteps - 1); };
    double min_dur = 1e9;
    for (const Pulse& p : e.pulses)
        if (p.current_level > 0) min_dur = std::min(min_dur, pulse_duration_s(p));
    if (min_dur > dt_col) {
        // Zoomed in: each pulse as a bar of its true duration (at least a pixel wide).
        for (const Pulse& p : e.pulses) {
            if (p.current_level <= 0) continue;
            const double t = p.time_us * 1e-6, d = pulse_duration_s(p);
            if (t + d <= fr.t0_s || t >= fr.t1_s) continue;
            const double xa = std::max(fr.x0, fr.x(t)), xb = std::min(fr.x1, std::max(fr.x(t + d), fr.x(t) + 1));
            const double h = height(p.current_level);
            auto& b = buckets[std::size_t(bucket_of(p.current_level))];
            b.insert(b.end(), {xa, fr.baseline_y(p.electrode) - h, xb - xa, h});
        }
    } else {
        // Largest level per pixel column and electrode.
        std::vector<int> grid(std::size_t(N) * std::size_t(cols), 0);
        for (const Pulse& p : e.pulses) {
            if (p.current_level <= 0) continue;
            const double t = p.time_us * 1e-6;
            if (t < fr.t0_s || t >= fr.t1_s) continue;
            const int c = std::min(cols - 1, int((t - fr.t0_s) / dt_col));
            int& g = grid[std::size_t(p.electrode - 1) * std::size_t(cols) + std::size_t(c)];
            g = std::max(g, p.current_level);
        }
        for (int el = 1; el <= N; ++el) {
            const double base = fr.baseline_y(el);
            const int* g = &grid[std::size_t(el - 1) * std::size_t(cols)];
            for (int c = 0; c < cols; ++c) {
                if (g[c] <= 0) continue;
                const double h = height(g[c]);
                auto& b = buckets[std::size_t(bucket_of(g[c]))];
                b.insert(b.end(), {fr.x0 + c, base - h, 1.0, h});
            }
        }
    }
    cairo_save(cr);
    cairo_rectangle(cr, fr.x0, fr.y0, fr.x1 - fr.x0, fr.y1 - fr.y0);
    cairo_clip(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (int k = 0; k < kColourSteps; ++k) {
        const auto& b = buckets[std::size_t(k)];
        if (b.empty()) continue;
        set(cr, o.colour_by_level ? level_colour(double(k) / (kColourSteps - 1)) : kPlainInk);
        for (std::size_t i = 0; i < b.size(); i += 4) cairo_rectangle(cr, b[i], b[i + 1], b[i + 2], std::max(1.0, b[i + 3]));
        cairo_fill(cr);
    }
    cairo_restore(cr);

    // Frame, time ticks and labels.
    grey(cr, 0);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, fr.x0 - 0.5, fr.y0 - 0.5, fr.x1 - fr.x0 + 1, fr.y1 - fr.y0 + 1);
    cairo_stroke(cr);
    cairo_set_font_size(cr, 13);
    const int dec = decimals_for(tstep);
    for (double t = std::ceil(fr.t0_s / tstep - 1e-9) * tstep; t <= fr.t1_s + 1e-9 * tstep; t += tstep) {
        const double x = std::round(fr.x(t)) + 0.5;
        cairo_move_to(cr, x, fr.y1 + 0.5);
        cairo_line_to(cr, x, fr.y1 + 6);
        cairo_stroke(cr);
        text(cr, fmt::format("{:.{}f}", std::abs(t) < 1e-12 ? 0.0 : t, dec), x, fr.y1 + 10, 0.5, 0);
    }
    cairo_set_font_size(cr, 15);
    text(cr, "time (s)", (fr.x0 + fr.x1) / 2, fr.y1 + 36, 0.5, 0);

    // Electrode numbers at the row centres (every k-th when rows are thin), axis title.
    cairo_set_font_size(cr, std::clamp(row * 0.62, 9.0, 13.0));
    int every = 1;
    while (every * row < 11) every = every == 1 ? 2 : every == 2 ? 5 : every * 2;
    auto labelled = [&](int el) { return (el - 1) % every == 0 || (el == N && (N - 1) % every >= every / 2 + 1); };
    for (int el = 1; el <= N; ++el) {
        if (!labelled(el)) continue;
        const double yc = fr.baseline_y(el) - row / 2;
        text(cr, fmt::format("{}", el), fr.x0 - 8, yc, 1, 0.5);
    }
    cairo_set_font_size(cr, 15);
    vertical_text(cr, "electrode (1 = basal)", 24, (fr.y0 + fr.y1) / 2);

    // Band centre frequencies on the right.
    if (L.bands) {
        cairo_set_font_size(cr, std::clamp(row * 0.58, 9.0, 12.0));
        grey(cr, 0.25);
        for (int el = 1; el <= N; ++el) {
            if (!labelled(el)) continue;
            text(cr, hz_label(o.band_centre_hz[std::size_t(el - 1)]), L.label_x, fr.baseline_y(el) - row / 2, 0, 0.5);
        }
        grey(cr, 0);
        cairo_set_font_size(cr, 15);
        vertical_text(cr, "band centre (Hz)", L.label_x + 62, (fr.y0 + fr.y1) / 2);
    }

    // Colour bar: current level 0..scale.
    if (L.bar) {
        const double bx = L.bar_x, bw = 16, by0 = fr.y0 + 0.15 * (fr.y1 - fr.y0), by1 = fr.y1 - 0.15 * (fr.y1 - fr.y0);
        cairo_pattern_t* pat = cairo_pattern_create_linear(0, by1, 0, by0);
        for (int k = 0; k <= 16; ++k) {
            const Rgb c = level_colour(k / 16.0);
            cairo_pattern_add_color_stop_rgb(pat, k / 16.0, c.r, c.g, c.b);
        }
        cairo_set_source(cr, pat);
        cairo_rectangle(cr, bx, by0, bw, by1 - by0);
        cairo_fill(cr);
        cairo_pattern_destroy(pat);
        grey(cr, 0);
        cairo_rectangle(cr, bx - 0.5, by0 - 0.5, bw + 1, by1 - by0 + 1);
        cairo_stroke(cr);
        cairo_set_font_size(cr, 12);
        const double lstep = nice_step(scale / 5);
        for (double v = 0; v <= scale + 1e-9; v += lstep) {
            const double y = by1 - (by1 - by0) * v / scale;
            cairo_move_to(cr, bx + bw, std::round(y) + 0.5);
            cairo_line_to(cr, bx + bw + 4, std::round(y) + 0.5);
            cairo_stroke(cr);
            text(cr, fmt::format("{:g}", v), bx + bw + 7, y, 0, 0.5);
        }
        cairo_set_font_size(cr, 14);
        vertical_text(cr, o.c_level > 0 ? "current level (C = top)" : "current level", bx + bw + 52, (by0 + by1) / 2);
    }

    // Waveform strip.
    if (o.audio) {
        time_grid(cr, fr, fr.wave_y0, fr.wave_y1, tstep);
        draw_waveform(cr, fr, *o.audio, o.audio_rate_hz);
        grey(cr, 0);
        cairo_set_line_width(cr, 1.0);
        cairo_rectangle(cr, fr.x0 - 0.5, fr.wave_y0 - 0.5, fr.x1 - fr.x0 + 1, fr.wave_y1 - fr.wave_y0 + 1);
        cairo_stroke(cr);
        cairo_set_font_size(cr, 13);
        vertical_text(cr, "input", fr.x0 - 20, (fr.wave_y0 + fr.wave_y1) / 2);
    }

    // Title (left) and a summary of what is shown (right).
    const double ty = L.top_text_y;
    if (!o.title.empty()) {
        grey(cr, 0);
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
        cairo_set_font_size(cr, 18);
        text(cr, o.title, fr.x0, ty, 0, 0.5);
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    }
    cairo_set_font_size(cr, 12);
    grey(cr, 0.35);
    const std::string info =
        fmt::format("{} pulses ({} slots) in {:.{}f}-{:.{}f} s; height: level / {} {}", active, slots, fr.t0_s, dec + 1,
                    fr.t1_s, dec + 1, int(scale), o.c_level > 0 ? "(C level)" : "(largest level)");
    if (text_width(cr, info) < (fr.x1 - fr.x0) * (o.title.empty() ? 1.0 : 0.55)) text(cr, info, fr.x1, ty, 1, 0.5);
}

}  // namespace

ElectrodogramFrame electrodogram_plot_frame(const Electrodogram& e, const ElectrodogramPlotOptions& options) {
    return make_layout(e, options).fr;
}

void plot_electrodogram(const Electrodogram& e, const fs::path& out, const ElectrodogramPlotOptions& options) {
    std::string ext = out.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool svg = ext == ".svg";
    if (!svg && ext != ".png")
        throw IoError(fmt::format("{}: unsupported plot extension '{}' (accepted: .png, .svg)", out.string(),
                                  out.extension().string()));
    const Layout layout = make_layout(e, options);
    const int W = layout.W, H = layout.H;
    detail::write_figure(out, svg, W, H, [&](cairo_t* cr) { draw(cr, e, layout, options); });
}

}  // namespace earshot
