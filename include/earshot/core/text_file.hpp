#pragma once
// Safe reading of the text files earshot is given (listener, implant and scene files, and the files they
// name). Every failure is one line naming the file (issue 8, "hardening"):
//   - only regular files are read: a FIFO, a device (a symlink to /dev/zero), a socket or a directory is
//     refused before any byte is read, so nothing blocks and nothing is read without end; the file is opened
//     with O_NONBLOCK | O_CLOEXEC | O_NOCTTY and checked again with fstat (no race between check and read);
//   - at most kMaxTextFileBytes (16 MiB) are read; a larger file is refused naming the file and the cap;
//   - file names and contents that reach a message pass through printable() (earshot/core/error.hpp: every
//     Error's message does): control characters and bytes that are not UTF-8 are shown as \xNN.
// Files that name files (scene -> listener -> implant -> implant) read through a ReferenceGuard, which keeps
// this thread's chain of files being read: a file that refers back to one on the chain (a cycle) or a chain
// deeper than kMaxReferenceDepth references is refused with one line naming the chain
// ("a.json -> b.json -> a.json"). Relative references are resolved against the referring file's folder
// (resolve_reference).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace earshot {

/// The largest text file earshot reads (16 MiB; the largest real listener/scene file is a few hundred kB).
inline constexpr std::size_t kMaxTextFileBytes = std::size_t{16} << 20;
/// The most references in one chain (the top file, then at most 8 files each named by the one before).
inline constexpr std::size_t kMaxReferenceDepth = 8;

/// The whole content of the regular file `path`. `kind` names it in messages ("listener file"). Throws
/// IoError: no such file, permission, not a regular file (FIFO, device, socket, directory), larger than
/// `max_bytes`, or a read error.
std::string read_text_file(const std::filesystem::path& path, std::string_view kind,
                           std::size_t max_bytes = kMaxTextFileBytes);

/// Every file read_text_file() has read in this process since record_text_files_read(true) (as it was named, in
/// order, without repeats): the listener, implant and scene files and everything they referred to. A command
/// front end (the CLI) turns recording on, and OutputPlan adds the files to the command's inputs, so that an
/// output can never overwrite a file a description was read from. Off by default, so that a long-running host
/// (a fuzzer, a server) reading many files accumulates nothing. Thread-safe.
void record_text_files_read(bool on);
std::vector<std::filesystem::path> text_files_read();

/// `reference` as written in `referring_file`: an absolute path as it is, a relative one relative to the
/// referring file's folder.
std::filesystem::path resolve_reference(const std::filesystem::path& referring_file, const std::filesystem::path& reference);

/// While alive, `path` is on this thread's chain of files being read. The constructor throws ConfigError
/// naming the chain if `path` is already on it (a cycle) or if the chain already holds
/// kMaxReferenceDepth + 1 files. Not copyable; destroy in reverse order of construction (scoped use).
class ReferenceGuard {
public:
    explicit ReferenceGuard(const std::filesystem::path& path);
    ~ReferenceGuard();
    ReferenceGuard(const ReferenceGuard&) = delete;
    ReferenceGuard& operator=(const ReferenceGuard&) = delete;

    /// The files on this thread's chain, outermost first, as they were named ("scene.toml", "dir/a.json").
    static std::vector<std::string> chain();
};

}  // namespace earshot
