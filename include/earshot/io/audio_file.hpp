#pragma once
// Audio files through libsndfile. Reading: WAV/FLAC/OGG/Opus/MP3/AIFF (whatever libsndfile opens),
// delivered as planar float blocks on the file's own scale (integer formats normalised to [-1, 1)).
// Writing: WAV (float32, 16/24-bit) or FLAC (16/24-bit), atomically through a TempFile (temp_file.hpp:
// O_EXCL, unpredictable hidden name next to the output, removed on failure and on SIGINT/SIGTERM/SIGHUP);
// commit() fsyncs and renames it over the output. Every failure is an IoError whose message is one line
// naming the file.
// Long outputs: a WAV whose samples would pass the 32-bit RIFF size (4 GiB) is written as RF64 (EBU Tech
// 3306, libsndfile SF_FORMAT_RF64), decided up front from the expected frame count; a WAV write that would
// pass 4 GiB anyway (more frames than expected) fails with one line instead of wrapping the size field.
// Reproducible: no PEAK chunk (its time stamp would make two identical renders differ); metadata (WAV
// INFO/LIST strings, FLAC/Vorbis comments, the channel map) read by AudioReader can be copied through
// AudioWriterOptions.
// Clipping: integer formats (16/24-bit) clip at full scale; the writer counts the samples with |x| > 1
// and their peak, so that callers can report them.
//
// Test hook: when the environment variable EARSHOT_TEST_FAIL_WRITE_AFTER_FRAMES=N is set, every
// AudioWriter behaves as if the disk filled up after N frames (a short write), so the "disk full"
// path can be tested without filling a disk. EARSHOT_TEST_RF64_THRESHOLD_BYTES=N lowers the 4 GiB
// limit of plain WAV to N bytes (RF64 decision and the overflow guard), so both are tested with small files.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "earshot/core/audio_view.hpp"

namespace earshot {

/// Output encodings. Float WAV is the default: renders of severe losses sit 80-110 dB under the input,
/// below what 16-bit integer samples resolve.
enum class AudioFormat { wav_float32, wav_pcm16, wav_pcm24, flac_pcm16, flac_pcm24 };

/// "wav32", "wav16", "wav24", "flac16", "flac24" -> format; nullopt for anything else.
std::optional<AudioFormat> parse_audio_format(std::string_view name) noexcept;
/// The inverse of parse_audio_format ("wav32", ...).
std::string_view audio_format_name(AudioFormat format) noexcept;
/// ".wav" or ".flac".
std::string_view audio_format_extension(AudioFormat format) noexcept;
/// Default format for an output path by its extension (case-insensitive): .wav -> wav32,
/// .flac -> flac24; throws ConfigError naming the path for any other extension.
AudioFormat audio_format_for_path(const std::filesystem::path& out);

struct AudioInfo {
    double sample_rate_hz = 0;
    std::size_t num_channels = 0;
    std::uint64_t num_frames = 0;  ///< as the header states (a truncated file may deliver fewer)
    std::string format;            ///< human-readable, e.g. "WAV 16-bit PCM"
    /// Frames the header claims when it claims more than the file holds (libsndfile then reports the
    /// frames actually present in num_frames); 0 when the header is consistent or says nothing.
    std::uint64_t claimed_frames = 0;
    /// Text metadata (libsndfile SF_STR_* id, value): WAV INFO/LIST strings, FLAC/Vorbis comments.
    std::vector<std::pair<int, std::string>> strings;
    /// Channel map (SF_CHANNEL_MAP_* values, one per channel; from the WAV channel mask, CAF...), empty if none.
    std::vector<int> channel_map;
};

/// What an AudioWriter needs to know up front besides the format.
struct AudioWriterOptions {
    /// Frames that will be written (0 = unknown): a WAV whose data would pass 4 GiB is written as RF64.
    std::uint64_t expected_frames = 0;
    /// Metadata to copy (from AudioInfo::strings); ids the output format cannot hold are skipped.
    std::vector<std::pair<int, std::string>> strings;
    /// Channel map to write (from AudioInfo::channel_map; must have num_channels entries, else ignored).
    std::vector<int> channel_map;
};

/// Bytes above which a plain WAV cannot hold the data (the 32-bit RIFF size, minus room for the header
/// chunks); EARSHOT_TEST_RF64_THRESHOLD_BYTES overrides it (see above).
std::uint64_t wav_size_limit_bytes();
/// True when `frames` x `channels` x `bytes_per_sample` does not fit a plain WAV of `limit_bytes`.
bool wav_needs_rf64(std::uint64_t frames, std::size_t channels, std::size_t bytes_per_sample,
                    std::uint64_t limit_bytes = wav_size_limit_bytes()) noexcept;

class AudioReader {
public:
    /// Opens and inspects the file; throws IoError ("<path>: <reason>") when it is missing, a
    /// directory, unreadable, empty, corrupt/truncated or in a format libsndfile does not read.
    explicit AudioReader(const std::filesystem::path& path);
    ~AudioReader();
    AudioReader(const AudioReader&) = delete;
    AudioReader& operator=(const AudioReader&) = delete;

