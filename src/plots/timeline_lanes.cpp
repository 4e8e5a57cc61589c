// The scene timeline's lanes (keyframes, transitions, events, automation) and axes (timeline_parts.hpp).
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
#include "timeline_parts.hpp"

namespace earshot::detail::timeline {

void time_grid(cairo_t* cr, const TimelineFrame& fr, double ya, double yb, double step) {
    cairo_set_line_width(cr, 1.0);
    grey(cr, 0.90);
    for (double t = std::ceil(fr.t0_s / step - 1e-9) * step; t <= fr.t1_s + 1e-9 * step; t += step) {
        const double x = std::round(fr.x(t)) + 0.5;
        cairo_move_to(cr, x, ya);
        cairo_line_to(cr, x, yb);
    }
    cairo_stroke(cr);
}

void frame_rect(cairo_t* cr, const TimelineFrame& fr, double ya, double yb, double v) {
    grey(cr, v);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, fr.x0 - 0.5, ya - 0.5, fr.x1 - fr.x0 + 1, yb - ya + 1);
    cairo_stroke(cr);
}

void draw_keyframes(cairo_t* cr, const Scene& s, const Layout& L) {
    const TimelineFrame& fr = L.fr;
    for (std::size_t i = 0; i < L.keys.size(); ++i) {
        const KeyLabel& kl = L.keys[i];
        const double x = std::round(fr.x(s.keyframes[i].time_s));
        // The line: 2 px over the lanes, 1 px over the automation strip.
        set(cr, kKeyInk);
        cairo_rectangle(cr, x - 1, fr.lanes_y0, 2, fr.lanes_y1 - fr.lanes_y0);
        cairo_fill(cr);
        set(cr, kKeyInk, 0.55);
        cairo_rectangle(cr, x - 0.5, fr.automation_y0, 1, fr.automation_y1 - fr.automation_y0);
        cairo_fill(cr);
        // The label: the number in bold next to the line, then the listener, then what the ears do (smaller, grey).
        double y = L.key_y0 + kl.p.row * L.key_row_h + 4;
        const double ax = kl.right ? 1 : 0, text_x = kl.right ? kl.tx - kl.indent : kl.tx + kl.indent;
        if (kl.boxed) {
            cairo_set_source_rgba(cr, 1, 1, 1, 0.92);
            cairo_rectangle(cr, kl.p.a - 3, y - 3,  kl.p.b - kl.p.a + 6,
                            double(std::max<std::size_t>(1, kl.head.size() + kl.note.size())) * kKeyLine + 3);
            cairo_fill(cr);
        }
        set(cr, kText);
        font(cr, kKeyFont, true);
        text(cr, kl.num, kl.tx, y, ax, 0);
        font(cr, kKeyFont);
        for (const std::string& line : kl.head) {
            text(cr, line, text_x, y, ax, 0);
            y += kKeyLine;
        }
        set(cr, kNote);
        font(cr, kKeyNoteFont);
        for (const std::string& line : kl.note) {
            text(cr, line, text_x, y + 1, ax, 0);
            y += kKeyLine;
        }
    }
}

