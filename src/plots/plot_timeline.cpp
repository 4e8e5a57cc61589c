#include "earshot/plots/plot_timeline.hpp"

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
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>

#include "earshot/core/error.hpp"
#include "figure_file.hpp"
#include "plot_kit.hpp"
#include "earshot/dsp/fft.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot {
namespace fs = std::filesystem;

double TimelineFrame::y_freq(double ya, double yb, double f_hz) const {
    return yb - (yb - ya) * std::log(f_hz / f_lo_hz) / std::log(f_hi_hz / f_lo_hz);
}

namespace {
namespace plot = detail::plot;  // plot_kit.hpp
using plot::Rgb;
using plot::cap::text;
using plot::text_width;
using plot::cap::vertical_text;
using plot::nice_step;
using plot::decimals_for;

constexpr double kFreqLo = 50.0;
constexpr int kMaxKeyRows = 3, kMaxEventRows = 5;
constexpr double kGap = 8;  // px between labels sharing a row

constexpr Rgb kKeyInk{0.13, 0.15, 0.24};
constexpr Rgb kTransition{0.22, 0.42, 0.78};
constexpr Rgb kPop{0.82, 0.13, 0.10};
constexpr Rgb kTinnitus{0.93, 0.52, 0.05};
constexpr Rgb kPov{0.16, 0.36, 0.82};
constexpr Rgb kBody{0.05, 0.55, 0.30};
constexpr Rgb kText{0.10, 0.10, 0.12};
constexpr Rgb kNote{0.30, 0.30, 0.36};

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

void set(cairo_t* cr, Rgb c, double alpha = 1.0) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }
void grey(cairo_t* cr, double v) { cairo_set_source_rgb(cr, v, v, v); }
void font(cairo_t* cr, double size, bool bold = false) {
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

// A cairo context for measuring text while laying out (the drawing surfaces measure the same toy font).
struct Measure {
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t* cr = cairo_create(s);
    Measure() = default;
    Measure(const Measure&) = delete;
    Measure& operator=(const Measure&) = delete;
    ~Measure() {
        cairo_destroy(cr);
        cairo_surface_destroy(s);
    }
};

// Font sizes.
constexpr double kKeyFont = 12.5, kKeyNoteFont = 11, kLaneFont = 11, kAxisFont = 12, kTitleFont = 17;
constexpr double kKeyLine = 14;          // px between a keyframe label's lines
constexpr double kKeyPad = 5, kMinKeyRoom = 70, kMinKeyRoom3 = 120, kMaxBoxedWidth = 260;
constexpr double kEventRow = 19, kTransitionLane = 21;
constexpr double kBodyInset = 7;  // px between the body-gain scale's ends and the automation strip's edges

// An item occupying [a, b] in one row of a lane.
struct Placed {
    double a = 0, b = 0;
    int row = 0;
};

struct KeyLabel {
    std::string num;                // "3", bold, next to the line
    double indent = 0;              // the number's width and a gap: the text starts (or ends) this far from tx
    std::vector<std::string> head;  // "listener, severity 0.5" (what changes), wrapped; may be empty
    std::vector<std::string> note;  // what the ears do ("implant on", "processor off"), wrapped; may be empty
    double tx = 0;                  // text anchor x
    bool right = false;             // right-aligned at tx (left of the line) instead of left-aligned
    bool boxed = false;             // in a row below, on a white box (no room between the lines)
    Placed p;
};
struct TransitionItem {
    double t_start = 0, t_end = 0;
    Curve curve = Curve::linear;
    std::string label;  // "" when it does not fit
    double tx = 0, ax = 0.5;
};
struct EventItem {
    bool pop = false;
    std::size_t index = 0;
    double t_start = 0, t_visible_end = 0;  // tinnitus: until its release ends (ring-out: 60 dB down)
    std::string label;
    double tx = 0;
    Placed p;
};

struct Layout {
    TimelineFrame fr;
    double length_s = 0;  // of the audio
    std::vector<KeyLabel> keys;
    int key_rows = 0;
    double key_row_h = 0, key_y0 = 0;
    std::vector<TransitionItem> transitions;
    double trans_y0 = 0, trans_y1 = 0;
    std::vector<EventItem> events;
    int event_rows = 0;
    double events_y0 = 0;
    bool body = false;
    double body_top_db = 0, body_bottom_db = -60;
    double bar_x = 0;
    double top_text_y = 0;
    double body_y(double db) const {
        const double u = (std::clamp(db, body_bottom_db, body_top_db) - body_bottom_db) / (body_top_db - body_bottom_db);
        return fr.automation_y1 - kBodyInset - (fr.automation_y1 - fr.automation_y0 - 2 * kBodyInset) * u;
    }
};

// What a keyframe's ears do, for its label's second line ("" when nothing is switched).
std::string ear_note(const Scene& s, std::size_t i, Ear e) {
    const Keyframe& k = s.keyframes[i];
    const EarDevice& d = k.listener.device(e);
    const EarState& st = k.ear(e);
    const bool new_implant = d.implant && (i == 0 || !s.keyframes[i - 1].listener.device(e).implant ||
                                           s.keyframes[i - 1].listener.device(e).implant->name != d.implant->name);
    const std::string name = new_implant ? " (" + d.implant->name + ")" : std::string();
    if (st.processor_off) return "processor off" + name;  // nothing from outside, whatever the implant does
    if (!d.implant) return "";
    std::string note = st.implant_on ? "implant on" : "implant off";
    if (st.implant_on && st.intensity < 1.0) note += fmt::format(" {:g}", st.intensity);
    return note + name;
}

bool same_audiogram(const Audiogram& a, const Audiogram& b) { return a.freqs_hz == b.freqs_hz && a.hl_db == b.hl_db; }

// The listener part of a keyframe's label: its listener when it differs from the previous keyframe's (by name or
// by audiogram), and its severity when not 1 or changed.
std::string keyframe_head(const Scene& s, std::size_t i) {
    const Keyframe& k = s.keyframes[i];
    std::vector<std::string> parts;
    const Keyframe* prev = i > 0 ? &s.keyframes[i - 1] : nullptr;
    const bool changed = !prev || prev->listener_label != k.listener_label ||
                         !same_audiogram(prev->listener.left.air, k.listener.left.air) ||
                         !same_audiogram(prev->listener.right.air, k.listener.right.air) ||
                         !same_audiogram(prev->listener.left.bone, k.listener.left.bone) ||
                         !same_audiogram(prev->listener.right.bone, k.listener.right.bone);
    if (changed) parts.push_back(k.listener_label);
    if (k.severity != 1.0 || (prev && prev->severity != k.severity)) parts.push_back(fmt::format("severity {:g}", k.severity));
    return fmt::format("{}", fmt::join(parts, ", "));
}

std::string keyframe_note(const Scene& s, std::size_t i) {
    const std::string l = ear_note(s, i, Ear::left), r = ear_note(s, i, Ear::right);
    if (l == r) return l;
    std::string out;
    if (!l.empty()) out = "L: " + l;
    if (!r.empty()) out += (out.empty() ? "" : " \u00b7 ") + std::string("R: ") + r;
    return out;
}

std::string tinnitus_label(const TinnitusEvent& e) {
    std::string s = "tinnitus " + freq_text(e.freq_hz);
    if (e.kind == TinnitusKind::narrowband_noise) s += " noise";
    if (e.kind == TinnitusKind::ring_out) s += " ring-out";
    s += e.level_db_spl ? fmt::format(" {:g} dB SPL", *e.level_db_spl) : fmt::format(" {:g} dB SL", e.level_db_sl.value_or(0));
    if (e.ear != EarSel::both) s += fmt::format(" ({})", ear_sel_name(e.ear));
    return s;
}

double tinnitus_visible_end(const TinnitusEvent& e, double t1) {
    if (std::isfinite(e.end_s)) return e.end_s + e.release_s;
    if (e.kind == TinnitusKind::ring_out) return std::min(t1, e.start_s + e.attack_s + e.decay_s * 60.0 / 8.685889638);
    return t1;
}

// The envelope of a tinnitus event at t, 0..1 (for the shading of its bar): raised-cosine attack and release;
// a ring-out's decay on a 60 dB scale.
double tinnitus_envelope(const TinnitusEvent& e, double t) {
    if (t < e.start_s) return 0;
    double a = e.attack_s > 0 ? std::min(1.0, (t - e.start_s) / e.attack_s) : 1.0;
    a = 0.5 - 0.5 * std::cos(M_PI * a);
    if (e.kind == TinnitusKind::ring_out && t > e.start_s + e.attack_s && e.decay_s > 0)
        a *= std::max(0.0, 1.0 - 8.685889638 * (t - e.start_s - e.attack_s) / e.decay_s / 60.0);
    if (std::isfinite(e.end_s) && t > e.end_s) {
        const double r = e.release_s > 0 ? std::min(1.0, (t - e.end_s) / e.release_s) : 1.0;
        a *= 0.5 + 0.5 * std::cos(M_PI * r);
    }
    return a;
}

// The first row in [first, max_rows) where [a, b] overlaps nothing (rows are added as needed); none: -1.
int free_row(std::vector<std::vector<Placed>>& rows, double a, double b, int max_rows, int first = 0) {
    while (int(rows.size()) < first) rows.emplace_back();
    for (int r = first; r < max_rows; ++r) {
        if (r == int(rows.size())) rows.emplace_back();
        bool ok = true;
        for (const Placed& q : rows[std::size_t(r)])
            if (a < q.b + kGap && q.a < b + kGap) ok = false;
        if (ok) return r;
    }
    return -1;
}

void validate(const std::vector<float>* outside, const std::vector<float>* inside, double rate, const TimelinePlotOptions& o) {
    if (!(rate >= 1000 && rate <= 768000))
        throw ConfigError(fmt::format("timeline plot: sample rate {} Hz is out of range [1000, 768000]", rate));
    if (outside && inside && outside->size() != inside->size())
        throw ConfigError(fmt::format("timeline plot: inside has {} samples and outside {} (they must be the same length, "
                                      "at the same rate)", inside->size(), outside->size()));
    if (o.width_px < 480 || o.width_px > 16000)
        throw ConfigError(fmt::format("timeline plot: width_px {} is out of range [480, 16000]", o.width_px));
    if (o.height_px < 360 || o.height_px > 16000)
        throw ConfigError(fmt::format("timeline plot: height_px {} is out of range [360, 16000]", o.height_px));
    if (o.max_freq_hz != 0 && !(o.max_freq_hz >= 4 * kFreqLo && o.max_freq_hz <= rate / 2))
        throw ConfigError(fmt::format("timeline plot: max_freq_hz {} is out of range [{}, fs/2 = {}] (0: min(fs/2, 16000))",
                                      o.max_freq_hz, 4 * kFreqLo, rate / 2));
    if (!(o.dynamic_range_db >= 10 && o.dynamic_range_db <= 200))
        throw ConfigError(fmt::format("timeline plot: dynamic_range_db {} is out of range [10, 200]", o.dynamic_range_db));
}

Layout make_layout(const Scene& s, std::size_t num_samples, double rate, const TimelinePlotOptions& o) {
    validate(nullptr, nullptr, rate, o);
    Layout L;
    TimelineFrame& fr = L.fr;
    fr.width_px = o.width_px;
    fr.height_px = o.height_px;
    L.length_s = double(num_samples) / rate;
    fr.t0_s = 0;
    fr.t1_s = std::max({L.length_s, s.duration_s.value_or(0.0), s.last_time_s()});
    if (!(fr.t1_s > 0)) fr.t1_s = 1;
    fr.f_lo_hz = kFreqLo;
    fr.f_hi_hz = o.max_freq_hz > 0 ? o.max_freq_hz : std::min(rate / 2, 16000.0);
    fr.fft_size = std::size_t(1) << std::max(8, int(std::lround(std::log2(0.0464 * rate))));  // ~46 ms

    const double W = o.width_px, H = o.height_px;
    fr.x0 = 86;
    fr.x1 = std::floor(W - 100);
    L.bar_x = fr.x1 + 16;
    const double top = 34;
    L.top_text_y = 17;
    Measure m;

    // Keyframe labels, each between its line and the next keyframe's (wrapped at commas and spaces): right of
    // its line, or left of it when there is more room there (the last keyframes). Where neither side has room
    // without shortening the text, the label goes to a row below, on a white box over the lines, packed with the
    // other such labels. The bold number always stands next to the line.
    std::vector<std::vector<Placed>> rows(1);
    double row0_end = fr.x0;
    std::size_t max_lines = 1;
    for (std::size_t i = 0; i < s.keyframes.size(); ++i) {
        const Keyframe& k = s.keyframes[i];
        KeyLabel kl;
        kl.num = fmt::format("{}", i + 1);
        std::string head = keyframe_head(s, i);
        const std::string note = keyframe_note(s, i);
        if (head.empty() && note.empty()) head = "no change";
        font(m.cr, kKeyFont, true);
        kl.indent = text_width(m.cr, kl.num) + 6;
        const double x = std::round(fr.x(k.time_s));
        const double next_x = i + 1 < s.keyframes.size() ? std::round(fr.x(s.keyframes[i + 1].time_s)) : fr.x1 + kKeyPad;
        const double room_right = next_x - x - 2 * kKeyPad, room_left = x - kKeyPad - (row0_end + kGap);
        // Wraps the label into width w, the listener in at most head_lines lines; returns the width used, or -1
        // when the text had to be shortened.
        auto wrap_to = [&](double w, std::size_t head_lines) {
            const double tw = w - kl.indent;
            if (tw < 20) return -1.0;
            font(m.cr, kKeyFont);
            kl.head = head.empty() ? std::vector<std::string>{} : wrap(m.cr, head, tw, head_lines);
            font(m.cr, kKeyNoteFont);
            kl.note = note.empty() ? std::vector<std::string>{} : wrap(m.cr, note, tw, 2);
            double used = 0;
            bool shortened = false;
            auto measure = [&](const std::vector<std::string>& lines) {
                for (const auto& l : lines) {
                    used = std::max(used, text_width(m.cr, l));
                    shortened = shortened || l.find("\u2026") != std::string::npos;
                }
            };
            font(m.cr, kKeyFont);
            measure(kl.head);
            font(m.cr, kKeyNoteFont);
            measure(kl.note);
            return shortened ? -1.0 : kl.indent + used;
        };
        // Between the lines in two lines of listener text, else in three where there is room for them to be
        // readable, else boxed below.
        double w = -1;
        const bool right_first = room_right >= room_left || room_right >= 160;
        for (std::size_t lines : {std::size_t(2), std::size_t(3)}) {
            const double min_room = lines == 2 ? kMinKeyRoom : kMinKeyRoom3;
            for (bool right_side : {right_first, !right_first}) {
                const double room = right_side ? room_right : room_left;
                if (room < min_room || (w = wrap_to(room, lines)) < 0) continue;
                kl.right = !right_side;
                kl.tx = right_side ? x + kKeyPad : x - kKeyPad;
                kl.p = right_side ? Placed{kl.tx, kl.tx + w, 0} : Placed{kl.tx - w, kl.tx, 0};
                row0_end = right_side ? kl.p.b : std::max(row0_end, x);
                break;
            }
            if (w >= 0) break;
        }
        if (w < 0) {
            w = wrap_to(std::min(kMaxBoxedWidth, fr.x1 - fr.x0 - 2 * kKeyPad), 3);
            if (w < 0) w = std::min(kMaxBoxedWidth, fr.x1 - fr.x0 - 2 * kKeyPad);  // shortened all the same
            kl.boxed = true;
            kl.right = x + kKeyPad + w > fr.x1;
            kl.tx = kl.right ? x - kKeyPad : x + kKeyPad;
            const double a = kl.right ? kl.tx - w : kl.tx, b = kl.right ? kl.tx : kl.tx + w;
            int r = free_row(rows, a, b, kMaxKeyRows, 1);
            if (r < 0) r = kMaxKeyRows - 1;  // crowded: overlap in the last row
            kl.p = {a, b, r};
            row0_end = std::max(row0_end, x);
        }
        rows[std::size_t(kl.p.row)].push_back(kl.p);
        max_lines = std::max(max_lines, kl.head.size() + kl.note.size());
        L.keys.push_back(std::move(kl));
    }
    L.key_rows = L.keys.empty() ? 0 : int(rows.size());
    for (; L.key_rows > 1 && rows[std::size_t(L.key_rows - 1)].empty(); --L.key_rows) {}
    L.key_row_h = double(max_lines) * kKeyLine + 8;

    // Transitions: a ramp over [start, keyframe]; its label inside when it fits, else left of it (shortened
    // to the room after the previous keyframe's line and label).
    font(m.cr, kLaneFont);
    double prev_right = fr.x0;
    for (std::size_t i = 0; i < s.keyframes.size(); ++i) {
        const Keyframe& k = s.keyframes[i];
        if (k.transition && k.transition->duration_s > 0) {
            TransitionItem t;
            t.t_start = k.time_s - k.transition->duration_s;
            t.t_end = k.time_s;
            t.curve = k.transition->curve;
            const std::string label = fmt::format("{} {:g} s", curve_name(t.curve), k.transition->duration_s);
            const double xa = fr.x(t.t_start), xb = fr.x(t.t_end), w = text_width(m.cr, label);
            if (w + 10 <= xb - xa) {
                t.label = label;
                t.tx = (xa + xb) / 2;
                t.ax = 0.5;
                prev_right = xb;
            } else {
                t.label = fit(m.cr, label, xa - 4 - (prev_right + kGap));
                if (text_width(m.cr, t.label) < 24) t.label.clear();
                t.tx = xa - 4;
                t.ax = 1;
                prev_right = xb;
            }
            L.transitions.push_back(t);
        } else if (i > 0) {  // a cut: say so left of the line when there is room
            TransitionItem t;
            t.t_start = t.t_end = k.time_s;
            t.tx = std::round(fr.x(k.time_s)) - 5;
            t.ax = 1;
            if (t.tx - text_width(m.cr, "cut") >= prev_right + kGap) t.label = "cut";
            L.transitions.push_back(t);
        }
        prev_right = std::max(prev_right, std::round(fr.x(k.time_s)) + 2);
    }

    // Events: pops (a triangle and its level) and tinnitus bars (label inside when it fits, else after the
    // bar); greedy rows in time order.
    for (std::size_t i = 0; i < s.pops.size(); ++i) {
        EventItem e;
        e.pop = true;
        e.index = i;
        e.t_start = e.t_visible_end = s.pops[i].time_s;
        e.label = fmt::format("pop {:g} dB SPL", s.pops[i].level_db_spl);
        if (s.pops[i].ear != EarSel::both) e.label += fmt::format(" ({})", ear_sel_name(s.pops[i].ear));
        L.events.push_back(e);
    }
    for (std::size_t i = 0; i < s.tinnitus.size(); ++i) {
        EventItem e;
        e.index = i;
        e.t_start = s.tinnitus[i].start_s;
        e.t_visible_end = std::max(e.t_start, tinnitus_visible_end(s.tinnitus[i], fr.t1_s));
        e.label = tinnitus_label(s.tinnitus[i]);
        L.events.push_back(e);
    }
    std::stable_sort(L.events.begin(), L.events.end(), [](const EventItem& a, const EventItem& b) {
        return a.t_start < b.t_start || (a.t_start == b.t_start && a.pop && !b.pop);
    });
    rows.clear();
    for (EventItem& e : L.events) {
        const double xa = fr.x(e.t_start), xb = std::min(fr.x1, fr.x(e.t_visible_end));
        const double w = text_width(m.cr, e.label);
        double a, b;
        if (e.pop) {
            a = xa - 6;
            e.tx = xa + 8;
            b = e.tx + w;
            if (b > fr.x1) {
                e.tx = xa - 8 - w;
                a = e.tx;
                b = xa + 6;
            }
        } else if (w + 12 <= xb - xa) {
            a = xa;
            b = xb;
            e.tx = xa + 6;
        } else {
            a = xa;
            e.tx = xb + 5;
            b = e.tx + w;
            if (b > fr.x1) {
                e.tx = xa - 5 - w;
                a = e.tx;
                b = xb;
            }
        }
        int r = free_row(rows, a, b, kMaxEventRows);
        if (r < 0) r = kMaxEventRows - 1;  // crowded: overlap in the last row
        e.p = {a, b, r};
        rows[std::size_t(r)].push_back(e.p);
    }
    L.event_rows = L.events.empty() ? 0 : int(rows.size());
    for (; L.event_rows > 1 && rows[std::size_t(L.event_rows - 1)].empty(); --L.event_rows) {}

    // Vertical stack.
    fr.lanes_y0 = top;
    L.key_y0 = fr.lanes_y0 + 4;
    L.trans_y0 = L.key_y0 + L.key_rows * L.key_row_h;
    L.trans_y1 = L.trans_y0 + (L.transitions.empty() ? 0 : kTransitionLane);
    L.events_y0 = L.trans_y1 + (L.transitions.empty() ? 0 : 3);
    fr.lanes_y1 = std::round(L.events_y0 + L.event_rows * kEventRow + 4);
    fr.automation_y0 = fr.lanes_y1 + 6;
    fr.automation_y1 = fr.automation_y0 + std::round(std::clamp(0.065 * H, 40.0, 80.0));
    fr.outside_y0 = fr.automation_y1 + 12;
    const double bottom = 50, between = 10;
    const double panel = std::floor((H - bottom - fr.outside_y0 - between) / 2);
    if (panel < 40)
        throw ConfigError(fmt::format("timeline plot: height_px {} is too small for this scene's {} keyframe and {} event rows "
                                      "(needs at least {})", o.height_px, L.key_rows, L.event_rows,
                                      int(std::ceil(H + 2 * (40 - panel)))));
    fr.outside_y1 = fr.outside_y0 + panel;
    fr.inside_y0 = fr.outside_y1 + between;
    fr.inside_y1 = fr.inside_y0 + panel;

    // Body gain scale: 0 dB (or the largest gain) near the top, -60 dB (or the smallest gain) near the bottom,
    // inset so the line stays clear of the POV's at "inside" and "outside".
    L.body = !s.body_gain_db.empty();
    double body_max = 0;
    for (const AutomationPoint& p : s.body_gain_db) {
        body_max = std::max(body_max, 10 * std::ceil(p.value / 10));
        L.body_bottom_db = std::min(L.body_bottom_db, 10 * std::floor(p.value / 10));
    }
    L.body_top_db = body_max;
    return L;
}

// --- spectrogram -----------------------------------------------------------------------------------------

// Levels (dBFS per bin; -inf for silence) of one panel, row-major (rows top to bottom, one column per
// pixel); NaN where the column lies beyond the audio.
std::vector<float> spectrogram(const std::vector<float>& x, double rate, const TimelineFrame& fr, int cols, int rows) {
    const std::size_t N = fr.fft_size, bins = N / 2 + 1;
    RealFft fft(N);
    std::vector<float> win(N), frame(N), power(bins), db(bins);
    std::vector<std::complex<float>> spec(bins);
    double wsum = 0;
    for (std::size_t n = 0; n < N; ++n) {
        win[n] = float(0.5 - 0.5 * std::cos(2 * M_PI * double(n) / double(N)));
        wsum += win[n];
    }
    const double norm_db = -20 * std::log10(wsum / 2);  // a full-scale sine's bin reads 0 dB

    // Per pixel row: the bins it covers (loudest of them), or the fractional bin to interpolate at.
    struct RowMap {
        long b0, b1;
        double frac_bin;
    };
    std::vector<RowMap> map(static_cast<std::size_t>(rows));
    const double ratio = std::log(fr.f_hi_hz / fr.f_lo_hz), bin_hz = rate / double(N);
    for (int r = 0; r < rows; ++r) {
        auto f_at = [&](double from_bottom) { return fr.f_lo_hz * std::exp(ratio * from_bottom / rows); };
        const double lo = f_at(rows - r - 1) / bin_hz, hi = f_at(rows - r) / bin_hz, mid = f_at(rows - r - 0.5) / bin_hz;
        RowMap rm{long(std::ceil(lo)), long(std::floor(hi)), std::min(mid, double(bins - 1))};
        if (rm.b1 - rm.b0 < 1) rm.b0 = rm.b1 = -1;
        rm.b1 = std::min<long>(rm.b1, long(bins) - 1);
        map[std::size_t(r)] = rm;
    }

    std::vector<float> out(std::size_t(rows) * std::size_t(cols));
    const long len = long(x.size());
    const double dt = (fr.t1_s - fr.t0_s) / cols, col_samples = dt * rate;
    const int per_col = std::max(1, int(std::ceil(col_samples / (double(N) / 2))));
    for (int c = 0; c < cols; ++c) {
        const double tc0 = fr.t0_s + c * dt;
        if (tc0 * rate >= double(len)) {
            for (int r = 0; r < rows; ++r) out[std::size_t(r) * std::size_t(cols) + std::size_t(c)] = std::nanf("");
            continue;
        }
        std::fill(power.begin(), power.end(), 0.0f);
        for (int j = 0; j < per_col; ++j) {
            const long centre = long(std::llround((tc0 + dt * (j + 0.5) / per_col) * rate));
            const long start = centre - long(N / 2);
            for (std::size_t n = 0; n < N; ++n) {
                const long i = start + long(n);
                frame[n] = i >= 0 && i < len ? x[std::size_t(i)] * win[n] : 0.0f;
            }
            fft.forward(frame.data(), spec.data());
            for (std::size_t k = 0; k < bins; ++k) power[k] += std::norm(spec[k]);
        }
        const float inv = 1.0f / float(per_col);
        for (std::size_t k = 0; k < bins; ++k) {
            const float p = power[k] * inv;
            db[k] = p > 0 ? float(10 * std::log10(double(p)) + norm_db) : -std::numeric_limits<float>::infinity();
        }
        for (int r = 0; r < rows; ++r) {
            const RowMap& rm = map[std::size_t(r)];
            float v;
            if (rm.b0 >= 0) {
                v = db[std::size_t(rm.b0)];
                for (long k = rm.b0 + 1; k <= rm.b1; ++k) v = std::max(v, db[std::size_t(k)]);
            } else {
                const std::size_t k = std::min(std::size_t(rm.frac_bin), bins - 2);
                const double f = rm.frac_bin - double(k);
                const float a = db[k], b = db[k + 1];
                v = std::isinf(a) || std::isinf(b) ? (f < 0.5 ? a : b) : float(a + f * (b - a));
            }
            out[std::size_t(r) * std::size_t(cols) + std::size_t(c)] = v;
        }
    }
    return out;
}

// --- drawing ---------------------------------------------------------------------------------------------

void draw_image(cairo_t* cr, const std::vector<float>& levels, int cols, int rows, double x0, double y0, double top_db,
                double range_db) {
    std::array<std::uint32_t, 256> lut;
    for (int i = 0; i < 256; ++i) {
        const Rgb c = magma(i / 255.0);
        lut[std::size_t(i)] = 0xFF000000u | (std::uint32_t(std::lround(c.r * 255)) << 16) |
                              (std::uint32_t(std::lround(c.g * 255)) << 8) | std::uint32_t(std::lround(c.b * 255));
    }
    const std::uint32_t no_data = 0xFFDDDDE2u;
    cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cols, rows);
    cairo_surface_flush(img);
    unsigned char* data = cairo_image_surface_get_data(img);
    const int stride = cairo_image_surface_get_stride(img);
    for (int r = 0; r < rows; ++r) {
        auto* px = reinterpret_cast<std::uint32_t*>(data + std::ptrdiff_t(r) * stride);
        const float* v = &levels[std::size_t(r) * std::size_t(cols)];
        for (int c = 0; c < cols; ++c) {
            if (std::isnan(v[c])) {
                px[c] = no_data;
                continue;
            }
            const double u = (double(v[c]) - (top_db - range_db)) / range_db;  // -inf -> 0
            // clamped as a double: converting -inf (silence) to int is undefined
            px[c] = lut[std::size_t(std::clamp(u * 255 + 0.5, 0.0, 255.0))];
        }
    }
    cairo_surface_mark_dirty(img);
    cairo_save(cr);
    cairo_set_source_surface(cr, img, x0, y0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, x0, y0, cols, rows);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

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

void frame_rect(cairo_t* cr, const TimelineFrame& fr, double ya, double yb, double v = 0.55) {
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
