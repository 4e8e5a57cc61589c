#pragma once
// Scene timeline figure (cairo): PNG, or SVG when the path ends in .svg. What a sound designer reads to see
// what a scene does to a sound, top to bottom on one time axis:
//  * lanes: the keyframes (a vertical line each, labelled with its number, its listener when it changes, its
//    severity when not 1 or changed, and per ear "implant on" / "implant off" / "processor off", with the
//    implant's name when it is new to the ear; wrapped between the lines, or on a white box in a row below
//    when there is no room there); the transitions (a shaded ramp following the curve from its start to its
//    keyframe, labelled with the curve and duration; "cut" where there is none); the events (a pop as a red
//    triangle with its level; a tinnitus as a bar from its start to the end of its release, shaded by its
//    attack, release and ring-out decay, labelled "tinnitus 4 kHz noise 10 dB SL");
//  * a small strip with the point-of-view mix (1 = inside, top .. 0 = outside, bottom; inside shaded) and,
//    when the scene automates it, the body-bus gain in dB;
//  * the OUTSIDE (unprocessed input) spectrogram, then the INSIDE (what the listener hears) spectrogram, both
//    on one dB colour scale (magma: black = quiet, light yellow = loud; the top is the 98th percentile of the
//    pixel columns' loudest bins in either panel, rounded up to 5 dB, so a pop does not darken the rest; the
//    bottom dynamic_range_db below it; louder bins saturate), so a loss shows as darker; log frequency from
//    50 Hz up; the keyframe lines continue faintly (dashed, white) through both.
// Spectrogram: STFT with a Hann window, the power of two nearest 46 ms (2048 samples at 44.1 and 48 kHz), one
// image column per pixel; each column averages the power of ceil(column span / half a window) frames spread
// over it, so nothing between columns is skipped. Levels are dBFS per bin (a full-scale sine's bin reads
// 0 dB). Pixel rows narrower than a bin interpolate between bins (in dB); rows wider than a bin take the
// loudest bin, so a tone stays visible at the top of the axis. A 60 s, 44.1 kHz input draws in about 0.3 s.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "earshot/core/temp_file.hpp"
#include "earshot/scene/scene.hpp"

namespace earshot {

struct TimelinePlotOptions {
    std::string title;                 ///< drawn top left (bold); empty: none (the scene's name is not implied)
    int width_px = 1600, height_px = 900;  ///< 480..16000 x 360..16000
    double max_freq_hz = 0;            ///< top of the frequency axis; 0: min(fs/2, 16 kHz); else 200 .. fs/2
    double dynamic_range_db = 80;      ///< colour scale span below its top; 10..200 dB
};

/// Where plot_timeline puts things (pixels, y growing downward), for callers that annotate the picture or
/// test its content. Every strip and panel spans x0..x1 horizontally.
struct TimelineFrame {
    int width_px = 0, height_px = 0;
    double x0 = 0, x1 = 0;                        ///< the shared time axis' left and right edges
    double t0_s = 0, t1_s = 0;                    ///< the times at x0 and x1
    double lanes_y0 = 0, lanes_y1 = 0;            ///< keyframe, transition and event lanes
    double automation_y0 = 0, automation_y1 = 0;  ///< POV (and body gain) strip
    double outside_y0 = 0, outside_y1 = 0;        ///< outside spectrogram
    double inside_y0 = 0, inside_y1 = 0;          ///< inside spectrogram
    double f_lo_hz = 50, f_hi_hz = 0;             ///< frequency axis: f_lo at a panel's bottom, f_hi at its top
    std::size_t fft_size = 0;                     ///< STFT window length (samples)

    double x(double t_s) const { return x0 + (x1 - x0) * (t_s - t0_s) / (t1_s - t0_s); }
    /// The pixel row (fractional) of a frequency in the outside / inside panel (log scale).
    double y_outside(double f_hz) const { return y_freq(outside_y0, outside_y1, f_hz); }
    double y_inside(double f_hz) const { return y_freq(inside_y0, inside_y1, f_hz); }
    /// The height of a POV value (1 = inside, at the top of the automation strip; 0 = outside, at its bottom).
    double y_pov(double inside) const { return automation_y1 - (automation_y1 - automation_y0) * inside; }

private:
    double y_freq(double ya, double yb, double f_hz) const;
};

/// The layout plot_timeline uses for this scene, an input of num_samples at sample_rate_hz and these options
/// (validates like it).
TimelineFrame timeline_plot_frame(const Scene& scene, std::size_t num_samples, double sample_rate_hz,
                                  const TimelinePlotOptions& options = {});

/// Draws the timeline of `scene` over `outside` (the unprocessed input, a mono mix) and `inside` (what the
/// listener hears, a mono mix; same rate and length) and writes it atomically (temp file + rename). The time
/// axis covers the input, extended to the scene's duration_s and latest time when those are later (the
/// spectrograms are light grey where there is no audio). Throws ConfigError for inputs of different
/// lengths, a sample rate outside 1000..768000 Hz or options out of range, and IoError ("<path>: ...") for an
/// extension other than .png/.svg or when the file cannot be written (nothing is left behind).
void plot_timeline(const Scene& scene, const std::vector<float>& outside, const std::vector<float>& inside,
                   double sample_rate_hz, const std::filesystem::path& out_png_or_svg,
                   const TimelinePlotOptions& options = {});

/// The figure's title for `scene` (timeline_figure.cpp): the scene's name, else the figure file's stem.
std::string timeline_title(const Scene& scene, const std::filesystem::path& out);

/// plot_timeline with timeline_title() and the default size and scale, drawn into a TempFile next to `out`
/// (core/temp_file.hpp) and returned uncommitted: the caller commits it together with the audio it shows
/// (render_file's on_finished runs before the audio is committed), or drops it (nothing is left on disk).
std::unique_ptr<TempFile> stage_timeline(const Scene& scene, const std::vector<float>& outside,
                                         const std::vector<float>& inside, double sample_rate_hz,
                                         const std::filesystem::path& out);

}  // namespace earshot
