#pragma once
// Nothing overwritten, ever: every output of a command (audio, CSV, PNG/SVG figures, any sidecar) is
// checked against every input of the whole command (audio inputs of a batch, listener/implant/scene/body
// files given on the command line, and every description file read so far through read_text_file(), such as
// the listener and implant files a scene names) and against every other output, before anything is written.
// Two paths are the same file when they have the same device and inode (symlinks followed, so hard links
// and symlinks are caught), or, for files that do not exist yet, the same canonical path (absolute, ".",
// ".." and symlinked directories resolved).
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <filesystem>
#include <string>
#include <vector>

namespace earshot {

class OutputPlan {
public:
    /// Records an input; `role` names it in messages ("input", "--scene file", "--body input", ...).
    /// Paths that do not exist are recorded by canonical path (they fail later, when read).
    void add_input(const std::filesystem::path& path, std::string role);
    /// Checks `path` against every input and every output claimed so far; returns "" and records it when it
    /// is free, else a one-line reason naming `path` and the file it collides with (and records nothing).
    std::string claim_output(const std::filesystem::path& path, std::string role);
    /// claim_output, throwing IoError with the reason.
    void add_output(const std::filesystem::path& path, std::string role);

private:
    struct Entry {
        std::filesystem::path path, canonical;
        std::string role;
        bool has_inode = false;
        std::uint64_t dev = 0, ino = 0;
        bool input = false;
    };
    static Entry identify(const std::filesystem::path& path, std::string role, bool input);
    void record(Entry e);
    std::vector<Entry> entries_;
    // The first entry per canonical path and per (device, inode): a claim is a look-up, so a manifest of
    // 100,000 rows is planned in linear time.
    std::unordered_map<std::string, std::size_t> by_canonical_;
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::size_t> by_inode_;
    std::set<std::filesystem::path> inputs_named_;
};

}  // namespace earshot