    const AudioInfo& info() const noexcept { return info_; }
    const std::filesystem::path& path() const noexcept { return path_; }

    /// Reads up to out.num_frames() frames into out (which must have info().num_channels channels);
    /// returns the number of frames read, 0 at the end. Non-finite samples (NaN, +-Inf) are replaced by
    /// 0 and counted. Throws IoError on a read error.
    std::size_t read(AudioView<float> out);
    /// Non-finite samples replaced so far.
    std::uint64_t nonfinite_count() const noexcept { return nonfinite_; }

private:
    std::filesystem::path path_;
    AudioInfo info_;
    void* sf_ = nullptr;  // SNDFILE*
    int fd_ = -1;
    bool mpeg_ = false;
    std::uint64_t nonfinite_ = 0;
    std::vector<float> interleaved_;  // read buffer, grown on demand
};

class TempFile;

class AudioWriter {
public:
    /// Creates the temp file next to `out`; throws IoError when the directory does not exist or is not
    /// writable, when `out` is an existing directory or non-regular file, or when the format cannot
    /// hold the rate/channel count (FLAC: at most 8 channels).
    AudioWriter(const std::filesystem::path& out, AudioFormat format, double sample_rate_hz,
                std::size_t num_channels, const AudioWriterOptions& options = {});
    /// Removes the temp file unless commit() succeeded.
    ~AudioWriter();
    AudioWriter(const AudioWriter&) = delete;
    AudioWriter& operator=(const AudioWriter&) = delete;

    /// Appends frames; integer formats clip at full scale (counted, see clipped_samples()). Throws IoError
    /// "<out>: write failed (disk full?) ..." on a short write, IoError when a plain WAV would pass 4 GiB,
    /// Interrupted after SIGINT/SIGTERM/SIGHUP in cooperative mode (temp_file.hpp).
    void write(AudioView<const float> block);
    /// Finishes the file, fsyncs it, renames it over `out` and fsyncs the directory. Throws IoError.
    void commit();

    const std::filesystem::path& path() const noexcept { return out_; }
    const std::filesystem::path& temp_path() const noexcept;
    std::uint64_t frames_written() const noexcept { return frames_; }
    /// True when the file is written as RF64 (its data would not fit a plain WAV).
    bool rf64() const noexcept { return rf64_; }
    /// Integer formats: samples written with |x| > 1 (clipped to full scale) and the largest |x| in dBFS
    /// (20 log10 |x|; -inf when nothing was written). Float WAV: 0 clipped, peak still measured.
    std::uint64_t clipped_samples() const noexcept { return clipped_; }
    double peak_dbfs() const noexcept;

private:
    void discard() noexcept;

    std::filesystem::path out_;
    std::unique_ptr<TempFile> temp_;
    std::size_t num_channels_ = 0;
    std::size_t bytes_per_sample_ = 4;
    bool integer_ = false;
    bool wav_ = false;
    bool rf64_ = false;
    std::uint64_t wav_limit_ = 0;
    std::uint64_t clipped_ = 0;
    float peak_ = 0;
    void* sf_ = nullptr;  // SNDFILE*
    bool committed_ = false;
    std::uint64_t frames_ = 0;
    std::optional<std::uint64_t> fail_after_frames_;  // test hook, see the top of this file
    std::vector<float> interleaved_;
};

/// A whole file mixed to one channel (the mean of its channels), for analyses that need it all in memory
/// (scores, electrodograms). Non-finite samples are replaced by 0 and counted.
struct MonoAudio {
    std::vector<float> samples;
    double rate_hz = 0;
    std::uint64_t nonfinite = 0;  ///< NaN/Inf samples replaced by 0
};
/// Throws IoError as AudioReader does, and when the file holds no frames.
MonoAudio read_mono_file(const std::filesystem::path& path);

/// The one-line reason a file has no level to measure, telling silence from non-finite samples:
/// "<path>: <why> (<what>)", e.g. for --level-db-spl.
std::string no_signal_message(const std::filesystem::path& path, std::uint64_t nonfinite, std::string_view what);

}  // namespace earshot
