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
#include <cstdio>
#include <cstring>
#include <mutex>
#include <limits>
#include <system_error>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/core/temp_file.hpp"

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

std::string errno_text(int e) { return e != 0 ? std::string(std::strerror(e)) : std::string("unknown error"); }

// libmpg123 (inside libsndfile) prints its own "Note: Illegal Audio-MPEG-Header ..." lines on stderr for a
// garbage MP3; earshot's messages are one line each. While an open or an MP3 read is under way, fd 2 points
// at /dev/null (reference-counted across threads; another thread's stderr output in that window is lost,
// which only concerns the progress bar: errors are printed after the work).
class QuietStderr {
public:
    QuietStderr() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (depth_++ == 0) {
            std::fflush(stderr);
            saved_ = ::dup(2);
            const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
            if (saved_ >= 0 && null >= 0) ::dup2(null, 2);
            if (null >= 0) ::close(null);
        }
    }
    ~QuietStderr() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--depth_ == 0 && saved_ >= 0) {
            ::dup2(saved_, 2);
            ::close(saved_);
            saved_ = -1;
        }
    }
    QuietStderr(const QuietStderr&) = delete;
    QuietStderr& operator=(const QuietStderr&) = delete;

private:
    static inline std::mutex mutex_;
    static inline int depth_ = 0;
    static inline int saved_ = -1;
};

std::uint32_t le32(const unsigned char* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24); }
std::uint16_t le16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

// A WAV header libsndfile refused as "SF_INFO struct incomplete": its rate or channel count is out of range.
// Reads the fmt chunk to name the field; nullopt when the file is not a RIFF/WAVE with a fmt chunk.
std::optional<std::string> describe_bad_wav_header(const fs::path& path) {
    unsigned char b[4096];
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    const ssize_t n = ::pread(fd, b, sizeof b, 0);
    ::close(fd);
    if (n < 36 || std::memcmp(b, "RIFF", 4) != 0 || std::memcmp(b + 8, "WAVE", 4) != 0) return std::nullopt;
    for (ssize_t pos = 12; pos + 8 <= n;) {
        const std::uint32_t len = le32(b + pos + 4);
        if (std::memcmp(b + pos, "fmt ", 4) == 0 && pos + 8 + 16 <= n) {
            const unsigned channels = le16(b + pos + 10);
            const std::uint32_t rate = le32(b + pos + 12);
            if (rate < params::sample_rate_hz.min_value || rate > params::sample_rate_hz.max_value)
                return fmt::format("sample rate {} Hz in the header is out of range [{}, {}] Hz", rate,
                                   params::sample_rate_hz.min_value, params::sample_rate_hz.max_value);
            if (channels == 0 || channels > 1024)
                return fmt::format("{} channels in the header is out of range [1, 1024]", channels);
            return std::nullopt;
        }
        pos += 8 + static_cast<ssize_t>(len) + (len & 1);
    }
    return std::nullopt;
}

// "data : 320000 (should be 32000)" in libsndfile's log: the header claims more than the file holds.
std::uint64_t claimed_frames_from_log(SNDFILE* s, std::uint64_t frames) {
    std::string log(16384, '\0');
    sf_command(s, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()));
    const std::size_t at = log.find("data : ");
    if (at == std::string::npos) return 0;
    unsigned long long claimed = 0, actual = 0;
    if (std::sscanf(log.c_str() + at, "data : %llu (should be %llu)", &claimed, &actual) != 2 || actual == 0 ||
        claimed <= actual)
        return 0;
    return static_cast<std::uint64_t>(static_cast<long double>(frames) * claimed / actual);
}

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

}  // namespace

std::optional<AudioFormat> parse_audio_format(std::string_view name) noexcept { return names::audio_format.find(name); }

std::string_view audio_format_name(AudioFormat format) noexcept {
    const std::string_view n = names::audio_format.to_name(format);
    return n.empty() ? "?" : n;
}

std::string_view audio_format_extension(AudioFormat format) noexcept {
    return (format == AudioFormat::flac_pcm16 || format == AudioFormat::flac_pcm24) ? ".flac" : ".wav";
}