void draw_transitions(cairo_t* cr, const Layout& L) {
    const TimelineFrame& fr = L.fr;
    const double ya = L.trans_y0 + 2, yb = L.trans_y1 - 2;
    font(cr, kLaneFont);
    for (const TransitionItem& t : L.transitions) {
        const double xa = fr.x(t.t_start), xb = fr.x(t.t_end);
        if (t.t_start == t.t_end) {  // a cut
            set(cr, kNote);
            if (!t.label.empty()) text(cr, t.label, t.tx, (ya + yb) / 2, t.ax, 0.5);
            continue;
        }
        set(cr, kTransition, 0.10);
        cairo_rectangle(cr, xa, ya, xb - xa, yb - ya);
        cairo_fill(cr);
        // The ramp: the curve's value from 0 (bottom) to 1 (top).
        const int n = std::max(2, int(xb - xa));
        cairo_move_to(cr, xa, yb);
        for (int k = 0; k <= n; ++k) {
            const double u = double(k) / n;
            cairo_line_to(cr, xa + u * (xb - xa), yb - (yb - ya) * curve_value(t.curve, u));
        }
        cairo_line_to(cr, xb, yb);
        cairo_close_path(cr);
        set(cr, kTransition, 0.35);
        cairo_fill_preserve(cr);
        set(cr, kTransition, 0.9);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
        if (!t.label.empty()) {
            if (t.ax == 0.5) {  // inside the ramp: on a light backing, so the ramp's edge does not cross it
                const double w = text_width(cr, t.label);
                cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
                cairo_rectangle(cr, t.tx - w / 2 - 3, (ya + yb) / 2 - 7, w + 6, 14);
                cairo_fill(cr);
            }
            set(cr, t.ax == 0.5 ? kText : kTransition);
            text(cr, t.label, t.tx, (ya + yb) / 2, t.ax, 0.5);
        }
    }
}

// Event labels, drawn over the keyframe lines: on a light backing where a line crosses them.
void draw_event_labels(cairo_t* cr, const Scene& s, const Layout& L) {
    const TimelineFrame& fr = L.fr;
    font(cr, kLaneFont);
    for (const EventItem& e : L.events) {
        const double yc = L.events_y0 + e.p.row * kEventRow + kEventRow / 2;
        const double w = text_width(cr, e.label);
        bool crossed = false;
        for (const Keyframe& k : s.keyframes) {
            const double x = std::round(fr.x(k.time_s));
            crossed = crossed || (x + 1 >= e.tx - 1 && x - 1 <= e.tx + w + 1);
        }
        if (crossed) {
            cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
            cairo_rectangle(cr, e.tx - 2, yc - 7, w + 4, 14);
            cairo_fill(cr);
        }
        set(cr, e.pop ? kPop : kText);
        text(cr, e.label, e.tx, yc, 0, 0.5);
    }
}

void draw_events(cairo_t* cr, const Scene& s, const Layout& L) {
    const TimelineFrame& fr = L.fr;
    for (const EventItem& e : L.events) {
        const double ya = L.events_y0 + e.p.row * kEventRow + 2, yb = ya + kEventRow - 4;
        const double xa = fr.x(e.t_start);
        if (e.pop) {
            // A downward triangle with a short stem.
            set(cr, kPop);
            cairo_move_to(cr, xa - 6, ya);
            cairo_line_to(cr, xa + 6, ya);
            cairo_line_to(cr, xa, yb - 3);
            cairo_close_path(cr);
            cairo_fill(cr);
            cairo_rectangle(cr, xa - 1, yb - 4, 2, 4);
            cairo_fill(cr);
            continue;
        }
        const TinnitusEvent& t = s.tinnitus[e.index];
        const double xb = std::min(fr.x1, fr.x(e.t_visible_end));
        // The bar, shaded by the envelope; a thin baseline over its whole extent.
        cairo_pattern_t* pat = cairo_pattern_create_linear(xa, 0, std::max(xb, xa + 1), 0);
        const int stops = 64;
        for (int k = 0; k <= stops; ++k) {
            const double u = double(k) / stops, tt = e.t_start + u * (e.t_visible_end - e.t_start);
            cairo_pattern_add_color_stop_rgba(pat, u, kTinnitus.r, kTinnitus.g, kTinnitus.b,
                                              0.12 + 0.6 * tinnitus_envelope(t, tt));
        }
        cairo_set_source(cr, pat);
        cairo_rectangle(cr, xa, ya, std::max(1.0, xb - xa), yb - ya);
        cairo_fill(cr);
        cairo_pattern_destroy(pat);
        set(cr, kTinnitus);
        cairo_rectangle(cr, xa, yb - 1.5, std::max(1.0, xb - xa), 1.5);
        cairo_rectangle(cr, xa - 0.75, ya, 1.5, yb - ya);
        cairo_fill(cr);
    }
}

