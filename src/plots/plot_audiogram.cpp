#include "earshot/plots/plot_audiogram.hpp"

#include <cairo-svg.h>
#include <cairo.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cerrno>
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

constexpr double kHlTop = -10.0, kHlBottom = 120.0;

constexpr Rgb kRight{0.80, 0.10, 0.10};
constexpr Rgb kLeft{0.10, 0.25, 0.85};

struct Frame {
    double x0, y0, x1, y1;   // plot area in pixels
    double f_lo, f_hi;       // Hz
    double x(double f) const { return x0 + (x1 - x0) * std::log2(f / f_lo) / std::log2(f_hi / f_lo); }
    double y(double hl) const { return y0 + (y1 - y0) * (hl - kHlTop) / (kHlBottom - kHlTop); }
};

void set(cairo_t* cr, Rgb c, double a = 1.0) { cairo_set_source_rgba(cr, c.r, c.g, c.b, a); }

// Text anchored at (x, y): ax/ay = 0 left/top, 0.5 centre, 1 right/bottom.

std::string freq_label(double f) {
    if (f >= 1000) return f == std::floor(f / 1000) * 1000 ? fmt::format("{}k", f / 1000) : fmt::format("{:.1f}k", f / 1000);
    return fmt::format("{}", f);
}

void marker_o(cairo_t* cr, double x, double y, double r) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
}
void marker_x(cairo_t* cr, double x, double y, double r) {
    cairo_move_to(cr, x - r, y - r);
    cairo_line_to(cr, x + r, y + r);
    cairo_move_to(cr, x + r, y - r);
    cairo_line_to(cr, x - r, y + r);
}
void marker_angle(cairo_t* cr, double x, double y, double r, bool opens_right) {
    // "<" for the right ear (opening to the right), ">" for the left ear; drawn beside the frequency line
    // as on clinical forms, so it does not hide the air-conduction symbol.
    const double s = opens_right ? 1.0 : -1.0;
    const double cx = x - s * 1.6 * r;
    cairo_move_to(cr, cx + s * r, y - r);
    cairo_line_to(cr, cx - s * r * 0.4, y);
    cairo_line_to(cr, cx + s * r, y + r);
}

