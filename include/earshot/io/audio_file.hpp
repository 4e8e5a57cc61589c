#pragma once
// Audio files through libsndfile. Reading: WAV/FLAC/OGG/Opus/MP3/AIFF (whatever libsndfile opens),
// delivered as planar float blocks on the file's own scale (integer formats normalised to [-1, 1)).
// Writing: WAV (float32, 16/24-bit) or FLAC (16/24-bit), atomically: samples go to a hidden temp
// file next to the output (`<dir>/.<name>.tmp-<pid>-<n>`), commit() fsyncs and renames it over the
// output; a writer destroyed without commit() removes the temp, so a failure never leaves a partial
// file. Every failure is an IoError whose message is one line naming the file.
//
// Test hook: when the environment variable EARSHOT_TEST_FAIL_WRITE_AFTER_FRAMES=N is set, every
// AudioWriter behaves as if the disk filled up after N frames (a short write), so the "disk full"
// path can be tested without filling a disk.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
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
    /// The file's channel map, one SF_CHANNEL_MAP_* value (sndfile.h) per channel; empty when the file has none.
    std::vector<int> channel_map;
};

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
    std::uint64_t nonfinite_ = 0;
    std::vector<float> interleaved_;  // read buffer, grown on demand
};

class AudioWriter {
public:
    /// Creates the temp file next to `out`; throws IoError when the directory does not exist or is not
    /// writable, when `out` is an existing directory or non-regular file, or when the format cannot
    /// hold the rate/channel count (FLAC: at most 8 channels).
    AudioWriter(const std::filesystem::path& out, AudioFormat format, double sample_rate_hz,
                std::size_t num_channels);
    /// Removes the temp file unless commit() succeeded.
    ~AudioWriter();
    AudioWriter(const AudioWriter&) = delete;
    AudioWriter& operator=(const AudioWriter&) = delete;

    /// Appends frames; integer formats clip at full scale. Throws IoError "<out>: write failed (disk
    /// full?) ..." on a short write.
    void write(AudioView<const float> block);
    /// Finishes the file, fsyncs it, renames it over `out` and fsyncs the directory. Throws IoError.
    void commit();

    const std::filesystem::path& path() const noexcept { return out_; }
    const std::filesystem::path& temp_path() const noexcept { return temp_; }
    std::uint64_t frames_written() const noexcept { return frames_; }

private:
    void discard() noexcept;

    std::filesystem::path out_;
    std::filesystem::path temp_;
    std::size_t num_channels_ = 0;
    void* sf_ = nullptr;  // SNDFILE*
    int fd_ = -1;
    bool committed_ = false;
    std::uint64_t frames_ = 0;
    std::optional<std::uint64_t> fail_after_frames_;  // test hook, see the top of this file
    std::vector<float> interleaved_;
};

}  // namespace earshot
