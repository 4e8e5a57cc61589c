#include "earshot/io/audio_file.hpp"

#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "earshot/core/error.hpp"

namespace earshot {
namespace fs = std::filesystem;

namespace {

SNDFILE* sf(void* p) noexcept { return static_cast<SNDFILE*>(p); }

// libsndfile messages occasionally carry newlines; every earshot message is one line.
std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

std::string errno_text(int e) { return std::strerror(e); }

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string format_description(int format) {
    SF_FORMAT_INFO major{};
    major.format = format & SF_FORMAT_TYPEMASK;
    SF_FORMAT_INFO sub{};
    sub.format = format & SF_FORMAT_SUBMASK;
    const bool have_major = sf_command(nullptr, SFC_GET_FORMAT_INFO, &major, sizeof major) == 0;
    const bool have_sub = sf_command(nullptr, SFC_GET_FORMAT_INFO, &sub, sizeof sub) == 0;
    std::string s = have_major ? major.name : "unknown container";
    if (have_sub) s += fmt::format(", {}", sub.name);
    return s;
}

int sndfile_format(AudioFormat f) noexcept {
    switch (f) {
        case AudioFormat::wav_float32: return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        case AudioFormat::wav_pcm16: return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
        case AudioFormat::wav_pcm24: return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
        case AudioFormat::flac_pcm16: return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
        case AudioFormat::flac_pcm24: return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
    }
    return 0;
}

constexpr struct {
    AudioFormat format;
    std::string_view name;
} kFormatNames[] = {{AudioFormat::wav_float32, "wav32"},
                    {AudioFormat::wav_pcm16, "wav16"},
                    {AudioFormat::wav_pcm24, "wav24"},
                    {AudioFormat::flac_pcm16, "flac16"},
                    {AudioFormat::flac_pcm24, "flac24"}};

std::atomic<unsigned> g_temp_counter{0};

}  // namespace

std::optional<AudioFormat> parse_audio_format(std::string_view name) noexcept {
    for (const auto& f : kFormatNames)
        if (f.name == name) return f.format;
    return std::nullopt;
}

std::string_view audio_format_name(AudioFormat format) noexcept {
    for (const auto& f : kFormatNames)
        if (f.format == format) return f.name;
    return "?";
}

std::string_view audio_format_extension(AudioFormat format) noexcept {
    return (format == AudioFormat::flac_pcm16 || format == AudioFormat::flac_pcm24) ? ".flac" : ".wav";
}

AudioFormat audio_format_for_path(const fs::path& out) {
    const std::string ext = lower(out.extension().string());
    if (ext == ".wav") return AudioFormat::wav_float32;
    if (ext == ".flac") return AudioFormat::flac_pcm24;
    throw ConfigError(fmt::format("{}: unsupported output extension '{}' (accepted: .wav, .flac; or give --format "
                                  "wav32|wav16|wav24|flac16|flac24)",
                                  out.string(), out.extension().string()));
}

// ---------------------------------------------------------------------------------------------- reader

AudioReader::AudioReader(const fs::path& path) : path_(path) {
    const std::string name = path.string();
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st)) throw IoError(fmt::format("{}: no such file", name));
    if (fs::is_directory(st)) throw IoError(fmt::format("{}: is a directory, not an audio file", name));
    if (!fs::is_regular_file(st)) throw IoError(fmt::format("{}: not a regular file", name));

    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw IoError(fmt::format("{}: cannot open for reading ({})", name, errno_text(errno)));
    struct stat sb {};
    if (::fstat(fd, &sb) == 0 && sb.st_size == 0) {
        ::close(fd);
        throw IoError(fmt::format("{}: empty file (0 bytes)", name));
    }
    SF_INFO info{};
    // close_desc = false: the descriptor stays ours on success and on failure (libsndfile would close it
    // on a failed open otherwise, and a double close races with other threads' descriptors).
    SNDFILE* s = sf_open_fd(fd, SFM_READ, &info, /*close_desc=*/SF_FALSE);
    if (!s) {
        const std::string why = one_line(sf_strerror(nullptr));
        ::close(fd);
        throw IoError(fmt::format("{}: not a readable audio file: unsupported format, corrupt or truncated ({})",
                                  name, why));
    }
    sf_ = s;
    fd_ = fd;
    info_.sample_rate_hz = info.samplerate;
    info_.num_channels = static_cast<std::size_t>(std::max(0, info.channels));
    info_.num_frames = info.frames > 0 ? static_cast<std::uint64_t>(info.frames) : 0;
    info_.format = format_description(info.format);
    if (info.channels <= 0 || info.samplerate <= 0) {
        sf_close(s);
        sf_ = nullptr;
        ::close(fd);
        fd_ = -1;
        throw IoError(fmt::format("{}: corrupt header ({} channels, {} Hz)", name, info.channels, info.samplerate));
    }
    if (info.frames <= 0) {
        sf_close(s);
        sf_ = nullptr;
        ::close(fd);
        fd_ = -1;
        throw IoError(fmt::format("{}: contains no audio (0 frames)", name));
    }
    // The channel map (WAVE_FORMAT_EXTENSIBLE mask, CAF/AIFF layout...), SF_CHANNEL_MAP_* per channel; empty if none.
    if (info.channels <= 64) {
        std::vector<int> map(static_cast<std::size_t>(info.channels), 0);
        if (sf_command(s, SFC_GET_CHANNEL_MAP_INFO, map.data(), static_cast<int>(map.size() * sizeof(int))) == SF_TRUE)
            info_.channel_map = std::move(map);
    }
}

