#include "earshot/plots/plot_timeline.hpp"

#include <cairo-svg.h>
#include <cairo.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/dsp/fft.hpp"
#include "earshot/implant/implant_params.hpp"
#include "figure_file.hpp"
#include "timeline_parts.hpp"

namespace earshot {
namespace fs = std::filesystem;

double TimelineFrame::y_freq(double ya, double yb, double f_hz) const {
    return yb - (yb - ya) * std::log(f_hz / f_lo_hz) / std::log(f_hi_hz / f_lo_hz);
}

namespace {
using namespace detail::timeline;

void draw(cairo_t* cr, const Scene& s, const std::vector<float>& outside, const std::vector<float>& inside, double rate,
          const Layout& L, const TimelinePlotOptions& o) {
    const TimelineFrame& fr = L.fr;
    const int cols = int(fr.x1 - fr.x0), rows = int(fr.outside_y1 - fr.outside_y0);
    const std::vector<float> out_db = spectrogram(outside, rate, fr, cols, rows);
    const std::vector<float> in_db = spectrogram(inside, rate, fr, cols, rows);
    // The colour scale's top: the 98th percentile of the columns' loudest bins in either panel (so a pop or a
    // click, a column or two, does not darken everything else), rounded up to 5 dB.
    std::vector<float> column_peaks;
    for (const auto* v : {&out_db, &in_db})
        for (int c = 0; c < cols; ++c) {
            float peak = -std::numeric_limits<float>::infinity();
            for (int r = 0; r < rows; ++r) {
                const float d = (*v)[std::size_t(r) * std::size_t(cols) + std::size_t(c)];
                if (d > peak) peak = d;  // NaN and -inf never are
            }
            if (std::isfinite(peak)) column_peaks.push_back(peak);
        }
    double top_db = 0;
    if (!column_peaks.empty()) {
        const auto k = column_peaks.begin() + long(0.98 * double(column_peaks.size() - 1));
        std::nth_element(column_peaks.begin(), k, column_peaks.end());
        top_db = 5 * std::ceil(double(*k) / 5 - 1e-9);
    }
    const double range = o.dynamic_range_db;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    const double span = fr.t1_s - fr.t0_s;
    const double tstep = nice_step(span / std::max(2.0, (fr.x1 - fr.x0) / 90.0));

    // Lanes.
    time_grid(cr, fr, fr.lanes_y0, fr.lanes_y1, tstep);
    if (!L.transitions.empty() || L.event_rows > 0) {
        grey(cr, 0.86);
        cairo_set_line_width(cr, 1.0);
        for (double y : {L.trans_y0, L.events_y0 - (L.transitions.empty() ? 0 : 1.5)}) {
            if (y <= L.key_y0 || y >= fr.lanes_y1 - 2) continue;
            cairo_move_to(cr, fr.x0, std::round(y) + 0.5);
            cairo_line_to(cr, fr.x1, std::round(y) + 0.5);
        }
        cairo_stroke(cr);
    }
    draw_transitions(cr, L);
    draw_events(cr, s, L);
    draw_keyframes(cr, s, L);
    draw_event_labels(cr, s, L);
    frame_rect(cr, fr, fr.lanes_y0, fr.lanes_y1);
    font(cr, kLaneFont);
    grey(cr, 0.35);
    if (L.key_rows > 0) text(cr, "keyframes", fr.x0 - 6, L.key_y0 + L.key_rows * L.key_row_h / 2, 1, 0.5);
    if (!L.transitions.empty()) text(cr, "transitions", fr.x0 - 6, (L.trans_y0 + L.trans_y1) / 2, 1, 0.5);
    if (L.event_rows > 0) text(cr, "events", fr.x0 - 6, L.events_y0 + L.event_rows * kEventRow / 2, 1, 0.5);

    // Automation strip.
    cairo_set_source_rgb(cr, 0.975, 0.978, 0.985);
    cairo_rectangle(cr, fr.x0, fr.automation_y0, fr.x1 - fr.x0, fr.automation_y1 - fr.automation_y0);
    cairo_fill(cr);
    time_grid(cr, fr, fr.automation_y0, fr.automation_y1, tstep);
    draw_automation(cr, s, L);
    frame_rect(cr, fr, fr.automation_y0, fr.automation_y1);

    // Spectrograms, the keyframe lines faintly through them, frames, tags, frequency axes.
    draw_image(cr, out_db, cols, rows, fr.x0, fr.outside_y0, top_db, range);
    draw_image(cr, in_db, cols, rows, fr.x0, fr.inside_y0, top_db, range);
    if (fr.x1 - fr.x(L.length_s) > 120) {
        font(cr, 13);
        grey(cr, 0.45);
        for (double yc : {(fr.outside_y0 + fr.outside_y1) / 2, (fr.inside_y0 + fr.inside_y1) / 2})
            text(cr, "no audio", (fr.x(L.length_s) + fr.x1) / 2, yc, 0.5, 0.5);
    }
    cairo_save(cr);
    const double dash[] = {5, 4};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.0);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.55);
    for (const Keyframe& k : s.keyframes) {
        const double x = std::round(fr.x(k.time_s)) - 0.5;
        if (x < fr.x0 || x > fr.x1) continue;
        for (auto [ya, yb] : {std::pair{fr.outside_y0, fr.outside_y1}, std::pair{fr.inside_y0, fr.inside_y1}}) {
            cairo_move_to(cr, x, ya);
            cairo_line_to(cr, x, yb);
        }
    }
    cairo_stroke(cr);
    cairo_restore(cr);
    for (auto [ya, yb] : {std::pair{fr.outside_y0, fr.outside_y1}, std::pair{fr.inside_y0, fr.inside_y1}}) {
        frame_rect(cr, fr, ya, yb, 0.0);
        freq_axis(cr, fr, ya, yb);
    }
    panel_tag(cr, "OUTSIDE", "the unprocessed input", fr.x0 + 6, fr.outside_y0 + 6);
    panel_tag(cr, "INSIDE", "what the listener hears", fr.x0 + 6, fr.inside_y0 + 6);
    font(cr, 12.5);
    grey(cr, 0.1);
    vertical_text(cr, "frequency (Hz)", 16, (fr.outside_y0 + fr.inside_y1) / 2);

