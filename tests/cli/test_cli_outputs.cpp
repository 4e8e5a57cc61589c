// Outputs as a user meets them: a batch whose outputs would overwrite its inputs, a symlink planted at a
// predictable temp name, interrupts (SIGINT/SIGTERM/SIGHUP: exit 128+N, no temp file left), RF64 for long
// WAVs, copied metadata, byte-reproducible renders, clipping reported, long file names, and headers that
// claim more than they hold.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include "cli/cli_helpers.hpp"
#include "support/sha256.hpp"

extern char** environ;

namespace earshot::test {
namespace {

class CliOutputs : public CliTest {
protected:
    // Starts earshot with `args` (no shell), stdout/stderr to files in the test directory.
    pid_t spawn(const std::vector<std::string>& args) {
        std::vector<std::string> all{EARSHOT_CLI_PATH};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, (out_dir() / "stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&fa, 2, (out_dir() / "stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        pid_t pid = -1;
        EXPECT_EQ(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&fa);
        return pid;
    }
    fs::path out_dir() const { return dir_ / "logs"; }
    void SetUp() override {
        CliTest::SetUp();
        fs::create_directories(out_dir());
        fs::create_directories(path("o"));
    }
    // Waits (at most 20 s) until a hidden temp file appears in `d`; true if one did.
    static bool wait_for_temp(const fs::path& d) {
        for (int i = 0; i < 4000; ++i) {
            if (!hidden_files(d).empty()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return false;
    }
    static int exit_code(pid_t pid) {
        int status = 0;
        waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
};

TEST_F(CliOutputs, BatchWithSharedStemsRefusesTheTasksThatWouldOverwriteAndRendersTheRest) {
    // d/s.flac and d/s.wav into d/: the render of s.flac would replace s.wav (and s.wav itself).
    fs::create_directories(path("d"));
    write_audio(path("d/s.wav"), test_signal(16000, 1, 0.5));
    write_audio(path("d/s.flac"), test_signal(16000, 1, 0.5), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    write_audio(path("d/u.flac"), test_signal(16000, 1, 0.5), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    const std::string before = sha256_hex(slurp(path("d/s.wav")));
    const auto r = run("render " + quote(path("d/s.flac")) + " " + quote(path("d/s.wav")) + " " + quote(path("d/u.flac")) +
                       " " + quote(path("d")) + " --listener normal -q");
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_EQ(sha256_hex(slurp(path("d/s.wav"))), before);
    EXPECT_NE(r.err.find("2 of 3 files failed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("the output of " + path("d/s.flac").string() + " is the input " + path("d/s.wav").string()),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(fs::exists(path("d/u.wav")));  // the rest of the batch still renders
    EXPECT_TRUE(hidden_files(path("d")).empty());
}

TEST_F(CliOutputs, BatchOutputsOfTwoSpellingsOfOneDirectoryCollide) {
    fs::create_directories(path("a"));
    fs::create_directories(path("b"));
    write_audio(path("a/x.wav"), test_signal(16000, 1, 0.5));
    write_audio(path("b/x.flac"), test_signal(16000, 1, 0.5), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    const auto r = run("render " + quote(path("a/x.wav")) + " " + quote(path("b/x.flac")) + " " + quote(path("o")) +
                       " --listener normal -q");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("two outputs cannot share one file"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(path("o/x.wav")));
}

TEST_F(CliOutputs, PlantedSymlinkAtTheOldTempNameRedirectsNothing) {
    write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    std::ofstream(path("victim.txt")) << "precious\n";
    fs::create_symlink(path("victim.txt"), path(".e.csv.tmp"));  // the fixed name used before
    const auto r = run("electrodogram " + quote(path("in.wav")) + " " + quote(path("e.csv")) + " --implant medel-cis -q");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(slurp(path("victim.txt")), "precious\n");
    EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(path("e.csv"))));
    EXPECT_EQ(slurp(path("e.csv")).rfind("time_us,electrode", 0), 0u);
}

class CliInterrupt : public CliOutputs, public ::testing::WithParamInterface<int> {};

TEST_P(CliInterrupt, SingleRenderRemovesItsTempFileAndExitsWith128PlusTheSignal) {
    const int sig = GetParam();
    write_audio(path("long.wav"), test_signal(16000, 1, 60));
    // --block-frames 1: slow enough (seconds) to be interrupted while the output is being written.
    const pid_t pid = spawn({"render", path("long.wav").string(), path("o/out.wav").string(), "--listener",
                             "bisgaard:N3", "-q", "--block-frames", "1"});
    ASSERT_TRUE(wait_for_temp(path("o"))) << "no temp file appeared";
    ::kill(pid, sig);
    EXPECT_EQ(exit_code(pid), 128 + sig);
    EXPECT_TRUE(hidden_files(path("o")).empty());
    EXPECT_FALSE(fs::exists(path("o/out.wav")));
}

INSTANTIATE_TEST_SUITE_P(Signals, CliInterrupt, ::testing::Values(SIGINT, SIGTERM, SIGHUP));

TEST_F(CliOutputs, InterruptedBatchStopsStartingFilesAndListsWhatWasDone) {
    fs::create_directories(path("in"));
    write_audio(path("in/a.wav"), test_signal(16000, 1, 0.2));
    write_audio(path("in/b.wav"), test_signal(16000, 1, 60));
    write_audio(path("in/c.wav"), test_signal(16000, 1, 60));
    const pid_t pid = spawn({"render", path("in").string(), path("o").string(), "--listener", "bisgaard:N3", "-q", "-j",
                             "1", "--block-frames", "1"});
    // a.wav takes a fraction of a second; wait for b's temp file.
    bool b_started = false;
    for (int i = 0; i < 4000 && !b_started; ++i) {
        for (const auto& n : hidden_files(path("o"))) b_started = b_started || n.rfind(".b.wav.", 0) == 0;
        if (!b_started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(b_started);
    ::kill(pid, SIGTERM);
    EXPECT_EQ(exit_code(pid), 143);
    const std::string err = slurp(out_dir() / "stderr.txt");
    EXPECT_NE(err.find("interrupted by SIGTERM"), std::string::npos) << err;
    EXPECT_NE(err.find("done: " + path("o/a.wav").string()), std::string::npos) << err;
    EXPECT_NE(err.find("removed (unfinished): " + path("o/b.wav").string()), std::string::npos) << err;
    EXPECT_NE(err.find("not started: " + path("o/c.wav").string()), std::string::npos) << err;
    EXPECT_TRUE(hidden_files(path("o")).empty());
    EXPECT_TRUE(fs::exists(path("o/a.wav")));
    EXPECT_FALSE(fs::exists(path("o/b.wav")));
    EXPECT_FALSE(fs::exists(path("o/c.wav")));
}

TEST_F(CliOutputs, LongWavIsWrittenAsRf64WithANote) {
    write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    // The hook lowers plain WAV's 4 GiB limit to 10000 bytes: 0.5 s of float (32000 bytes) passes it.
    const auto r = run("render " + quote(path("in.wav")) + " " + quote(path("out.wav")) + " --listener normal",
                       "EARSHOT_TEST_RF64_THRESHOLD_BYTES=10000");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("RF64"), std::string::npos) << r.err;
    const Audio y = read_audio(path("out.wav"));
    EXPECT_EQ(y.frames(), 8000u);
    EXPECT_EQ(y.format & SF_FORMAT_TYPEMASK, SF_FORMAT_RF64);
}

TEST_F(CliOutputs, RenderKeepsTagsAndIsByteReproducible) {
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 1;
    info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(path("in.flac").c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr);
    sf_set_string(f, SF_STR_TITLE, "Interview 12");
    sf_set_string(f, SF_STR_COMMENT, "consent on file");
    const Audio x = test_signal(16000, 1, 0.5);
    sf_writef_float(f, x.ch[0].data(), sf_count_t(x.frames()));
    sf_close(f);
    for (const char* out : {"a.wav", "a.flac"}) {
        const auto r1 = run("render " + quote(path("in.flac")) + " " + quote(path(std::string("1") + out)) + " --listener bisgaard:N2 -q");
        std::this_thread::sleep_for(std::chrono::seconds(1));  // a time stamp would now differ
        const auto r2 = run("render " + quote(path("in.flac")) + " " + quote(path(std::string("2") + out)) + " --listener bisgaard:N2 -q");
        ASSERT_EQ(r1.code, 0) << r1.err;
        ASSERT_EQ(r2.code, 0) << r2.err;
        EXPECT_EQ(sha256_hex(slurp(path(std::string("1") + out))), sha256_hex(slurp(path(std::string("2") + out)))) << out;
        SNDFILE* g = sf_open(path(std::string("1") + out).c_str(), SFM_READ, &info);
        ASSERT_NE(g, nullptr);
        const char* title = sf_get_string(g, SF_STR_TITLE);
        const char* comment = sf_get_string(g, SF_STR_COMMENT);
        EXPECT_STREQ(title ? title : "", "Interview 12") << out;
        EXPECT_STREQ(comment ? comment : "", "consent on file") << out;
        sf_close(g);
    }
}

TEST_F(CliOutputs, ClippingInAnIntegerFormatIsReportedWithItsPeak) {
    // A 1 kHz sine at amplitude 2 (+6.02 dBFS) through the normal listener, written as 16-bit.
    Audio x;
    x.rate = 16000;
    x.ch.assign(1, std::vector<float>(8000));
    for (std::size_t i = 0; i < 8000; ++i) x.ch[0][i] = 2.0f * float(std::sin(2 * M_PI * 1000.0 * double(i) / 16000.0));
    write_audio(path("loud.wav"), x);
    const auto r = run("render " + quote(path("loud.wav")) + " " + quote(path("out.wav")) + " --listener normal --format wav16");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto at = r.err.find("samples above full scale (peak +");
    ASSERT_NE(at, std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--limit-dbfs"), std::string::npos) << r.err;
    const double peak = std::atof(r.err.c_str() + at + std::string("samples above full scale (peak ").size());
    EXPECT_NEAR(peak, 20 * std::log10(2.0), 1.0);  // the normal listener passes 1 kHz within +-1 dB
    // Float output keeps the samples: no clipping warning.
    const auto f = run("render " + quote(path("loud.wav")) + " " + quote(path("f.wav")) + " --listener normal");
    EXPECT_EQ(f.err.find("above full scale"), std::string::npos) << f.err;
}

TEST_F(CliOutputs, OutputNameNearNameMaxStillRenders) {
    write_audio(path("in.wav"), test_signal(16000, 1, 0.2));
    const std::string name = std::string(250, 'n') + ".wav";  // 254 bytes: its temp name must be shortened
    const auto r = run("render " + quote(path("in.wav")) + " " + quote(path(name)) + " --listener normal -q");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::exists(path(name)));
    EXPECT_TRUE(hidden_files(dir_).empty());
}

TEST_F(CliOutputs, HeaderClaimingMoreThanItHoldsIsWarned) {
    // 16-bit mono WAV whose data chunk claims 10 s at 16 kHz and holds 1 s.
    auto u32 = [](std::uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
    auto u16 = [](std::uint16_t v) { return std::string{char(v), char(v >> 8)}; };
    std::string data;
    for (int i = 0; i < 16000; ++i) data += u16(std::uint16_t(std::int16_t(8000 * std::sin(i / 5.0))));
    std::ofstream(path("claim.wav"), std::ios::binary)
        << "RIFF" + u32(36 + 32000) + "WAVEfmt " + u32(16) + u16(1) + u16(1) + u32(16000) + u32(32000) + u16(2) + u16(16) +
               "data" + u32(320000) + data;
    const auto r = run("render " + quote(path("claim.wav")) + " " + quote(path("out.wav")) + " --listener normal");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.err.find("claims 160000 frames (10.00 s) but the file holds 16000 (1.00 s)"), std::string::npos) << r.err;
    EXPECT_EQ(read_audio(path("out.wav")).frames(), 16000u);
}

}  // namespace
}  // namespace earshot::test