AudioReader::~AudioReader() {
    if (sf_) sf_close(sf(sf_));
    if (fd_ >= 0) ::close(fd_);
}

std::size_t AudioReader::read(AudioView<float> out) {
    const std::size_t ch = info_.num_channels;
    if (out.num_channels() != ch)
        throw Error(fmt::format("{}: read into {} channels, file has {}", path_.string(), out.num_channels(), ch));
    const std::size_t want = out.num_frames();
    if (want == 0) return 0;
    if (interleaved_.size() < want * ch) interleaved_.resize(want * ch);
    std::size_t got = 0;
    // sf_readf may return fewer frames than asked before the end (e.g. decoders); loop until full or end.
    while (got < want) {
        const sf_count_t n = sf_readf_float(sf(sf_), interleaved_.data() + got * ch,
                                            static_cast<sf_count_t>(want - got));
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got < want && sf_error(sf(sf_)) != SF_ERR_NO_ERROR)
        throw IoError(fmt::format("{}: read error ({})", path_.string(), one_line(sf_strerror(sf(sf_)))));
    for (std::size_t c = 0; c < ch; ++c) {
        float* dst = out.channel(c);
        const float* src = interleaved_.data() + c;
        for (std::size_t i = 0; i < got; ++i) {
            const float v = src[i * ch];
            if (std::isfinite(v)) {
                dst[i] = v;
            } else {
                dst[i] = 0.0f;
                ++nonfinite_;
            }
        }
    }
    return got;
}

// ---------------------------------------------------------------------------------------------- writer