    // Colour bar.
    {
        const double bx = L.bar_x, bw = 14, by0 = fr.outside_y0, by1 = fr.inside_y1;
        cairo_pattern_t* pat = cairo_pattern_create_linear(0, by1, 0, by0);
        for (int k = 0; k <= 32; ++k) {
            const Rgb c = magma(k / 32.0);
            cairo_pattern_add_color_stop_rgb(pat, k / 32.0, c.r, c.g, c.b);
        }
        cairo_set_source(cr, pat);
        cairo_rectangle(cr, bx, by0, bw, by1 - by0);
        cairo_fill(cr);
        cairo_pattern_destroy(pat);
        grey(cr, 0);
        cairo_set_line_width(cr, 1.0);
        cairo_rectangle(cr, bx - 0.5, by0 - 0.5, bw + 1, by1 - by0 + 1);
        cairo_stroke(cr);
        font(cr, 11);
        const double lstep = range > 100 ? 20 : 10;
        for (double v = top_db; v >= top_db - range - 1e-9; v -= lstep) {
            const double y = std::round(by0 + (by1 - by0) * (top_db - v) / range) + 0.5;
            cairo_move_to(cr, bx + bw, y);
            cairo_line_to(cr, bx + bw + 4, y);
            cairo_stroke(cr);
            text(cr, v < 0 ? fmt::format("\u2212{:g}", -v) : fmt::format("{:g}", v), bx + bw + 7, y, 0, 0.5);
        }
        font(cr, 12.5);
        vertical_text(cr, "level (dBFS per bin)", bx + bw + 52, (by0 + by1) / 2);
    }

    // Time axis.
    grey(cr, 0);
    cairo_set_line_width(cr, 1.0);
    font(cr, kAxisFont);
    const int dec = decimals_for(tstep);
    for (double t = std::ceil(fr.t0_s / tstep - 1e-9) * tstep; t <= fr.t1_s + 1e-9 * tstep; t += tstep) {
        const double x = std::round(fr.x(t)) + 0.5;
        cairo_move_to(cr, x, fr.inside_y1 + 0.5);
        cairo_line_to(cr, x, fr.inside_y1 + 6);
        cairo_stroke(cr);
        text(cr, fmt::format("{:.{}f}", std::abs(t) < 1e-12 ? 0.0 : t, dec), x, fr.inside_y1 + 10, 0.5, 0);
    }
    font(cr, 13);
    text(cr, "time (s)", (fr.x0 + fr.x1) / 2, fr.inside_y1 + 30, 0.5, 0);

    // Title (left) and what is shown (right).
    double title_right = fr.x0;
    if (!o.title.empty()) {
        set(cr, kText);
        font(cr, kTitleFont, true);
        const std::string t = fit(cr, o.title, fr.x1 - fr.x0);
        text(cr, t, fr.x0, L.top_text_y, 0, 0.5);
        title_right = fr.x0 + text_width(cr, t);
    }
    font(cr, 11.5);
    grey(cr, 0.35);
    std::string info = fmt::format("{:.1f} s at {:g} kHz \u00b7 Hann {} ({:.0f} ms) \u00b7 colour: {:g} dB range",
                                   L.length_s, rate / 1000, fr.fft_size, 1000.0 * double(fr.fft_size) / rate, range);
    if (!s.name.empty()) info = "scene \u201c" + s.name + "\u201d \u00b7 " + info;
    if (title_right + 24 + text_width(cr, info) <= fr.x1) text(cr, info, fr.x1, L.top_text_y, 1, 0.5);
}

}  // namespace


TimelineFrame timeline_plot_frame(const Scene& scene, std::size_t num_samples, double sample_rate_hz,
                                  const TimelinePlotOptions& options) {
    return make_layout(scene, num_samples, sample_rate_hz, options).fr;
}

void plot_timeline(const Scene& scene, const std::vector<float>& outside, const std::vector<float>& inside,
                   double sample_rate_hz, const fs::path& out, const TimelinePlotOptions& options) {
    std::string ext = out.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool svg = ext == ".svg";
    if (!svg && ext != ".png")
        throw IoError(fmt::format("{}: unsupported plot extension '{}' (accepted: .png, .svg)", out.string(),
                                  out.extension().string()));
    validate(&outside, &inside, sample_rate_hz, options);
    const Layout layout = make_layout(scene, outside.size(), sample_rate_hz, options);
    const int W = options.width_px, H = options.height_px;
    detail::write_figure(out, svg, W, H, [&](cairo_t* cr) { draw(cr, scene, outside, inside, sample_rate_hz, layout, options); });
}

}  // namespace earshot
