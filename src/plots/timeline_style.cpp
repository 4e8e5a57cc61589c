// The scene timeline's colours, fonts and text fitting (timeline_parts.hpp).
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

// Magma (van der Walt & Smith, matplotlib; CC0) sampled at every 16th of its 256 entries and the last.
constexpr std::array<Rgb, 17> kMagma = {{{0.001462, 0.000466, 0.013866}, {0.039608, 0.031090, 0.133515},
                                         {0.113094, 0.065492, 0.276784}, {0.211718, 0.061992, 0.418647},
                                         {0.316654, 0.071690, 0.485380}, {0.414709, 0.110431, 0.504662},
                                         {0.512831, 0.148179, 0.507648}, {0.613617, 0.181811, 0.498536},
                                         {0.716387, 0.214982, 0.475290}, {0.816914, 0.255895, 0.436461},
                                         {0.904281, 0.319610, 0.388137}, {0.960949, 0.418323, 0.359630},
                                         {0.986700, 0.535582, 0.382210}, {0.996096, 0.653659, 0.446213},
                                         {0.996898, 0.769591, 0.534892}, {0.992440, 0.884330, 0.640099},
                                         {0.987053, 0.991438, 0.749504}}};

Rgb magma(double u) {
    const double pos = std::clamp(u, 0.0, 1.0) * 255.0;
    std::size_t i = std::min<std::size_t>(std::size_t(pos / 16.0), kMagma.size() - 2);
    const double a = 16.0 * double(i), b = i + 1 == kMagma.size() - 1 ? 255.0 : 16.0 * double(i + 1);
    const double f = std::clamp((pos - a) / (b - a), 0.0, 1.0);
    return {kMagma[i].r + f * (kMagma[i + 1].r - kMagma[i].r), kMagma[i].g + f * (kMagma[i + 1].g - kMagma[i].g),
            kMagma[i].b + f * (kMagma[i + 1].b - kMagma[i].b)};
}

void set(cairo_t* cr, Rgb c, double alpha) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }
void grey(cairo_t* cr, double v) { cairo_set_source_rgb(cr, v, v, v); }
void font(cairo_t* cr, double size, bool bold) {
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

// Text anchored at (x, y): ax = 0 left, 0.5 centre, 1 right of the advance; ay = 0 top, 0.5 centre, 1 bottom of
// the font's cap height (so lines of different text align).
// s shortened with an ellipsis to fit max_w ("" when not even the ellipsis fits).
std::string fit(cairo_t* cr, std::string s, double max_w) {
    if (text_width(cr, s) <= max_w) return s;
    static const std::string kDots = "\u2026";
    while (!s.empty()) {
        do s.pop_back();
        while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80);
        if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0xC0) s.pop_back();  // a lead byte
        while (!s.empty() && s.back() == ' ') s.pop_back();
        if (text_width(cr, s + kDots) <= max_w) return s + kDots;
    }
    return text_width(cr, kDots) <= max_w ? kDots : std::string();
}

// s broken into lines of at most max_w (after commas and at spaces), at most max_lines (the last shortened).
std::vector<std::string> wrap(cairo_t* cr, const std::string& s, double max_w, std::size_t max_lines) {
    std::vector<std::string> tokens;
    std::string cur;
    for (char c : s) {
        if (c == ' ' && !cur.empty()) {
            tokens.push_back(cur);
            cur.clear();
        }
        cur += c;
        if (c == ',') {
            tokens.push_back(cur);
            cur.clear();
        }
    }
    if (!cur.empty()) tokens.push_back(cur);
    std::vector<std::string> lines;
    std::string line;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::string t = tokens[i];
        if (!line.empty() && text_width(cr, line + t) > max_w) {
            if (lines.size() + 1 == max_lines) {  // the rest goes on the last line, shortened
                for (std::size_t j = i; j < tokens.size(); ++j) line += tokens[j];
                break;
            }
            lines.push_back(line);
            line.clear();
            while (!t.empty() && t.front() == ' ') t.erase(t.begin());
        }
        line += t;
    }
    if (!line.empty()) lines.push_back(line);
    for (std::string& l : lines) l = fit(cr, l, max_w);
    return lines;
}

std::string hz_label(double f) {
    if (f >= 1000) return fmt::format("{:g}k", std::round(f / 100) / 10);
    return fmt::format("{:g}", f);
}
std::string freq_text(double f) {
    if (f >= 1000) return fmt::format("{:g} kHz", std::round(f / 100) / 10);
    return fmt::format("{:g} Hz", std::round(f));
}
// 1, 2 or 5 x 10^k, the smallest not below raw.

}  // namespace earshot::detail::timeline
