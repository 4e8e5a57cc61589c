#pragma once
// The bad-input catalogue's one assertion (issue: hardening). A catalogue case is a TEST_F of a suite
// named BadInput_<Area> (count them with `ctest -N -R BadInput`) that prepares files in its private
// directory and calls expect_refused(args, code, names...):
//   - the exit code is `code` (1 processing/file error, 2 usage/parameter error, or a signal's 128+N);
//   - stderr is exactly one line, it contains every string of `names` (the file or parameter, and the
//     accepted range where there is one), and it holds no control characters;
//   - every file that existed in the test's directory before (the inputs, and any existing output) has the
//     same SHA-256 afterwards, and no new file or directory entry is left behind (no temp, no partial output).
#include <sys/stat.h>

#include <map>
#include <string>
#include <vector>

#include "cli/cli_helpers.hpp"
#include "support/sha256.hpp"

namespace earshot::test {

class BadInputTest : public CliTest {
protected:
    /// SHA-256 of every regular file under the test directory (symlinks recorded by their target text).
    std::map<std::string, std::string> snapshot() const {
        std::map<std::string, std::string> m;
        for (auto it = fs::recursive_directory_iterator(dir_); it != fs::recursive_directory_iterator(); ++it) {
            const fs::path& p = it->path();
            const std::string rel = fs::relative(p, dir_).string();
            std::error_code ec;
            if (it->is_symlink(ec)) {
                m[rel] = "symlink:" + fs::read_symlink(p, ec).string();
                it.disable_recursion_pending();
            } else if (it->is_regular_file(ec)) {
                m[rel] = sha256_hex(slurp(p));
            } else if (it->is_directory(ec)) {
                m[rel] = "dir";
            } else {
                m[rel] = "special";
            }
        }
        return m;
    }

    CliResult expect_refused(const std::string& args, int code, const std::vector<std::string>& names,
                             const std::string& env = "") {
        const auto before = snapshot();
        CliResult r = run(args, env);
        EXPECT_EQ(r.code, code) << "earshot " << args << "\nstderr: " << r.err;
        EXPECT_TRUE(OneLine(r.err)) << "earshot " << args;
        for (const auto& n : names) EXPECT_NE(r.err.find(n), std::string::npos) << "stderr does not name '" << n << "': " << r.err;
        for (std::size_t i = 0; i + 1 < r.err.size(); ++i) {
            const unsigned char c = static_cast<unsigned char>(r.err[i]);
            EXPECT_FALSE(c < 0x20 || c == 0x7f) << "control character " << int(c) << " in stderr: " << r.err;
        }
        const auto after = snapshot();
        for (const auto& [name, hash] : before) {
            auto it = after.find(name);
            if (it == after.end()) ADD_FAILURE() << name << " was removed";
            else EXPECT_EQ(it->second, hash) << name << " was changed";
        }
        for (const auto& [name, hash] : after)
            if (!before.count(name)) ADD_FAILURE() << name << " was left behind";
        return r;
    }
};

}  // namespace earshot::test
