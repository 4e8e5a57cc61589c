#pragma once
// Offline rendering of one audio file as a listener hears it: the single offline path every front end
// uses (the CLI now, Python later). It streams (constant memory, any length) through the same block
// processors as live use:
//   [pass 1, only with level_db_spl: ActiveLevelMeter over the whole file, all channels pooled]
//   read block -> HearingLoss -> [Limiter] -> write block
// OUTPUT IS ALIGNED WITH THE INPUT: the first latency_samples() output frames of the chain are dropped
// and the tail is flushed by feeding zeros, so the output has exactly the input's frame count, rate and
// channel count, and an input event at frame n is at frame n of the output.
// The output is written atomically (temp file next to it, fsync, rename; see audio_file.hpp): on any
// failure nothing is left on disk. An input is never overwritten (out naming the same file as in,
// through any spelling or symlink, is refused).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "earshot/hearing/calibration.hpp"
#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/hearing/listener.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/scene/scene.hpp"

namespace earshot {

enum class LevelMeasure { active, rms };

struct RenderOptions {
    Listener listener;
    /// "Present the file at L dB SPL" (params::level_db_spl): the file's active level is measured first
    /// and Calibration::present_at(L, active) is used. Unset: absolute calibration, full_scale_db_spl.
    std::optional<double> level_db_spl;
    double full_scale_db_spl = 100.0;  ///< params::full_scale_db_spl; used when level_db_spl is unset
    /// How level_db_spl is measured: MSBG's active level (speech), or the overall RMS of the file (the Nucleus
    /// toolbox's convention, `--level-measure rms`).
    LevelMeasure level_measure = LevelMeasure::active;
    /// A mono input is heard by both ears (stereo output: left ear, right ear); for bimodal/bilateral listeners.
    bool mono_to_both_ears = false;
    HearingLossOptions hearing;
    std::optional<double> limit_dbfs;  ///< sample-peak output ceiling (params::limit_dbfs); unset: no limiter
    /// Output encoding; unset: by the output extension (audio_format_for_path: .wav float32, .flac 24-bit).
    std::optional<AudioFormat> format;
    std::size_t block_frames = 8192;   ///< streaming block size (memory use is proportional to it)
    /// A scene (docs/scene-files.md): the listener changes over time; `listener` is then unused.
    std::shared_ptr<const Scene> scene;
    /// The body bus of a scene (same rate as the input; 1 channel or the output's): mixed after the simulation.
    std::optional<std::filesystem::path> body;
    /// Called once at the end, before the audio output is committed (an exception from it leaves no audio), with
    /// the outside (input) and inside (output) mono mixes, when set (for figures).
    std::function<void(const std::vector<float>& outside, const std::vector<float>& inside, double sample_rate_hz)> on_finished;
};

struct RenderReport {
    std::uint64_t frames = 0;          ///< frames written (= frames read from the input)
    double seconds = 0;                ///< frames / sample rate
    double sample_rate_hz = 0;
    std::size_t num_channels = 0;
    AudioFormat format = AudioFormat::wav_float32;
    std::optional<double> active_level_dbfs;  ///< measured in pass 1 (only with level_db_spl; the RMS level with LevelMeasure::rms)
    Calibration calibration;                  ///< the calibration the model ran with
    std::size_t latency_samples = 0;          ///< chain latency that was compensated
    std::uint64_t nan_count = 0;              ///< non-finite input samples replaced by 0
    std::uint64_t clipped_samples = 0;        ///< integer formats: output samples above full scale (clipped)
    double peak_dbfs = 0;                     ///< output sample peak, dBFS (20 log10 max |x|)
    std::vector<std::string> warnings;        ///< one line each (model set-up notes, NaN count, limiter)
};

/// Renders `in` to `out`. progress (optional) is called with the completed fraction 0..1, from the
/// calling thread, at most once per block. Throws ConfigError for invalid options (exit code 2 in the
/// CLI), IoError for unreadable/unwritable files or unsupported sample rates, Error for a silent file
/// with level_db_spl; every message is one line naming the file or parameter.
RenderReport render_file(const std::filesystem::path& in, const std::filesystem::path& out,
                         const RenderOptions& options, const std::function<void(double)>& progress = {});

/// True when a and b name the same file (existing: same inode; else same weakly canonical path).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace earshot
