#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>

#include "earshot/core/temp_file.hpp"

namespace earshot {
namespace fs = std::filesystem;

namespace {

// ------------------------------------------------------------------------------------------ registry
// A fixed table (no allocation, no locks in the handler). A slot is claimed (free -> busy) with a CAS,
// filled, then published (busy -> live); the handler unlinks live slots only.
constexpr int kSlots = 256;
enum : int { kFree = 0, kBusy = 1, kLive = 2 };
struct Slot {
    std::atomic<int> state{kFree};
    char path[PATH_MAX];
};
std::array<Slot, kSlots> g_slots;
std::atomic<int> g_signal{0};
std::atomic<bool> g_cooperative{false};

int register_path(const fs::path& p) noexcept {
    const std::string& s = p.native();
    if (s.size() + 1 > PATH_MAX) return -1;
    for (int i = 0; i < kSlots; ++i) {
        int expected = kFree;
        if (g_slots[i].state.compare_exchange_strong(expected, kBusy)) {
            std::memcpy(g_slots[i].path, s.c_str(), s.size() + 1);
            g_slots[i].state.store(kLive);
            return i;
        }
    }
    return -1;
}

void unregister(int slot) noexcept {
    if (slot >= 0) g_slots[slot].state.store(kFree);
}

void unlink_all() noexcept {
    for (auto& s : g_slots)
        if (s.state.load() == kLive) ::unlink(s.path);
}

void on_signal(int sig) {
    int expected = 0;
    const bool first = g_signal.compare_exchange_strong(expected, sig);
    unlink_all();
    if (first && g_cooperative.load()) return;
    ::_exit(128 + sig);
}

std::string random_tag() {
    unsigned char b[8];
    std::size_t got = 0;
    while (got < sizeof b) {
        const ssize_t n = ::getrandom(b + got, sizeof b - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw IoError(fmt::format("cannot get random bytes for a temp file name ({})", std::strerror(errno)));
        }
        got += static_cast<std::size_t>(n);
    }
    std::string s;
    for (unsigned char c : b) s += fmt::format("{:02x}", c);
    return s;
}

std::string why(int e) { return e != 0 ? std::string(std::strerror(e)) : std::string("unknown error"); }

}  // namespace

Interrupted::Interrupted(int signal_number)
    : Error(fmt::format("interrupted by {} (signal {})", signal_number == SIGINT    ? "SIGINT"
                                                         : signal_number == SIGTERM ? "SIGTERM"
                                                         : signal_number == SIGHUP  ? "SIGHUP"
                                                                                    : "a signal",
                        signal_number)),
      signal_(signal_number) {}

std::string temp_file_name(const fs::path& target, std::string_view tag, std::size_t name_max) {
    std::string base = target.filename().string();
    // The target's extension is repeated at the end, so that writers choosing their encoding by extension
    // (PNG/SVG figures staged in a temp file) see it.
    std::string ext = target.extension().string();
    if (ext.size() > 16) ext.clear();
    const std::size_t fixed = 1 + 1 + tag.size() + 4 + ext.size();  // "." + "." + tag + ".tmp" + ext
    const std::size_t room = name_max > fixed ? name_max - fixed : 0;
    if (base.size() > room) {
        std::size_t cut = room;
        // do not split a UTF-8 sequence: back up over continuation bytes (10xxxxxx)
        while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80) --cut;
        base.resize(cut);
    }
    return fmt::format(".{}.{}.tmp{}", base, tag, ext);
}

TempFile::TempFile(const fs::path& target) : target_(target) {
    const std::string name = printable(target);
    if (target.filename().empty() || target.filename() == "." || target.filename() == "..")
        throw IoError(fmt::format("{}: not a file name", name));
    std::error_code ec;
    const fs::file_status st = fs::status(target, ec);
    if (fs::is_directory(st)) throw IoError(fmt::format("{}: is a directory (give a file name)", name));
    if (fs::exists(st) && !fs::is_regular_file(st))
        throw IoError(fmt::format("{}: exists and is not a regular file; refusing to replace it", name));
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec))
        throw IoError(fmt::format("{}: output directory '{}' does not exist", name, printable(dir)));
    long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
    if (name_max <= 0) name_max = NAME_MAX;
    for (int attempt = 0;; ++attempt) {
        path_ = dir / temp_file_name(target, random_tag(), static_cast<std::size_t>(name_max));
        slot_ = register_path(path_);
        if (slot_ < 0) throw IoError(fmt::format("{}: too many temp files open at once", name));
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd_ >= 0) break;
        const int e = errno;
        unregister(slot_);
        slot_ = -1;
        if (e == EEXIST && attempt < 8) continue;  // a 64-bit random collision, or something planted there
        path_.clear();
        throw IoError(fmt::format("{}: cannot create a file in '{}' ({})", name, printable(dir), why(e)));
    }
}

TempFile::~TempFile() { discard(); }

void TempFile::write_all(const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        if (fd_ < 0) throw IoError(fmt::format("{}: write after close", printable(target_)));
        const ssize_t n = ::write(fd_, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw IoError(fmt::format("{}: write failed (disk full?) ({})", printable(target_), why(n < 0 ? errno : ENOSPC)));
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void TempFile::close() {
    if (fd_ < 0) return;
    const int fd = fd_;
    fd_ = -1;
    if (::fsync(fd) != 0) {
        const int e = errno;
        ::close(fd);
        throw IoError(fmt::format("{}: write failed (disk full?) on fsync ({})", printable(target_), why(e)));
    }
    if (::close(fd) != 0)
        throw IoError(fmt::format("{}: write failed (disk full?) on close ({})", printable(target_), why(errno)));
}

void TempFile::commit() {
    if (committed_) return;
    if (path_.empty()) throw IoError(fmt::format("{}: commit after a failure", printable(target_)));
    close();
    if (const int sig = g_signal.load(); sig != 0) throw Interrupted(sig);
    if (::rename(path_.c_str(), target_.c_str()) != 0)
        throw IoError(fmt::format("{}: cannot rename the finished temp file into place ({})", printable(target_),
                                  why(errno)));
    committed_ = true;
    unregister(slot_);
    slot_ = -1;
    // Make the rename itself durable; a failure here does not undo a complete file, so it is ignored.
    const fs::path dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

void TempFile::discard() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (!committed_ && !path_.empty()) ::unlink(path_.c_str());
    unregister(slot_);
    slot_ = -1;
}

void install_interrupt_handlers() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        for (int s : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(s, &sa, nullptr);
    });
}

void set_cooperative_interrupts(bool on) noexcept { g_cooperative.store(on); }

int interrupt_signal() noexcept { return g_signal.load(); }

void throw_if_interrupted() {
    if (const int sig = g_signal.load(); sig != 0) throw Interrupted(sig);
}

std::size_t registered_temp_files() noexcept {
    std::size_t n = 0;
    for (const auto& s : g_slots)
        if (s.state.load() == kLive) ++n;
    return n;
}

}  // namespace earshot
