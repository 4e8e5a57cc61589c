#pragma once
// Offline rendering of one audio file as a listener hears it: the single offline path every front end
// uses (the CLI now, Python later). It streams (constant memory, any length) through the same block
// processors as live use:
//   [pass 1, only with level_db_spl: ActiveLevelMeter over the whole file, all channels pooled]
//   read block -> channel routing (docs/rendering.md) -> [resample 8..16 kHz inputs to 16 kHz]
//     -> input guard (huge/non-finite samples clamped, dsp/input_guard.hpp) -> Engine (engine/engine.hpp:
//        ListenerProcessor or ScenePlayer)
//     -> [resample back] -> output guard (non-finite samples replaced, counted) -> [Limiter] -> write block
// Channel routing: 1 channel: mono, or both ears (stereo out) when the listener's ears differ or
// mono_to_both_ears; 2 channels: left, right; 5.1/7.1 (the file's channel map, else the standard order for 6
// and 8 channels): ITU-R BS.775 down-mix to the two ears (dsp/downmix.hpp); any other count without a map
// known to the down-mix: refused (IoError naming the count and --ear). With hearing.ear set, every channel is
// heard by that ear as it is (the output keeps the input's channels).
// OUTPUT IS ALIGNED WITH THE INPUT: the first latency_samples() output frames of the chain are dropped
// and the tail is flushed by feeding zeros, so the output has exactly the input's frame count and rate
// (channels: by the routing above), and an input event at frame n is at frame n of the output. Resampled
// inputs include both resamplers' latencies, padded at 16 kHz to a whole number of input samples.
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
#include <string_view>
#include <vector>

#include "earshot/core/calibration.hpp"
#include "earshot/engine/description.hpp"
#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/hearing/listener.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/scene/scene.hpp"

