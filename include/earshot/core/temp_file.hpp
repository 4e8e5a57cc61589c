#pragma once
// Every file earshot writes goes through one TempFile: it is created next to its final name under an
// unpredictable hidden name (`.<name>.<16 random hex digits>.tmp<ext>`, random bits from getrandom(2), the
// name shortened so that it stays within NAME_MAX), opened with O_CREAT|O_EXCL|O_CLOEXEC|O_NOFOLLOW (a
// file or symlink planted at that name makes the creation fail instead of redirecting the write), and
// committed by fsync + rename(2) into place + fsync of the directory. A TempFile destroyed without
// commit() removes its file, so a failure never leaves a partial output.
//
// Interrupts: every live TempFile is listed in a fixed-size, async-signal-safe registry.
// install_interrupt_handlers() makes SIGINT, SIGTERM and SIGHUP unlink every registered temp file from
// the handler (unlink(2) is async-signal-safe) and then exit with 128 + the signal number (130, 143,
// 129). In cooperative mode (set_cooperative_interrupts(true), used by batches) the first signal only
// unlinks and records itself: AudioWriter::write() then throws Interrupted, the caller stops starting new
// work and reports; a second signal exits at once.
#include <cstddef>
#include <filesystem>
#include <string>

#include "earshot/core/error.hpp"

namespace earshot {

/// Thrown by writers once an interrupt (SIGINT/SIGTERM/SIGHUP) has been received in cooperative mode.
class Interrupted : public Error {
public:
    explicit Interrupted(int signal_number);
    int signal_number() const noexcept { return signal_; }

private:
    int signal_;
};

class TempFile {
public:
    /// Creates the temp file for `target` in target's directory. Throws IoError (one line naming
    /// `target`) when the directory does not exist or is not writable, when `target` is a directory or
    /// an existing non-regular file, or when the registry is full.
    explicit TempFile(const std::filesystem::path& target);
    ~TempFile();  ///< removes the temp file unless committed
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    int fd() const noexcept { return fd_; }
    const std::filesystem::path& path() const noexcept { return path_; }
    const std::filesystem::path& target() const noexcept { return target_; }

    /// Writes all of `data` to the file (retrying short writes); throws IoError naming the target.
    void write_all(const void* data, std::size_t size);
    /// fsync + close of the descriptor (idempotent); throws IoError "<target>: write failed ...".
    void close();
    /// Closes (if still open), renames the temp file over the target and fsyncs the directory.
    void commit();
    /// Removes the temp file now (as the destructor would).
    void discard() noexcept;
    bool committed() const noexcept { return committed_; }

private:
    std::filesystem::path target_, path_;
    int fd_ = -1;
    int slot_ = -1;
    bool committed_ = false;
};

/// The hidden temp name for `target` with the given random tag: `.<filename>.<tag>.tmp<extension>`, the file name
/// part shortened (UTF-8 safe) so that the whole name has at most `name_max` bytes.
std::string temp_file_name(const std::filesystem::path& target, std::string_view tag, std::size_t name_max = 255);

/// Installs the SIGINT/SIGTERM/SIGHUP handlers described at the top of this file (idempotent).
void install_interrupt_handlers();
/// Cooperative mode (see the top of this file); off by default.
void set_cooperative_interrupts(bool on) noexcept;
/// The first interrupt signal received so far, 0 if none.
int interrupt_signal() noexcept;
/// Throws Interrupted when a signal has been received.
void throw_if_interrupted();
/// Temp files currently registered (for tests).
std::size_t registered_temp_files() noexcept;

// printable(std::string_view) is declared in earshot/core/error.hpp: control characters and bytes that are not
// UTF-8 written as \xNN, so a file name echoed in a message cannot move the cursor, clear the terminal or split
// the line. Overloads for the types messages are made of:
inline std::string printable(const std::string& s) { return printable(std::string_view(s)); }
inline std::string printable(const char* s) { return printable(std::string_view(s)); }
inline std::string printable(const std::filesystem::path& p) { return printable(std::string_view(p.native())); }

}  // namespace earshot
