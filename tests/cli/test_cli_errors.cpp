// Bad input: one line on stderr naming the file or parameter (and the range where there is one), a
// non-zero exit code (1 processing/file, 2 usage/parameter), nothing partial left on disk.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "cli/cli_helpers.hpp"

namespace earshot::test {
namespace {

class CliErrors : public CliTest {
protected:
    void SetUp() override {
        CliTest::SetUp();
        in_ = path("in.wav");
        write_audio(in_, test_signal(16000, 1, 0.5));
        out_ = path("out.wav");
    }
    CliResult render(const std::string& in, const std::string& out, const std::string& extra = "--listener normal",
                     const std::string& env = "") {
        return run("render " + in + " " + out + " " + extra, env);
    }
    void expect_nothing_written() {
        EXPECT_FALSE(fs::exists(out_));
        EXPECT_TRUE(hidden_files(dir_).empty());
    }
    void write_text(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
    fs::path in_, out_;
};

TEST_F(CliErrors, MissingInput) {
    auto r = render(quote(path("nope.wav")), quote(out_));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("nope.wav"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, UnreadableInput) {
    // Tests may run as root, which reads any file: drop to an unprivileged user for this run.
    ::chmod(in_.c_str(), 0);
    ::chmod(dir_.c_str(), 0777);
    std::string prefix;
    if (::geteuid() == 0) {
        if (std::system("setpriv --reuid=65534 --regid=65534 --clear-groups true >/dev/null 2>&1") != 0)
            GTEST_SKIP() << "running as root without setpriv: cannot make a file unreadable";
        prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups";
    }
    auto r = run("render " + quote(in_) + " " + quote(out_) + " --listener normal", "", prefix);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("in.wav"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ermission"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, DirectoryGivenAsListenerFile) {
    fs::create_directory(path("ears.json"));
    auto r = render(quote(in_), quote(out_), "--listener " + quote(path("ears.json")));
    EXPECT_NE(r.code, 0);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("ears.json"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, EmptyFile) {
    write_text(path("empty.wav"), "");
    auto r = render(quote(path("empty.wav")), quote(out_));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("empty.wav"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, HeaderCutInTheMiddle) {
    fs::resize_file(in_, 22);
    auto r = render(quote(in_), quote(out_));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("in.wav"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, RandomBytesWithWavExtension) {
    std::string junk(4096, '\0');
    unsigned x = 12345;
    for (char& c : junk) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
    write_text(path("noise.wav"), junk);
    auto r = render(quote(path("noise.wav")), quote(out_));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("noise.wav"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, TextFileNamedWav) {
    write_text(path("notes.wav"), "these are not samples\nat all\n");
    auto r = render(quote(path("notes.wav")), quote(out_));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("notes.wav"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, UnsupportedOutputExtension) {
    auto r = render(quote(in_), quote(path("out.xyz")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("out.xyz"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(".wav"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("out.xyz")));
    EXPECT_TRUE(hidden_files(dir_).empty());
}

TEST_F(CliErrors, FormatDoesNotMatchExtension) {
    auto r = render(quote(in_), quote(out_), "--listener normal --format flac24");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("out.wav"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, SampleRateOutOfRange) {
    for (int rate : {7999, 192000}) {
        write_audio(path("odd.wav"), test_signal(rate, 1, 0.2));
        auto r = render(quote(path("odd.wav")), quote(out_));
        EXPECT_EQ(r.code, 1);
        EXPECT_TRUE(OneLine(r.err));
        EXPECT_NE(r.err.find("odd.wav"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(std::to_string(rate)), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("[8000, 96000]"), std::string::npos) << r.err;
        expect_nothing_written();
    }
}

TEST_F(CliErrors, ListenerFileLevelOutOfRange) {
    write_text(path("bad.json"), R"({"both": {"freqs_hz": [500, 1000, 2000], "hl_db": [20, 150, 40]}})");
    auto r = render(quote(in_), quote(out_), "--listener " + quote(path("bad.json")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("120"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, ListenerFileNotAscending) {
    write_text(path("order.toml"), "[both]\nfreqs_hz = [500, 2000, 1000]\nhl_db = [20, 30, 40]\n");
    auto r = render(quote(in_), quote(out_), "--listener " + quote(path("order.toml")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("order.toml"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ascending"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, ListenerFileMismatchedLengths) {
    write_text(path("len.json"), R"({"both": {"freqs_hz": [500, 1000, 2000], "hl_db": [20, 30]}})");
    auto r = render(quote(in_), quote(out_), "--listener " + quote(path("len.json")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("len.json"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, UnknownPreset) {
    auto r = render(quote(in_), quote(out_), "--listener bisgaard:Q9");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("bisgaard:Q9"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--listener"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, LevelOutOfRange) {
    auto r = render(quote(in_), quote(out_), "--listener bisgaard:N2 --level-db-spl 200");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("--level-db-spl"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[0, 130]"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, FullScaleAndLimitOutOfRange) {
    auto r = render(quote(in_), quote(out_), "--listener normal --full-scale-db-spl 10");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("--full-scale-db-spl"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[60, 140]"), std::string::npos) << r.err;
    r = render(quote(in_), quote(out_), "--listener normal --limit-dbfs 3");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("--limit-dbfs"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[-60, 0]"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, SilentFileWithLevel) {
    Audio silent;
    silent.rate = 16000;
    silent.ch.assign(1, std::vector<float>(16000, 0.0f));
    write_audio(path("silent.wav"), silent);
    auto r = render(quote(path("silent.wav")), quote(out_), "--listener bisgaard:N2 --level-db-spl 65");
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("silent.wav"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("is silent (all samples zero)"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, OutputParentMissing) {
    const fs::path out = path("no/such/dir/out.wav");
    auto r = render(quote(in_), quote(out));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("out.wav"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("no")));
}

TEST_F(CliErrors, OutputIsADirectory) {
    fs::create_directory(out_);
    auto r = render(quote(in_), quote(out_));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("out.wav"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_empty(out_));
    EXPECT_TRUE(hidden_files(dir_).empty());
}

TEST_F(CliErrors, OutputNotWritable) {
    auto r = render(quote(in_), "/proc/earshot_out.wav");
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("/proc/earshot_out.wav"), std::string::npos) << r.err;
}

TEST_F(CliErrors, OutputIsADeviceIsNotReplaced) {
    auto r = render(quote(in_), "/dev/full", "--listener normal --format wav32");
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("/dev/full"), std::string::npos) << r.err;
    struct stat sb {};
    ASSERT_EQ(::stat("/dev/full", &sb), 0);
    EXPECT_TRUE(S_ISCHR(sb.st_mode));
}

TEST_F(CliErrors, DiskFullSimulated) {
    // Test hook documented in earshot/io/audio_file.hpp: the writer fails after N frames.
    auto r = render(quote(in_), quote(out_), "--listener normal", "EARSHOT_TEST_FAIL_WRITE_AFTER_FRAMES=1000");
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("out.wav"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("disk full"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, DiskFullKeepsExistingOutput) {
    std::ofstream(out_) << "previous";
    auto r = render(quote(in_), quote(out_), "--listener normal", "EARSHOT_TEST_FAIL_WRITE_AFTER_FRAMES=0");
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_EQ(slurp(out_), "previous");
    EXPECT_TRUE(hidden_files(dir_).empty());
}

TEST_F(CliErrors, RefusesToOverwriteInput) {
    const std::string before = slurp(in_);
    fs::create_directory(path("sub"));
    fs::create_symlink(in_, path("link.wav"));
    for (const fs::path& out : {in_, path("sub/../in.wav"), path("./in.wav"), path("link.wav")}) {
        auto r = render(quote(in_), quote(out));
        EXPECT_EQ(r.code, 1) << out;
        EXPECT_TRUE(OneLine(r.err));
        EXPECT_NE(r.err.find("input"), std::string::npos) << r.err;
        EXPECT_EQ(slurp(in_), before);
        EXPECT_TRUE(hidden_files(dir_).empty());
    }
    // The symlinked spelling of the input as IN, the real file as OUT.
    auto r = render(quote(path("link.wav")), quote(in_));
    EXPECT_EQ(r.code, 1);
    EXPECT_EQ(slurp(in_), before);
}

TEST_F(CliErrors, UnknownOptionIsOneLineUsageError) {
    auto r = render(quote(in_), quote(out_), "--listener normal --frobnicate 3");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, MissingListenerIsOneLineUsageError) {
    auto r = render(quote(in_), quote(out_), "");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
    EXPECT_NE(r.err.find("--listener"), std::string::npos) << r.err;
    expect_nothing_written();
}

TEST_F(CliErrors, BadChoiceIsOneLineUsageError) {
    for (const char* extra : {"--listener normal --format mp3", "--listener normal --ear middle",
                              "--listener normal --field water", "--listener normal --level-db-spl loud"}) {
        auto r = render(quote(in_), quote(out_), extra);
        EXPECT_EQ(r.code, 2) << extra;
        EXPECT_TRUE(OneLine(r.err)) << extra;
        expect_nothing_written();
    }
}

TEST_F(CliErrors, OnlyOnePathIsUsageError) {
    auto r = render(quote(in_), "", "--listener normal");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
}

TEST_F(CliErrors, NoSubcommandIsUsageError) {
    auto r = run("");
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(OneLine(r.err));
}

}  // namespace
}  // namespace earshot::test
