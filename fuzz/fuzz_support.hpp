#pragma once
// Shared by the fuzz targets (fuzz/README.md): a temp file holding the fuzzer's bytes, a byte consumer,
// and the rule for exceptions. earshot's readers report bad input by throwing earshot::Error (IoError,
// ConfigError) with a one-line message; that is the expected outcome and is swallowed. Any other
// exception escaping a reader (a library's own exception, std::out_of_range, ...) is a finding: it would
// reach the user as library text, so the target lets it terminate the process.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace earshot::fuzz {

/// The bytes written to a fresh file in $TMPDIR (or /tmp) ending in `suffix`; removed on destruction.
class TempFile {
public:
    TempFile(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
        const char* dir = std::getenv("TMPDIR");
        std::string templ = std::string(dir && *dir ? dir : "/tmp") + "/earshot-fuzz-XXXXXX" + suffix;
        const int fd = ::mkstemps(templ.data(), static_cast<int>(suffix.size()));
        if (fd < 0) std::abort();
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n = ::write(fd, data + done, size - done);
            if (n <= 0) std::abort();
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
        path_ = templ;
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// Consumes the fuzzer's bytes front to back; zeros once they run out.
class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : p_(data), n_(size) {}
    std::uint8_t u8() {
        if (n_ == 0) return 0;
        --n_;
        return *p_++;
    }
    std::uint32_t u32() {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
        return v;
    }
    /// A value in [lo, hi] from 16 bits.
    double in(double lo, double hi) {
        const double t = double((std::uint32_t(u8()) << 8) | u8()) / 65535.0;
        return lo + t * (hi - lo);
    }
    float raw_float() {
        const std::uint32_t bits = u32();
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
    }
    std::size_t left() const { return n_; }

private:
    const std::uint8_t* p_;
    std::size_t n_;
};

}  // namespace earshot::fuzz
