#include "earshot/io/output_plan.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <system_error>

#include "earshot/core/error.hpp"
#include "earshot/core/temp_file.hpp"
#include "earshot/core/text_file.hpp"

namespace earshot {
namespace fs = std::filesystem;

OutputPlan::Entry OutputPlan::identify(const fs::path& path, std::string role, bool input) {
    Entry e;
    e.path = path;
    e.role = std::move(role);
    e.input = input;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {  // follows symlinks
        e.has_inode = true;
        e.dev = static_cast<std::uint64_t>(st.st_dev);
        e.ino = static_cast<std::uint64_t>(st.st_ino);
    }
    std::error_code ec;
    fs::path abs = fs::absolute(path, ec);
    if (ec) abs = path;
    fs::path canon = fs::weakly_canonical(abs, ec);
    e.canonical = ec ? abs.lexically_normal() : canon;
    return e;
}

void OutputPlan::record(Entry e) {
    const std::size_t i = entries_.size();
    by_canonical_.emplace(e.canonical.string(), i);
    if (e.has_inode) by_inode_.emplace(std::pair{e.dev, e.ino}, i);
    if (e.input) inputs_named_.insert(e.path);
    entries_.push_back(std::move(e));
}

void OutputPlan::add_input(const fs::path& path, std::string role) { record(identify(path, std::move(role), true)); }

std::string OutputPlan::claim_output(const fs::path& path, std::string role) {
    // Every description file read so far (listener, implant and scene files and the files they name) is an
    // input too, whether or not the command line named it.
    for (const fs::path& f : text_files_read())
        if (!inputs_named_.count(f)) record(identify(f, "file read by this command", true));
    Entry e = identify(path, std::move(role), false);
    std::size_t hit = entries_.size();
    if (const auto it = by_canonical_.find(e.canonical.string()); it != by_canonical_.end()) hit = it->second;
    if (e.has_inode)
        if (const auto it = by_inode_.find({e.dev, e.ino}); it != by_inode_.end()) hit = std::min(hit, it->second);
    if (hit < entries_.size()) {
        const Entry& other = entries_[hit];
        if (other.input)
            return fmt::format("{}: {} is the {} {}; refusing to overwrite an input", printable(path), e.role,
                               other.role, printable(other.path));
        return fmt::format("{}: {} is also the {} {}; two outputs cannot share one file", printable(path), e.role,
                           other.role, printable(other.path));
    }
    record(std::move(e));
    return {};
}

void OutputPlan::add_output(const fs::path& path, std::string role) {
    if (std::string why = claim_output(path, std::move(role)); !why.empty()) throw IoError(why);
}

}  // namespace earshot