void draw_automation(cairo_t* cr, const Scene& s, const Layout& L) {
    const TimelineFrame& fr = L.fr;
    const int cols = int(fr.x1 - fr.x0);
    const double dt = (fr.t1_s - fr.t0_s) / cols;
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    // POV: the line, and the area under it lightly filled (inside = filled).
    const double inset = 2;  // keep the line inside the frame at 0 and 1
    for (int c = 0; c <= cols; ++c) {
        const double v = pov_inside_at(s, fr.t0_s + c * dt);
        const double y = fr.y_pov(v) + inset * (2 * v - 1);
        if (c == 0) cairo_move_to(cr, fr.x0 + c, y);
        else cairo_line_to(cr, fr.x0 + c, y);
    }
    cairo_path_t* path = cairo_copy_path(cr);
    cairo_line_to(cr, fr.x1, fr.automation_y1);
    cairo_line_to(cr, fr.x0, fr.automation_y1);
    cairo_close_path(cr);
    set(cr, kPov, 0.10);
    cairo_fill(cr);
    cairo_append_path(cr, path);
    cairo_path_destroy(path);
    set(cr, kPov);
    cairo_set_line_width(cr, 2.2);
    cairo_stroke(cr);

    if (L.body) {
        set(cr, kBody);
        cairo_set_line_width(cr, 1.6);
        for (int c = 0; c <= cols; ++c) {
            const double y = L.body_y(body_gain_db_at(s, fr.t0_s + c * dt));
            if (c == 0) cairo_move_to(cr, fr.x0 + c, y);
            else cairo_line_to(cr, fr.x0 + c, y);
        }
        cairo_stroke(cr);
    }
    // Scales: POV on the left, body gain on the right.
    font(cr, 10.5);
    set(cr, kPov);
    text(cr, "inside", fr.x0 - 6, fr.automation_y0 + 1, 1, 0);
    text(cr, "outside", fr.x0 - 6, fr.automation_y1 - 1, 1, 1);
    font(cr, 10.5, true);
    text(cr, "POV", fr.x0 - 6, (fr.automation_y0 + fr.automation_y1) / 2, 1, 0.5);
    if (L.body) {
        set(cr, kBody);
        font(cr, 10.5);
        text(cr, fmt::format("{:g} dB", L.body_top_db), fr.x1 + 6, L.body_y(L.body_top_db), 0, 0.5);
        text(cr, fmt::format("\u2212{:g} dB", -L.body_bottom_db), fr.x1 + 6, L.body_y(L.body_bottom_db), 0, 0.5);
        font(cr, 10.5, true);
        text(cr, "body gain", fr.x1 + 6, (fr.automation_y0 + fr.automation_y1) / 2, 0, 0.5);
    }
}

void freq_axis(cairo_t* cr, const TimelineFrame& fr, double ya, double yb) {
    font(cr, 11);
    cairo_set_line_width(cr, 1.0);
    for (double f : {50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0}) {
        if (f < fr.f_lo_hz - 1e-9 || f > fr.f_hi_hz + 1e-9) continue;
        const double y = std::round(yb - (yb - ya) * std::log(f / fr.f_lo_hz) / std::log(fr.f_hi_hz / fr.f_lo_hz)) + 0.5;
        grey(cr, 0.2);
        cairo_move_to(cr, fr.x0 - 5, y);
        cairo_line_to(cr, fr.x0, y);
        cairo_stroke(cr);
        text(cr, hz_label(f), fr.x0 - 8, y, 1, 0.5);
    }
}

void panel_tag(cairo_t* cr, const std::string& name, const std::string& what, double x, double y) {
    font(cr, 13, true);
    const double wn = text_width(cr, name);
    font(cr, 11.5);
    const double ww = text_width(cr, what);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
    cairo_rectangle(cr, x, y, wn + ww + 22, 22);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    font(cr, 13, true);
    text(cr, name, x + 7, y + 11, 0, 0.5);
    font(cr, 11.5);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.9);
    text(cr, what, x + 14 + wn, y + 11, 0, 0.5);
}

}  // namespace earshot::detail::timeline
