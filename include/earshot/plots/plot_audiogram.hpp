#pragma once
// Clinical audiogram plot of a listener (cairo): PNG, or SVG when the path ends in .svg.
// Conventions: log-frequency x axis 125..8000 Hz (to 16000 when an audiogram goes above 8 kHz) labelled
// at octaves; hearing level in dB HL increasing DOWNWARD from -10 to 120; right ear red O joined by
// solid lines, left ear blue X joined by dashed lines; bone conduction as unjoined < (right) and > (left);
// grid; title with the listener's name; WHO 2021 grade bands lightly shaded.
#include <filesystem>

#include "earshot/hearing/listener.hpp"

namespace earshot {

struct AudiogramPlotOptions {
    int width_px = 900;
    int height_px = 600;
    bool grade_bands = true;  ///< shade the WHO grades (normal < 20, mild, moderate, ... complete >= 95 dB HL)
};

/// Writes the plot atomically (temp file + rename). Throws ConfigError for an extension other than
/// .png/.svg and IoError ("<path>: ...") when the file cannot be written.
void plot_audiogram(const Listener& listener, const std::filesystem::path& out, const AudiogramPlotOptions& options = {});

}  // namespace earshot
