#pragma once
// The electrodogram of an audio file, written as CSV: the one path every front end uses (the CLI's
// `earshot electrodogram`, Python later).
//   read the whole file, mixed to mono (read_mono_file), at a rate the strategies accept
//     (params::electrodogram_input_rate_hz, 8..192 kHz; resampled to the strategy's audio rate)
//   calibrate (engine/description.hpp): absolute (0 dBFS = full_scale_db_spl), or the file presented at
//     present_at_db_spl by its level measured here (LevelMeter: MSBG active level or overall RMS, dBFS re a
//     full-scale sine)
//   code it (implant/implant_processor.hpp: electrodogram_of) and count it (implant/electrodogram_summary.hpp)
//   write the CSV (implant/electrodogram.hpp) staged in a temp file, committed after on_finished (a figure):
//     a failure of either leaves neither.
// Nothing overwritten (io/output_plan.hpp): the CSV and the figure against the input, the implant file and
// each other. Bad input: one line naming the file or parameter and the accepted range.
#include <filesystem>
#include <functional>
#include <optional>

#include "earshot/core/calibration.hpp"
#include "earshot/engine/description.hpp"
#include "earshot/implant/electrodogram.hpp"
#include "earshot/implant/electrodogram_summary.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/audio_file.hpp"

namespace earshot {

struct ElectrodogramFileResult {
    Electrodogram electrodogram;
    MonoAudio input;                   ///< the file as coded (mono, its own rate)
    CalibrationSpec calibration;       ///< as given, with measured_level_dbfs filled when presented at a level
    Calibration resolved;              ///< the calibration the strategy ran with
    ElectrodogramSummary summary;
};

struct ElectrodogramFileOptions {
    CalibrationSpec calibration;
    /// The implant file the parameters came from (an input too: never overwritten); unset for a preset.
    std::optional<std::filesystem::path> implant_file;
    /// A figure drawn by on_finished (.png or .svg; an output too, "--plot" in messages).
    std::optional<std::filesystem::path> plot;
    /// Called before the CSV is committed (an exception from it leaves no CSV): draws the figure, staged.
    std::function<void(const ElectrodogramFileResult&)> on_finished;
};

/// Throws ConfigError (an output that is not .csv, a figure that is not .png/.svg, a level out of range) or
/// IoError (the files, the rate, a silent input presented at a level).
ElectrodogramFileResult electrodogram_file(const std::filesystem::path& in, const std::filesystem::path& out,
                                           const ImplantParams& implant, const ElectrodogramFileOptions& options);

}  // namespace earshot