AudioWriter::AudioWriter(const fs::path& out, AudioFormat format, double sample_rate_hz, std::size_t num_channels)
    : out_(out), num_channels_(num_channels) {
    const std::string name = out.string();
    std::error_code ec;
    const fs::file_status st = fs::status(out, ec);
    if (fs::is_directory(st)) throw IoError(fmt::format("{}: is a directory (give an output file name)", name));
    if (fs::exists(st) && !fs::is_regular_file(st))
        throw IoError(fmt::format("{}: exists and is not a regular file; refusing to replace it", name));
    if (out.filename().empty()) throw IoError(fmt::format("{}: not a file name", name));
    const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec))
        throw IoError(fmt::format("{}: output directory '{}' does not exist", name, dir.string()));

    temp_ = dir / fmt::format(".{}.tmp-{}-{}", out.filename().string(), static_cast<long>(::getpid()),
                              g_temp_counter.fetch_add(1));
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0) {
        const int e = errno;
        temp_.clear();
        throw IoError(fmt::format("{}: cannot create a file in '{}' ({})", name, dir.string(), errno_text(e)));
    }

    SF_INFO info{};
    info.samplerate = static_cast<int>(std::lround(sample_rate_hz));
    info.channels = static_cast<int>(num_channels);
    info.format = sndfile_format(format);
    if (!sf_format_check(&info)) {
        discard();
        throw IoError(fmt::format("{}: format {} cannot hold {} channels at {} Hz", name, audio_format_name(format),
                                  num_channels, info.samplerate));
    }
    SNDFILE* s = sf_open_fd(fd_, SFM_WRITE, &info, /*close_desc=*/SF_FALSE);
    if (!s) {
        const std::string why = one_line(sf_strerror(nullptr));
        discard();
        throw IoError(fmt::format("{}: cannot write {} ({})", name, audio_format_name(format), why));
    }
    sf_ = s;
    if (format != AudioFormat::wav_float32) sf_command(s, SFC_SET_CLIPPING, nullptr, SF_TRUE);

    if (const char* hook = std::getenv("EARSHOT_TEST_FAIL_WRITE_AFTER_FRAMES"); hook && *hook)
        fail_after_frames_ = std::strtoull(hook, nullptr, 10);
}

AudioWriter::~AudioWriter() { discard(); }

void AudioWriter::discard() noexcept {
    if (sf_) {
        sf_close(sf(sf_));
        sf_ = nullptr;
    }
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (!committed_ && !temp_.empty()) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

void AudioWriter::write(AudioView<const float> block) {
    if (!sf_) throw IoError(fmt::format("{}: write after the file was closed", out_.string()));
    const std::size_t ch = num_channels_;
    const std::size_t n = block.num_frames();
    if (block.num_channels() != ch)
        throw Error(fmt::format("{}: writing {} channels to a {}-channel file", out_.string(), block.num_channels(), ch));
    if (n == 0) return;
    if (interleaved_.size() < n * ch) interleaved_.resize(n * ch);
    for (std::size_t c = 0; c < ch; ++c) {
        const float* src = block.channel(c);
        float* dst = interleaved_.data() + c;
        for (std::size_t i = 0; i < n; ++i) dst[i * ch] = src[i];
    }
    std::size_t to_write = n;
    if (fail_after_frames_) to_write = static_cast<std::size_t>(
        std::min<std::uint64_t>(n, *fail_after_frames_ > frames_ ? *fail_after_frames_ - frames_ : 0));
    const sf_count_t w = to_write ? sf_writef_float(sf(sf_), interleaved_.data(), static_cast<sf_count_t>(to_write)) : 0;
    if (w > 0) frames_ += static_cast<std::uint64_t>(w);
    if (w != static_cast<sf_count_t>(n)) {
        const std::string why = fail_after_frames_ && to_write < n
                                    ? std::string("simulated by EARSHOT_TEST_FAIL_WRITE_AFTER_FRAMES")
                                    : one_line(sf_strerror(sf(sf_)));
        throw IoError(fmt::format("{}: write failed (disk full?) after {} frames ({})", out_.string(), frames_, why));
    }
}

void AudioWriter::commit() {
    if (committed_) return;
    const std::string name = out_.string();
    if (!sf_ || fd_ < 0) throw IoError(fmt::format("{}: commit after a failure", name));
    const int rc = sf_close(sf(sf_));
    sf_ = nullptr;
    if (rc != 0) throw IoError(fmt::format("{}: write failed (disk full?) while finishing the file", name));
    if (::fsync(fd_) != 0)
        throw IoError(fmt::format("{}: write failed (disk full?) on fsync ({})", name, errno_text(errno)));
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0)
        throw IoError(fmt::format("{}: write failed (disk full?) on close ({})", name, errno_text(errno)));
    if (::rename(temp_.c_str(), out_.c_str()) != 0)
        throw IoError(fmt::format("{}: cannot rename the finished temp file into place ({})", name, errno_text(errno)));
    committed_ = true;
    // Make the rename itself durable; a failure here does not undo a complete file, so it is ignored.
    const fs::path dir = out_.has_parent_path() ? out_.parent_path() : fs::path(".");
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

}  // namespace earshot
