#pragma once
// Private to the scene timeline figure (earshot/plots/plot_timeline.hpp documents what it draws): the parts
// its files share. timeline_style.cpp: the colours (magma), fonts and text fitting; timeline_layout.cpp: the
// labels' text and where every label, lane and panel goes (pixels, y downward); timeline_spectrogram.cpp: the
// STFT panels (dBFS per bin) and their image; timeline_lanes.cpp: the keyframe, transition, event and
// automation lanes and the axes; plot_timeline.cpp: the whole figure. The cairo toolkit they all use is
// plot_kit.hpp (shared with the audiogram and electrodogram plots).
#include <cairo.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "earshot/plots/plot_timeline.hpp"
#include "plot_kit.hpp"

namespace earshot::detail::timeline {
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

// --- style (timeline_style.cpp) ---------------------------------------------------------------------------
Rgb magma(double u);  ///< u 0..1 -> the magma colour map (linear between its 17 samples)
void set(cairo_t* cr, Rgb c, double alpha = 1.0);
void grey(cairo_t* cr, double v);
void font(cairo_t* cr, double size, bool bold = false);
/// s shortened with an ellipsis to fit max_w ("" when not even the ellipsis fits).
std::string fit(cairo_t* cr, std::string s, double max_w);
/// s broken into lines of at most max_w (after commas and at spaces), at most max_lines (the last shortened).
std::vector<std::string> wrap(cairo_t* cr, const std::string& s, double max_w, std::size_t max_lines);
std::string hz_label(double f);   ///< "250", "1.5k"
std::string freq_text(double f);  ///< "250 Hz", "1.5 kHz"

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

// --- layout (timeline_layout.cpp) -------------------------------------------------------------------------
std::string ear_note(const Scene& s, std::size_t i, Ear e);  ///< what keyframe i's ear does ("" when nothing)
bool same_audiogram(const Audiogram& a, const Audiogram& b);
std::string keyframe_head(const Scene& s, std::size_t i);  ///< listener (when changed) and severity
std::string keyframe_note(const Scene& s, std::size_t i);  ///< what the ears do
std::string tinnitus_label(const TinnitusEvent& e);
double tinnitus_visible_end(const TinnitusEvent& e, double t1);
double tinnitus_envelope(const TinnitusEvent& e, double t);  ///< 0..1, for the shading of its bar
/// The first row in [first, max_rows) where [a, b] overlaps nothing (rows are added as needed); none: -1.
int free_row(std::vector<std::vector<Placed>>& rows, double a, double b, int max_rows, int first = 0);
/// ConfigError (one line) for inputs or options out of range; outside/inside may be null (layout only).
void validate(const std::vector<float>* outside, const std::vector<float>* inside, double rate, const TimelinePlotOptions& o);
Layout make_layout(const Scene& s, std::size_t num_samples, double rate, const TimelinePlotOptions& o);

// --- spectrogram panels (timeline_spectrogram.cpp) --------------------------------------------------------
/// Levels (dBFS per bin; -inf for silence) of one panel, row-major (rows top to bottom, one column per pixel);
/// NaN where the column lies beyond the audio.
std::vector<float> spectrogram(const std::vector<float>& x, double rate, const TimelineFrame& fr, int cols, int rows);
void draw_image(cairo_t* cr, const std::vector<float>& levels, int cols, int rows, double x0, double y0, double top_db,
                double range_db);

// --- lanes and axes (timeline_lanes.cpp) ------------------------------------------------------------------
void time_grid(cairo_t* cr, const TimelineFrame& fr, double ya, double yb, double step);
void frame_rect(cairo_t* cr, const TimelineFrame& fr, double ya, double yb, double v = 0.55);
void draw_keyframes(cairo_t* cr, const Scene& s, const Layout& L);
void draw_transitions(cairo_t* cr, const Layout& L);
void draw_event_labels(cairo_t* cr, const Scene& s, const Layout& L);
void draw_events(cairo_t* cr, const Scene& s, const Layout& L);
void draw_automation(cairo_t* cr, const Scene& s, const Layout& L);
void freq_axis(cairo_t* cr, const TimelineFrame& fr, double ya, double yb);
void panel_tag(cairo_t* cr, const std::string& name, const std::string& what, double x, double y);

}  // namespace earshot::detail::timeline
