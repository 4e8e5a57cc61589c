#pragma once
// Electrodogram plot (cairo): PNG, or SVG when the path ends in .svg.
// Conventions of the Nucleus MATLAB Toolbox sequence plots and published figures: time (s) along x;
// one row per electrode with electrode 1 (basal, high frequency) at the TOP and the most apical electrode
// at the bottom, like a spectrogram; each pulse a thin vertical line standing on its electrode's baseline,
// its height proportional to the current level (the C level, or the largest level in the window when no C
// level is given, spans 0.9 of the row spacing) and its colour from the same level (colour bar on the
// right); idle slots (level 0) are not drawn. Optional: band centre frequencies as right-hand labels, a
// time window, a title, and the input waveform as a strip above sharing the time axis.
// Pulses are aggregated per pixel column and electrode (the largest level within the column's time
// span), so 10 s of ACE (~10^5 pulses) draws in a few tens of milliseconds; when the window is short
// enough that a pulse is wider than a pixel, each pulse is drawn as a bar of its true duration.
#include <filesystem>
#include <string>
#include <vector>

#include "earshot/implant/electrodogram.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot {

struct ElectrodogramPlotOptions {
    std::string title;
    double start_s = 0, end_s = 0;  ///< time window; 0, 0 = the whole electrodogram (and audio)
    int width_px = 1400, height_px = 800;
    int c_level = 0;                     ///< level drawn as 0.9 row; 0 = the largest level in the window
    std::vector<double> band_centre_hz;  ///< per electrode (index 0 = electrode 1), optional right-hand labels
    const std::vector<float>* audio = nullptr;  ///< optional input waveform drawn as a strip above
    double audio_rate_hz = 0;                   ///< its sample rate (required with audio)
    bool colour_by_level = true;                ///< false: plain dark lines, no colour bar
};

/// The options for an electrodogram made by `implant` (plot_electrodogram_options.cpp): its C level (the largest
/// of its electrodes' C levels, rounded: pulse heights re the map's ceiling), each band's centre frequency on its
/// electrode's row, and the title "<input file name>: <implant name>". The caller adds the window and the audio.
ElectrodogramPlotOptions electrodogram_plot_options(const ImplantParams& implant, const std::filesystem::path& input);

/// Where plot_electrodogram puts things (pixels, y growing downward), for callers that annotate the
/// picture or test its content.
struct ElectrodogramFrame {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  ///< the electrode panel
    double t0_s = 0, t1_s = 0;              ///< the time window shown
    int num_electrodes = 0;
    double wave_y0 = 0, wave_y1 = 0;  ///< waveform strip (equal when there is none)
    double row_height() const { return (y1 - y0) / num_electrodes; }
    /// Baseline of an electrode's row (the row's bottom edge); electrode 1 is the top row.
    double baseline_y(int electrode) const { return y0 + electrode * row_height(); }
    double x(double t_s) const { return x0 + (x1 - x0) * (t_s - t0_s) / (t1_s - t0_s); }
};

/// The layout plot_electrodogram uses for this electrodogram and these options (validates like it).
ElectrodogramFrame electrodogram_plot_frame(const Electrodogram& e, const ElectrodogramPlotOptions& options = {});

/// Writes the plot atomically (temp file + rename). Throws IoError ("<path>: ...") for an extension other
/// than .png/.svg or when the file cannot be written, and ConfigError for inconsistent input (an electrode
/// outside 1..num_electrodes, band_centre_hz not one per electrode, audio without a rate, an empty or
/// reversed window).
void plot_electrodogram(const Electrodogram& e, const std::filesystem::path& out,
                        const ElectrodogramPlotOptions& options = {});

}  // namespace earshot
