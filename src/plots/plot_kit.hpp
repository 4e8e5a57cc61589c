#pragma once
// Private: the small cairo toolkit the three figures share (plot_audiogram, plot_electrodogram, plot_timeline):
// colours, text placed by an anchor, text width, vertical labels and axis steps. Units are cairo user units
// (pixels of the PNG; points of the SVG). Two ways to anchor text, because the figures were laid out with them:
//  * ink::text aligns the ink box (the glyphs' drawn extent): (ax, ay) = (0, 0) puts its top-left corner at
//    (x, y), (0.5, 0.5) its centre, (1, 1) its bottom-right;
//  * cap::text aligns the advance width horizontally and the cap height (0.72 of the font's ascent)
//    vertically, so labels of different letters sit on one line: ay = 0 puts the cap top at y, 1 the baseline.
#include <cairo/cairo.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace earshot::detail::plot {

struct Rgb {
    double r, g, b;
};

/// Width of `s` as typeset (its advance), in the current font.
inline double text_width(cairo_t* cr, const std::string& s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    return e.x_advance;
}

/// A round axis step >= raw: 1, 2, 5 or 10 times a power of ten.
inline double nice_step(double raw) {
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= raw * (1 - 1e-9)) return m * p;
    return 10 * p;
}
/// Decimals that print every multiple of `step` exactly (0.5 -> 1, 0.25 -> 2, 2 -> 0).
inline int decimals_for(double step) { return std::max(0, int(std::ceil(-std::log10(step) - 1e-9))); }

namespace ink {
inline void text(cairo_t* cr, const std::string& s, double x, double y, double ax, double ay) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    cairo_move_to(cr, x - e.x_bearing - e.width * ax, y - e.y_bearing - e.height * ay);
    cairo_show_text(cr, s.c_str());
}
/// `s` turned a quarter anticlockwise (reading upwards), centred on (x, y).
inline void vertical_text(cairo_t* cr, const std::string& s, double x, double y) {
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -M_PI / 2);
    text(cr, s, 0, 0, 0.5, 0.5);
    cairo_restore(cr);
}
}  // namespace ink

namespace cap {
inline void text(cairo_t* cr, const std::string& s, double x, double y, double ax, double ay) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    const double cap = 0.72 * fe.ascent;
    cairo_move_to(cr, x - e.x_advance * ax, y + cap * (1 - ay));
    cairo_show_text(cr, s.c_str());
}
/// `s` turned a quarter anticlockwise (reading upwards), centred on (x, y).
inline void vertical_text(cairo_t* cr, const std::string& s, double x, double y) {
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -M_PI / 2);
    text(cr, s, 0, 0, 0.5, 0.5);
    cairo_restore(cr);
}
}  // namespace cap

}  // namespace earshot::detail::plot