namespace earshot {

class ModelCache;

/// A file render: what to simulate (a Description: listener, implant, scene, calibration, model options; composed
/// and validated by engine/description.hpp's compose()) and how the files are handled.
struct RenderOptions {
    Description description;
    /// Output encoding; unset: by the output extension (audio_format_for_path: .wav float32, .flac 24-bit).
    std::optional<AudioFormat> format;
    std::size_t block_frames = 8192;   ///< streaming block size (memory use is proportional to it)
    /// The body bus of a scene (same rate as the input; 1 channel or the output's): mixed after the simulation.
    std::optional<std::filesystem::path> body;
    /// Called once at the end, before the audio output is committed (an exception from it leaves no audio), with
    /// the outside (input) and inside (output) mono mixes, when set (for figures).
    std::function<void(const std::vector<float>& outside, const std::vector<float>& inside, double sample_rate_hz)> on_finished;
    /// Set by a batch: renders with equal keys have equal descriptions, so render_file may take the engine from
    /// its ModelCache (engine/model_cache.hpp); empty: a fresh engine.
    std::string model_key;
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
    std::uint64_t clamped_input_samples = 0;  ///< model input samples beyond +-1e4 (+80 dBFS) clamped (input_guard.hpp)
    std::uint64_t nonfinite_output_samples = 0;  ///< non-finite output samples replaced by 0 (the final guard)
    double peak_dbfs = 0;                     ///< sample peak of the output, dBFS (-inf for silence)
    std::vector<std::string> notes;           ///< one line each: what the render did (stereo from mono, down-mix, resampling)
    std::vector<std::string> warnings;        ///< one line each (model set-up notes, NaN count, limiter, lengths, clipping)
};

/// The lowest input rate rendered: 8 kHz (telephone). Inputs from here to the model's 16 kHz are resampled to
/// 16 kHz for the model and back; the model's own range is params::sample_rate_hz.
inline constexpr double kMinInputRateHz = 8000.0;

/// Input channels -> the channels the model hears: out = gains (out_channels x in_channels, row-major) * in.
struct ChannelRoute {
    std::size_t in_channels = 0, out_channels = 0;
    std::vector<double> gains;
    std::string note;  ///< one line when the routing changes the layout (mono to stereo, down-mix); else empty
};
/// The routing render_file uses (see the top of this file); throws IoError naming `in` for a layout without a rule.
ChannelRoute route_channels(const AudioInfo& info, const std::filesystem::path& in, const Composition& composition);
/// The same for options.description (composed: ConfigError for an invalid one).
ChannelRoute route_channels(const AudioInfo& info, const std::filesystem::path& in, const RenderOptions& options);

/// Renders `in` to `out`. progress (optional) is called with the completed fraction 0..1, from the
/// calling thread, at most once per block. Throws ConfigError for invalid options (exit code 2 in the
/// CLI), IoError for unreadable/unwritable files or unsupported sample rates, Error for a silent file
/// with level_db_spl; every message is one line naming the file or parameter.
/// cache (optional, with options.model_key set): the engine is taken from it (built there on a miss).
RenderReport render_file(const std::filesystem::path& in, const std::filesystem::path& out,
                         const RenderOptions& options, const std::function<void(double)>& progress = {},
                         ModelCache* cache = nullptr);

/// Where a render reads: a file (AudioReader) or memory (render_buffer). read() as AudioReader::read (non-finite
/// samples replaced by 0 and counted); reopen(): a second, independent source from the start (the metering pass).
class AudioSource {
public:
    virtual ~AudioSource() = default;
    virtual const AudioInfo& info() const noexcept = 0;
    virtual std::size_t read(AudioView<float> out) = 0;
    virtual std::uint64_t nonfinite_count() const noexcept = 0;
    virtual std::unique_ptr<AudioSource> reopen() const = 0;
};
/// Where a render writes: an AudioWriter or memory. commit() once, after the last write.
class AudioSink {
public:
    virtual ~AudioSink() = default;
    virtual void write(AudioView<const float> block) = 0;
    virtual void commit() = 0;
    virtual std::uint64_t clipped_samples() const noexcept = 0;
    virtual double peak_dbfs() const noexcept = 0;
};
/// The ends of one render_stream: names for the messages, the body bus (opened after the model is prepared) and
/// the sink (created after every check, so a failure before it leaves nothing behind).
struct StreamEnds {
    std::string in_name, out_name, body_name;
    AudioFormat format = AudioFormat::wav_float32;  ///< reported, and named in the clipping warning
    std::function<std::unique_ptr<AudioSource>()> open_body;  ///< unset: no body bus
    std::function<std::unique_ptr<AudioSink>(const AudioInfo& in, std::size_t channels,
                                             std::vector<std::string>& warnings)> open_sink;
};
/// The one render loop (routing, metering, resampling, guards, engine, limiter; the top of this file):
/// render_file and render_buffer are it with file or memory ends. options.body and options.format are not read
/// (the ends carry them).
RenderReport render_stream(AudioSource& in, const StreamEnds& ends, const RenderOptions& options,
                           const std::function<void(double)>& progress = {}, ModelCache* cache = nullptr);
/// "<in>: sample rate <fs> Hz is out of range [8000, 96000] Hz (...)": the one message for an input rate.
std::string input_rate_message(std::string_view in, double fs);

/// An interleaved float buffer (frames x channels, not owned) as a render input.
struct InterleavedAudio {
    const float* data = nullptr;
    std::size_t frames = 0, channels = 0;
    double sample_rate_hz = 0;
};
/// An in-memory render through render_stream: `in` as if it were a float32 file of that rate and layout
/// (named in_name in messages, e.g. "x"), the output interleaved into `out` (frames x report.num_channels,
/// resized), bit for bit what render_file writes to a float32 WAV for the same samples and options. body: the
/// scene's body bus (same rate; 1 channel or the output's); without it, options.body (a file) when set. Bad rates
/// and layouts of `in` are ConfigError here (a buffer is a value, not a file); the rest as render_file.
RenderReport render_buffer(const InterleavedAudio& in, std::vector<float>& out, const RenderOptions& options,
                           const InterleavedAudio* body = nullptr, std::string_view in_name = "input",
                           std::string_view body_name = "body", const std::function<void(double)>& progress = {});

/// True when a and b name the same file (existing: same inode; else same weakly canonical path).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace earshot
