// The scene timeline's labels and layout: every label, lane and panel in pixels (timeline_parts.hpp).
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
int free_row(std::vector<std::vector<Placed>>& rows, double a, double b, int max_rows, int first) {
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

}  // namespace earshot::detail::timeline
