#pragma once
// Helpers for tests that run the built `earshot` binary (EARSHOT_CLI_PATH) in a private temp directory.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace earshot::test {
namespace fs = std::filesystem;

struct CliResult {
    int code = -1;
    std::string out, err;
};

inline std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

inline std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

/// A fresh directory per test, removed afterwards.
class CliTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               fmt_name(std::string("earshot_cli_") + info->test_suite_name() + "_" + info->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    static std::string fmt_name(std::string s) {
        for (char& c : s)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
        return s + "_" + std::to_string(::getpid());
    }
    fs::path path(const std::string& name) const { return dir_ / name; }

    /// Runs `earshot <args>` (args already quoted as needed) with optional environment assignments.
    CliResult run(const std::string& args, const std::string& env = "", const std::string& prefix = "") const {
        const fs::path o = dir_ / ".stdout.txt", e = dir_ / ".stderr.txt";
        const std::string cmd = env + " " + prefix + " " + quote(EARSHOT_CLI_PATH) + " " + args + " >" + quote(o) +
                                " 2>" + quote(e) + " </dev/null";
        const int status = std::system(cmd.c_str());
        CliResult r;
        r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.out = slurp(o);
        r.err = slurp(e);
        fs::remove(o);
        fs::remove(e);
        return r;
    }

    /// Files in `d` whose names start with '.' (earshot's temp files).
    static std::vector<std::string> hidden_files(const fs::path& d) {
        std::vector<std::string> v;
        for (const auto& entry : fs::directory_iterator(d)) {
            const std::string n = entry.path().filename().string();
            if (!n.empty() && n[0] == '.') v.push_back(n);
        }
        return v;
    }

    fs::path dir_;
};

/// stderr is exactly one non-empty line.
inline ::testing::AssertionResult OneLine(const std::string& err) {
    if (err.empty()) return ::testing::AssertionFailure() << "stderr is empty";
    const auto newlines = std::count(err.begin(), err.end(), '\n');
    if (newlines != 1 || err.back() != '\n')
        return ::testing::AssertionFailure() << "stderr is not one line: [" << err << "]";
    return ::testing::AssertionSuccess();
}

struct Audio {
    int rate = 0;
    int format = 0;
    std::vector<std::vector<float>> ch;  // planar
    std::size_t frames() const { return ch.empty() ? 0 : ch[0].size(); }
};

inline void write_audio(const fs::path& p, const Audio& a, int format = SF_FORMAT_WAV | SF_FORMAT_FLOAT) {
    SF_INFO info{};
    info.samplerate = a.rate;
    info.channels = static_cast<int>(a.ch.size());
    info.format = format;
    SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
    std::vector<float> inter(a.frames() * a.ch.size());
    for (std::size_t i = 0; i < a.frames(); ++i)
        for (std::size_t c = 0; c < a.ch.size(); ++c) inter[i * a.ch.size() + c] = a.ch[c][i];
    ASSERT_EQ(sf_writef_float(f, inter.data(), static_cast<sf_count_t>(a.frames())),
              static_cast<sf_count_t>(a.frames()));
    sf_close(f);
}

inline Audio read_audio(const fs::path& p) {
    SF_INFO info{};
    SNDFILE* f = sf_open(p.c_str(), SFM_READ, &info);
    Audio a;
    if (!f) {
        ADD_FAILURE() << "cannot read " << p << ": " << sf_strerror(nullptr);
        return a;
    }
    a.rate = info.samplerate;
    a.format = info.format;
    std::vector<float> inter(static_cast<std::size_t>(info.frames * info.channels));
    sf_readf_float(f, inter.data(), info.frames);
    sf_close(f);
    a.ch.assign(static_cast<std::size_t>(info.channels), std::vector<float>(static_cast<std::size_t>(info.frames)));
    for (std::size_t i = 0; i < static_cast<std::size_t>(info.frames); ++i)
        for (std::size_t c = 0; c < a.ch.size(); ++c) a.ch[c][i] = inter[i * a.ch.size() + c];
    return a;
}

/// Speech-like test signal: tones at 250, 1000 and 4000 Hz, amplitude-modulated at 4 Hz, peak ~ -12 dBFS.
inline Audio test_signal(int rate, std::size_t channels, double seconds) {
    Audio a;
    a.rate = rate;
    const std::size_t n = static_cast<std::size_t>(seconds * rate);
    a.ch.assign(channels, std::vector<float>(n));
    for (std::size_t c = 0; c < channels; ++c)
        for (std::size_t i = 0; i < n; ++i) {
            const double t = static_cast<double>(i) / rate;
            const double env = 0.55 + 0.45 * std::sin(2 * M_PI * 4 * t + static_cast<double>(c));
            a.ch[c][i] = static_cast<float>(
                0.08 * env *
                (std::sin(2 * M_PI * 250 * t) + std::sin(2 * M_PI * 1000 * t + 1) + std::sin(2 * M_PI * 4000 * t + 2)));
        }
    return a;
}

}  // namespace earshot::test
