#include "earshot/core/text_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <unordered_set>
#include <cstring>

#include "earshot/core/error.hpp"

namespace earshot {

namespace fs = std::filesystem;

namespace {

const char* file_type(mode_t m) {
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

std::string mib(double bytes) { return fmt::format("{:.3g} MiB", bytes / double(std::size_t{1} << 20)); }

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

std::mutex g_read_mutex;
bool g_recording = false;
std::vector<fs::path> g_read;            // files read so far (text_files_read), in order
std::unordered_set<std::string> g_seen;  // their names, for the de-duplication

void record_read(const fs::path& path) {
    std::lock_guard lock(g_read_mutex);
    if (g_recording && g_seen.insert(path.native()).second) g_read.push_back(path);
}

}  // namespace

void record_text_files_read(bool on) {
    std::lock_guard lock(g_read_mutex);
    g_recording = on;
}

std::vector<fs::path> text_files_read() {
    std::lock_guard lock(g_read_mutex);
    return g_read;
}

std::string read_text_file(const fs::path& path, std::string_view kind, std::size_t max_bytes) {
    const std::string name = printable(path.string());
    const std::string a_kind = fmt::format("{} {}", std::string_view("aeiou").find(kind.empty() ? 'x' : kind[0]) != std::string_view::npos ? "an" : "a", kind);
    const auto refuse_type = [&](mode_t m) {
        return IoError(fmt::format("{}: is {}, not {} (only regular files are read)", name, file_type(m), a_kind));
    };
    const auto too_large = [&](double bytes) {
        return IoError(fmt::format("{}: {} is larger than the {} limit for {}", name, mib(bytes), mib(double(max_bytes)),
                                   a_kind));
    };
    // stat first, so that a device or FIFO is never even opened (opening some devices has effects).
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT) throw IoError(fmt::format("{}: cannot open {} (no such file)", name, kind));
        throw IoError(fmt::format("{}: cannot open {} ({})", name, kind, std::strerror(err)));
    }
    if (!S_ISREG(st.st_mode)) throw refuse_type(st.st_mode);
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) throw too_large(double(st.st_size));
    // Then open without blocking and check what was opened (the name may have been replaced meanwhile).
    Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
    if (f.fd < 0) throw IoError(fmt::format("{}: cannot open {} ({})", name, kind, std::strerror(errno)));
    if (::fstat(f.fd, &st) != 0) throw IoError(fmt::format("{}: cannot read {} ({})", name, kind, std::strerror(errno)));
    if (!S_ISREG(st.st_mode)) throw refuse_type(st.st_mode);
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) throw too_large(double(st.st_size));
    // Read at most max_bytes + 1 (a file that grows, or a /proc file whose size reads 0, stays bounded).
    std::string text;
    text.resize(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), max_bytes) + 1);
    std::size_t got = 0;
    for (;;) {
        if (got == text.size()) {
            if (text.size() > max_bytes) break;
            text.resize(std::min(max_bytes + 1, std::max<std::size_t>(4096, text.size() * 2)));
        }
        const ssize_t n = ::read(f.fd, text.data() + got, text.size() - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw IoError(fmt::format("{}: cannot read {} ({})", name, kind, std::strerror(errno)));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got > max_bytes) throw too_large(double(got));
    text.resize(got);
    record_read(path);
    return text;
}

fs::path resolve_reference(const fs::path& referring_file, const fs::path& reference) {
    if (reference.is_absolute() || referring_file.parent_path().empty()) return reference.lexically_normal();
    return (referring_file.parent_path() / reference).lexically_normal();
}

namespace {
struct ChainEntry {
    std::string name;  // as named, for messages
    fs::path id;       // canonical, for comparison
};
thread_local std::vector<ChainEntry> t_chain;

fs::path identity(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    if (ec) c = fs::absolute(p, ec).lexically_normal();
    return c;
}

std::string chain_text(std::string_view last) {
    std::vector<std::string> names;
    for (const auto& e : t_chain) names.push_back(e.name);
    names.emplace_back(last);
    return fmt::format("{}", fmt::join(names, " -> "));
}
}  // namespace

ReferenceGuard::ReferenceGuard(const fs::path& path) {
    const std::string name = printable(path.string());
    const fs::path id = identity(path);
    for (const auto& e : t_chain)
        if (e.id == id)
            throw ConfigError(fmt::format("{}: a reference cycle (a file may not name itself, directly or through "
                                          "other files)",
                                          chain_text(name)));
    if (t_chain.size() > kMaxReferenceDepth)
        throw ConfigError(fmt::format("{}: references nest deeper than {} levels (accepted: at most {} files, each "
                                      "named by the one before)",
                                      chain_text(name), kMaxReferenceDepth, kMaxReferenceDepth + 1));
    t_chain.push_back({name, id});
}

ReferenceGuard::~ReferenceGuard() { t_chain.pop_back(); }

std::vector<std::string> ReferenceGuard::chain() {
    std::vector<std::string> names;
    for (const auto& e : t_chain) names.push_back(e.name);
    return names;
}

}  // namespace earshot