AudioFormat audio_format_for_path(const fs::path& out) {
    const std::string ext = lower(out.extension().string());
    if (ext == ".wav") return AudioFormat::wav_float32;
    if (ext == ".flac") return AudioFormat::flac_pcm24;
    throw ConfigError(fmt::format("{}: unsupported output extension '{}' (accepted: .wav, .flac; or give --format "
                                  "{})",
                                  printable(out), printable(out.extension()), names::audio_format.list("|")));
}

// ---------------------------------------------------------------------------------------------- reader

AudioReader::AudioReader(const fs::path& path) : path_(path) {
    const std::string name = printable(path);
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
    // libsndfile closes the descriptor of a failed open even with close_desc = false (seen with 1.2), and a
    // second close would race with other threads' descriptors: it gets a duplicate it owns (close_desc =
    // true) and `fd` stays ours, closed exactly once.
    SNDFILE* s = nullptr;
    {
        QuietStderr quiet;
        const int lib_fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (lib_fd >= 0) s = sf_open_fd(lib_fd, SFM_READ, &info, /*close_desc=*/SF_TRUE);
    }
    if (!s) {
        std::string why = one_line(sf_strerror(nullptr));
        if (const auto header = describe_bad_wav_header(path)) {
            ::close(fd);
            throw IoError(fmt::format("{}: corrupt header: {}", name, *header));
        }
        ::close(fd);
        // libsndfile's text for a file it could not decode at all (e.g. garbage MP3) blames the path.
        if (why.find("does not exist") != std::string::npos || why.find("SF_INFO") != std::string::npos)
            throw IoError(fmt::format("{}: not a readable audio file: unsupported format, corrupt or truncated", name));
        throw IoError(fmt::format("{}: not a readable audio file: unsupported format, corrupt or truncated ({})",
                                  name, why));
    }
    sf_ = s;
    fd_ = fd;
    info_.sample_rate_hz = info.samplerate;
    info_.num_channels = static_cast<std::size_t>(std::max(0, info.channels));
    info_.num_frames = info.frames > 0 ? static_cast<std::uint64_t>(info.frames) : 0;
    info_.format = format_description(info.format);
    mpeg_ = (info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG;
    if (info.frames > 0) info_.claimed_frames = claimed_frames_from_log(s, info_.num_frames);
    for (int id = SF_STR_FIRST; id <= SF_STR_LAST; ++id)
        if (const char* v = sf_get_string(s, id); v && *v) info_.strings.emplace_back(id, v);
    if (info.channels > 0 && info.channels <= 1024) {
        std::vector<int> map(static_cast<std::size_t>(info.channels), 0);
        if (sf_command(s, SFC_GET_CHANNEL_MAP_INFO, map.data(), static_cast<int>(map.size() * sizeof(int))) == SF_TRUE)
            info_.channel_map = std::move(map);
    }
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
}

AudioReader::~AudioReader() {
    if (sf_) sf_close(sf(sf_));
    if (fd_ >= 0) ::close(fd_);
}

std::size_t AudioReader::read(AudioView<float> out) {
    const std::size_t ch = info_.num_channels;
    if (out.num_channels() != ch)
        throw Error(fmt::format("{}: read into {} channels, file has {}", printable(path_), out.num_channels(), ch));
    const std::size_t want = out.num_frames();
    if (want == 0) return 0;
    if (interleaved_.size() < want * ch) interleaved_.resize(want * ch);
    std::size_t got = 0;
    // sf_readf may return fewer frames than asked before the end (e.g. decoders); loop until full or end.
    while (got < want) {
        std::optional<QuietStderr> quiet;
        if (mpeg_) quiet.emplace();
        const sf_count_t n = sf_readf_float(sf(sf_), interleaved_.data() + got * ch,
                                            static_cast<sf_count_t>(want - got));
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got < want && sf_error(sf(sf_)) != SF_ERR_NO_ERROR)
        throw IoError(fmt::format("{}: read error ({})", printable(path_), one_line(sf_strerror(sf(sf_)))));
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

std::uint64_t wav_size_limit_bytes() {
    if (const char* hook = std::getenv("EARSHOT_TEST_RF64_THRESHOLD_BYTES"); hook && *hook)
        return std::strtoull(hook, nullptr, 10);
    // The RIFF size field is 32 bits and counts everything after it: keep 1 MiB for the header and
    // metadata chunks (INFO/LIST strings are at most a few kB).
    return 0xFFFFFFFFull - (1ull << 20);
}

bool wav_needs_rf64(std::uint64_t frames, std::size_t channels, std::size_t bytes_per_sample,
                    std::uint64_t limit_bytes) noexcept {
    const unsigned __int128 bytes = static_cast<unsigned __int128>(frames) * channels * bytes_per_sample;
    return bytes > limit_bytes;
}

AudioWriter::AudioWriter(const fs::path& out, AudioFormat format, double sample_rate_hz, std::size_t num_channels,
                         const AudioWriterOptions& options)
    : out_(out), num_channels_(num_channels) {
    const std::string name = printable(out);
    integer_ = format != AudioFormat::wav_float32;
    wav_ = format == AudioFormat::wav_float32 || format == AudioFormat::wav_pcm16 || format == AudioFormat::wav_pcm24;
    bytes_per_sample_ = format == AudioFormat::wav_float32                                        ? 4
                        : (format == AudioFormat::wav_pcm16 || format == AudioFormat::flac_pcm16) ? 2
                                                                                                  : 3;
    wav_limit_ = wav_size_limit_bytes();
    rf64_ = wav_ && wav_needs_rf64(options.expected_frames, num_channels, bytes_per_sample_, wav_limit_);

    SF_INFO info{};
    info.samplerate = static_cast<int>(std::lround(sample_rate_hz));
    info.channels = static_cast<int>(num_channels);
    info.format = sndfile_format(format);
    const bool keep_map = options.channel_map.size() == num_channels && num_channels > 0;
    if (rf64_) info.format = (info.format & ~SF_FORMAT_TYPEMASK) | SF_FORMAT_RF64;
    // A channel map (mask) is held by WAVE_FORMAT_EXTENSIBLE only: the output is then a WAVEX file.
    else if (wav_ && keep_map) info.format = (info.format & ~SF_FORMAT_TYPEMASK) | SF_FORMAT_WAVEX;
    if (!sf_format_check(&info))
        throw IoError(fmt::format("{}: format {} cannot hold {} channels at {} Hz", name, audio_format_name(format),
                                  num_channels, info.samplerate));

    temp_ = std::make_unique<TempFile>(out);
    // A duplicate descriptor owned by libsndfile (see the reader); the TempFile keeps, fsyncs and closes its own.
    const int lib_fd = ::fcntl(temp_->fd(), F_DUPFD_CLOEXEC, 0);
    SNDFILE* s = lib_fd >= 0 ? sf_open_fd(lib_fd, SFM_WRITE, &info, /*close_desc=*/SF_TRUE) : nullptr;
    if (!s) {
        const std::string why = one_line(sf_strerror(nullptr));
        discard();
        throw IoError(fmt::format("{}: cannot write {} ({})", name, audio_format_name(format), why));
    }
    sf_ = s;
    // No PEAK chunk: it carries a time stamp, and two renders of the same input must be byte-identical.
    sf_command(s, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
    if (integer_) sf_command(s, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    if (keep_map) {
        std::vector<int> map = options.channel_map;
        sf_command(s, SFC_SET_CHANNEL_MAP_INFO, map.data(), static_cast<int>(map.size() * sizeof(int)));
    }
    for (const auto& [id, value] : options.strings)
        if (!value.empty()) sf_set_string(s, id, value.c_str());  // ids the container cannot hold fail: skipped

    if (const char* hook = std::getenv("EARSHOT_TEST_FAIL_WRITE_AFTER_FRAMES"); hook && *hook)
        fail_after_frames_ = std::strtoull(hook, nullptr, 10);
}

AudioWriter::~AudioWriter() { discard(); }

const fs::path& AudioWriter::temp_path() const noexcept {
    static const fs::path none;
    return temp_ ? temp_->path() : none;
}

double AudioWriter::peak_dbfs() const noexcept {
    return peak_ > 0 ? 20.0 * std::log10(static_cast<double>(peak_)) : -std::numeric_limits<double>::infinity();
}

void AudioWriter::discard() noexcept {
    if (sf_) {
        sf_close(sf(sf_));
        sf_ = nullptr;
    }
    if (temp_ && !committed_) temp_->discard();
}

void AudioWriter::write(AudioView<const float> block) {
    throw_if_interrupted();
    const std::string name = printable(out_);
    if (!sf_) throw IoError(fmt::format("{}: write after the file was closed", name));
    const std::size_t ch = num_channels_;
    const std::size_t n = block.num_frames();
    if (block.num_channels() != ch)
        throw Error(fmt::format("{}: writing {} channels to a {}-channel file", name, block.num_channels(), ch));
    if (n == 0) return;
    if (wav_ && !rf64_ && wav_needs_rf64(frames_ + n, ch, bytes_per_sample_, wav_limit_))
        throw IoError(fmt::format("{}: WAV cannot hold more than {} bytes of samples ({} frames written; more frames "
                                  "than the input's header announced, so RF64 was not chosen)",
                                  name, wav_limit_, frames_));
    if (interleaved_.size() < n * ch) interleaved_.resize(n * ch);
    float peak = peak_;
    std::uint64_t clipped = 0;
    for (std::size_t c = 0; c < ch; ++c) {
        const float* src = block.channel(c);
        float* dst = interleaved_.data() + c;
        for (std::size_t i = 0; i < n; ++i) {
            const float v = src[i];
            const float a = std::fabs(v);
            peak = std::max(peak, a);
            clipped += a > 1.0f;
            dst[i * ch] = v;
        }
    }
    peak_ = peak;
    if (integer_) clipped_ += clipped;
    std::size_t to_write = n;
    if (fail_after_frames_) to_write = static_cast<std::size_t>(
        std::min<std::uint64_t>(n, *fail_after_frames_ > frames_ ? *fail_after_frames_ - frames_ : 0));
    const sf_count_t w = to_write ? sf_writef_float(sf(sf_), interleaved_.data(), static_cast<sf_count_t>(to_write)) : 0;
    if (w > 0) frames_ += static_cast<std::uint64_t>(w);
    if (w != static_cast<sf_count_t>(n)) {
        std::string why = fail_after_frames_ && to_write < n ? std::string("simulated by EARSHOT_TEST_FAIL_WRITE_AFTER_FRAMES")
                                                             : one_line(sf_strerror(sf(sf_)));
        if (why.empty() || why == "No Error.") why = errno != 0 ? errno_text(errno) : "short write";
        throw IoError(fmt::format("{}: write failed (disk full?) after {} frames ({})", name, frames_, why));
    }
}

void AudioWriter::commit() {
    if (committed_) return;
    const std::string name = printable(out_);
    if (!sf_ || !temp_) throw IoError(fmt::format("{}: commit after a failure", name));
    const int rc = sf_close(sf(sf_));
    sf_ = nullptr;
    if (rc != 0) throw IoError(fmt::format("{}: write failed (disk full?) while finishing the file", name));
    temp_->commit();
    committed_ = true;
}

MonoAudio read_mono_file(const fs::path& path) {
    AudioReader r(path);
    const AudioInfo info = r.info();
    MonoAudio a;
    a.rate_hz = info.sample_rate_hz;
    const std::size_t nch = info.num_channels, block = 8192;
    std::vector<float> data(nch * block);
    std::vector<float*> ptrs(nch);
    for (std::size_t c = 0; c < nch; ++c) ptrs[c] = data.data() + c * block;
    a.samples.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(info.num_frames, std::uint64_t{1} << 28)));
    for (;;) {
        const std::size_t n = r.read(AudioView<float>(ptrs.data(), nch, block));
        if (n == 0) break;
        for (std::size_t i = 0; i < n; ++i) {
            float s = 0;
            for (std::size_t c = 0; c < nch; ++c) s += ptrs[c][i];
            a.samples.push_back(s / static_cast<float>(nch));
        }
    }
    a.nonfinite = r.nonfinite_count();
    if (a.samples.empty()) throw IoError(fmt::format("{}: no audio frames", printable(path.string())));
    return a;
}

std::string no_signal_message(const fs::path& path, std::uint64_t nonfinite, std::string_view what) {
    if (nonfinite > 0)
        return fmt::format("{}: holds no finite signal: {} samples are NaN or Inf (read as 0) and the rest is silence ({})",
                           printable(path.string()), nonfinite, what);
    return fmt::format("{}: is silent (all samples zero) ({})", printable(path.string()), what);
}

}  // namespace earshot