void draw_air(cairo_t* cr, const Frame& fr, const Audiogram& a, Rgb colour, bool right, bool lines, bool markers) {
    if (a.empty()) return;
    if (lines) {
    set(cr, colour);
    cairo_set_line_width(cr, 2.0);
    if (!right) {
        const double dash[] = {8.0, 5.0};
        cairo_set_dash(cr, dash, 2, 0);
    }
    for (std::size_t i = 0; i < a.freqs_hz.size(); ++i) {
        const double x = fr.x(a.freqs_hz[i]), y = fr.y(a.hl_db[i]);
        if (i == 0) cairo_move_to(cr, x, y);
        else cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    }
    if (!markers) return;
    set(cr, colour);
    cairo_set_line_width(cr, 2.4);
    for (std::size_t i = 0; i < a.freqs_hz.size(); ++i) {
        const double x = fr.x(a.freqs_hz[i]), y = fr.y(a.hl_db[i]);
        if (right) {
            // White fill so the joining line does not run through the O.
            marker_o(cr, x, y, 8.5);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_fill_preserve(cr);
            set(cr, colour);
        } else {
            marker_x(cr, x, y, 5.5);
        }
        cairo_stroke(cr);
    }
}

void draw_bone(cairo_t* cr, const Frame& fr, const Audiogram& a, Rgb colour, bool right) {
    set(cr, colour);
    cairo_set_line_width(cr, 2.2);
    for (std::size_t i = 0; i < a.freqs_hz.size(); ++i) {
        marker_angle(cr, fr.x(a.freqs_hz[i]), fr.y(a.hl_db[i]), 7.0, right);
        cairo_stroke(cr);
    }
}

void draw(cairo_t* cr, const Listener& L, int W, int H, const AudiogramPlotOptions& opt) {
    double f_hi = 8000;
    for (const Audiogram* a : {&L.left.air, &L.right.air, &L.left.bone, &L.right.bone})
        if (!a->empty() && a->freqs_hz.back() > 8000) f_hi = 16000;
    const Frame fr{90, 70, W - 150.0, H - 70.0, 125.0, f_hi};

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

    // WHO 2021 grades of hearing loss (better ear, 0.5-4 kHz average), shaded lightly with their names.
    if (opt.grade_bands) {
        struct Band {
            double lo, hi;
            const char* name;
        };
        const Band bands[] = {{kHlTop, 20, "normal"},  {20, 35, "mild"},     {35, 50, "moderate"},
                              {50, 65, "mod. severe"}, {65, 80, "severe"},   {80, 95, "profound"},
                              {95, kHlBottom, "complete"}};
        cairo_set_font_size(cr, 12);
        for (std::size_t i = 0; i < std::size(bands); ++i) {
            const double shade = 0.985 - 0.018 * static_cast<double>(i);
            cairo_set_source_rgb(cr, shade, shade, shade * 0.97 + 0.03);
            cairo_rectangle(cr, fr.x0, fr.y(bands[i].lo), fr.x1 - fr.x0, fr.y(bands[i].hi) - fr.y(bands[i].lo));
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
            text(cr, bands[i].name, fr.x1 + 8, (fr.y(bands[i].lo) + fr.y(bands[i].hi)) / 2, 0, 0.5);
        }
    }

    // Grid: octaves solid, half-octaves (750, 1500, 3000, 6000, 12000) dashed; every 10 dB.
    cairo_set_line_width(cr, 1.0);
    cairo_set_font_size(cr, 14);
    for (double f = 125; f <= f_hi + 1; f *= 2) {
        cairo_set_source_rgb(cr, 0.70, 0.70, 0.70);
        cairo_move_to(cr, std::round(fr.x(f)) + 0.5, fr.y0);
        cairo_line_to(cr, std::round(fr.x(f)) + 0.5, fr.y1);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, freq_label(f), fr.x(f), fr.y1 + 8, 0.5, 0);
        const double half = f * 1.5;
        if (f >= 500 && half < f_hi) {
            const double dash[] = {3.0, 4.0};
            cairo_set_dash(cr, dash, 2, 0);
            cairo_set_source_rgb(cr, 0.80, 0.80, 0.80);
            cairo_move_to(cr, std::round(fr.x(half)) + 0.5, fr.y0);
            cairo_line_to(cr, std::round(fr.x(half)) + 0.5, fr.y1);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
        }
    }
    for (double hl = kHlTop; hl <= kHlBottom + 0.1; hl += 10) {
        cairo_set_source_rgb(cr, hl == 0 ? 0.35 : 0.70, hl == 0 ? 0.35 : 0.70, hl == 0 ? 0.35 : 0.70);
        cairo_set_line_width(cr, hl == 0 ? 1.6 : 1.0);
        cairo_move_to(cr, fr.x0, std::round(fr.y(hl)) + 0.5);
        cairo_line_to(cr, fr.x1, std::round(fr.y(hl)) + 0.5);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, fmt::format("{:g}", hl), fr.x0 - 8, fr.y(hl), 1, 0.5);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.5);
    cairo_rectangle(cr, fr.x0, fr.y0, fr.x1 - fr.x0, fr.y1 - fr.y0);
    cairo_stroke(cr);

    // Axis titles and plot title.
    cairo_set_font_size(cr, 15);
    text(cr, "Frequency (Hz)", (fr.x0 + fr.x1) / 2, fr.y1 + 32, 0.5, 0);
    cairo_save(cr);
    cairo_translate(cr, 24, (fr.y0 + fr.y1) / 2);
    cairo_rotate(cr, -M_PI / 2);
    text(cr, "Hearing level (dB HL)", 0, 0, 0.5, 0.5);
    cairo_restore(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 19);
    text(cr, fmt::format("Audiogram: {}", L.name.empty() ? std::string("listener") : L.name), fr.x0, 22, 0, 0.5);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

    // Data: left first so the right ear's O stays visible where both coincide.
    cairo_save(cr);
    cairo_rectangle(cr, fr.x0 - 12, fr.y0 - 12, fr.x1 - fr.x0 + 24, fr.y1 - fr.y0 + 24);
    cairo_clip(cr);
    // Lines first, then the right ear's white-filled O, then the left ear's X on top: where the ears
    // coincide the X sits inside the O and both stay readable.
    draw_air(cr, fr, L.right.air, kRight, true, true, false);
    draw_air(cr, fr, L.left.air, kLeft, false, true, false);
    draw_air(cr, fr, L.right.air, kRight, true, false, true);
    draw_air(cr, fr, L.left.air, kLeft, false, false, true);
    draw_bone(cr, fr, L.left.bone, kLeft, false);
    draw_bone(cr, fr, L.right.bone, kRight, true);
    cairo_restore(cr);

    // Legend, top right above the plot.
    const bool bone = !L.left.bone.empty() || !L.right.bone.empty();
    cairo_set_font_size(cr, 14);
    double lx = fr.x1 - (bone ? 330 : 190);
    const double ly = 44;
    cairo_set_line_width(cr, 2.4);
    set(cr, kRight);
    marker_o(cr, lx, ly, 6.5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, "right", lx + 12, ly, 0, 0.5);
    lx += 80;
    set(cr, kLeft);
    marker_x(cr, lx, ly, 6);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, "left", lx + 12, ly, 0, 0.5);
    if (bone) {
        lx += 80;
        set(cr, kRight);
        marker_angle(cr, lx + 10, ly, 6, true);
        cairo_stroke(cr);
        set(cr, kLeft);
        marker_angle(cr, lx + 14, ly, 6, false);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, "bone (R, L)", lx + 30, ly, 0, 0.5);
    }
}

}  // namespace

void plot_audiogram(const Listener& listener, const fs::path& out, const AudiogramPlotOptions& options) {
    std::string ext = out.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool svg = ext == ".svg";
    if (!svg && ext != ".png")
        throw ConfigError(fmt::format("{}: unsupported plot extension '{}' (accepted: .png, .svg)", out.string(),
                                      out.extension().string()));
    const int W = std::clamp(options.width_px, 300, 8000), H = std::clamp(options.height_px, 200, 8000);
    detail::write_figure(out, svg, W, H, [&](cairo_t* cr) { draw(cr, listener, W, H, options); });
}

}  // namespace earshot
