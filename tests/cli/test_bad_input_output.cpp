// The bad-input catalogue (tests/cli/bad_input.hpp), outputs: an output that is an input of the command
// (through any spelling, symlink or hard link) or another output, outputs that cannot be written, figures
// that fail after the audio was rendered, headers with impossible rates, garbage MP3 and control
// characters in names. Each case: exit code, one stderr line naming the file, every existing file unchanged
// (SHA-256), nothing left behind.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>

#include "cli/bad_input.hpp"

namespace earshot::test {
namespace {

class BadInput_Output : public BadInputTest {
protected:
    void SetUp() override {
        BadInputTest::SetUp();
        write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
        std::ofstream(path("s.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n";
    }
    void write_bytes(const std::string& name, const std::string& s) { std::ofstream(path(name), std::ios::binary) << s; }
    std::string in() const { return quote(path("in.wav")); }
    std::string scene() const { return " --scene " + quote(path("s.toml")); }

    // A 16-bit mono PCM WAV header + 100 samples with the given rate field (libsndfile refuses 0 and > 655350).
    std::string wav_with_rate(std::uint32_t rate) const {
        auto u32 = [](std::uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
        auto u16 = [](std::uint16_t v) { return std::string{char(v), char(v >> 8)}; };
        const std::string data(200, '\0');
        return "RIFF" + u32(36 + 200) + "WAVEfmt " + u32(16) + u16(1) + u16(1) + u32(rate) + u32(rate * 2) + u16(2) +
               u16(16) + "data" + u32(200) + data;
    }
};

// --- an output that is an input ---------------------------------------------------------------------

TEST_F(BadInput_Output, TimelineIsTheInput) {
    // The issue's case: an audio input named in.png and --timeline in.png.
    fs::copy_file(path("in.wav"), path("in.png"));
    expect_refused("render " + quote(path("in.png")) + " " + quote(path("out.wav")) + scene() + " --timeline " +
                       quote(path("in.png")),
                   1, {"in.png", "refusing to overwrite an input"});
}

TEST_F(BadInput_Output, TimelineIsTheAudioOutput) {
    expect_refused("render " + in() + " " + quote(path("o.png")) + " --format wav32" + scene() + " --timeline " +
                       quote(path("o.png")),
                   1, {"o.png", "two outputs cannot share one file"});
}

TEST_F(BadInput_Output, OutputIsTheSceneFile) {
    expect_refused("render " + in() + " " + quote(path("s.toml")) + " --format wav32" + scene(), 1,
                   {"s.toml", "--scene file"});
}

TEST_F(BadInput_Output, TimelineIsTheSceneFileThroughASymlink) {
    fs::create_symlink(path("s.toml"), path("scene.svg"));
    expect_refused("render " + in() + " " + quote(path("out.wav")) + scene() + " --timeline " + quote(path("scene.svg")),
                   1, {"scene.svg", "--scene file"});
}

TEST_F(BadInput_Output, OutputIsTheListenerFile) {
    std::ofstream(path("l.toml")) << "[right]\nfreqs_hz = [1000]\nhl_db = [20]\n[left]\nfreqs_hz = [1000]\nhl_db = [20]\n";
    expect_refused("render " + in() + " " + quote(path("l.toml")) + " --format wav32 --listener " + quote(path("l.toml")),
                   1, {"l.toml", "--listener file"});
}

TEST_F(BadInput_Output, OutputIsTheImplantFile) {
    std::ofstream(path("i.json")) << R"({"preset": "medel-cis"})";
    expect_refused("render " + in() + " " + quote(path("i.json")) + " --format wav32 --implant " + quote(path("i.json")),
                   1, {"i.json", "--implant file"});
}

TEST_F(BadInput_Output, OutputIsTheBodyBus) {
    write_audio(path("body.wav"), test_signal(16000, 1, 0.5));
    expect_refused("render " + in() + " " + quote(path("body.wav")) + scene() + " --body " + quote(path("body.wav")), 1,
                   {"body.wav", "--body input"});
}

TEST_F(BadInput_Output, OutputIsASymlinkToTheInput) {
    fs::create_symlink(path("in.wav"), path("link.wav"));
    expect_refused("render " + in() + " " + quote(path("link.wav")) + " --listener normal", 1, {"link.wav", "in.wav"});
}

TEST_F(BadInput_Output, OutputIsAHardLinkToTheInput) {
    fs::create_hard_link(path("in.wav"), path("hard.wav"));
    expect_refused("render " + in() + " " + quote(path("hard.wav")) + " --listener normal", 1, {"hard.wav", "in.wav"});
}

TEST_F(BadInput_Output, OutputIsTheInputThroughDotDot) {
    fs::create_directories(path("sub"));
    expect_refused("render " + in() + " " + quote(path("sub/../in.wav")) + " --listener normal", 1, {"sub/../in.wav"});
}

TEST_F(BadInput_Output, OutputIsTheInputThroughASymlinkedDirectory) {
    fs::create_directory_symlink(dir_, path("alias"));
    expect_refused("render " + in() + " " + quote(path("alias/in.wav")) + " --listener normal", 1, {"alias/in.wav"});
}

TEST_F(BadInput_Output, ElectrodogramPlotIsTheInput) {
    fs::copy_file(path("in.wav"), path("in.png"));
    expect_refused("electrodogram " + quote(path("in.png")) + " " + quote(path("e.csv")) + " --implant medel-cis --plot " +
                       quote(path("in.png")),
                   1, {"in.png", "--plot"});
}

TEST_F(BadInput_Output, ElectrodogramCsvIsTheInput) {
    fs::copy_file(path("in.wav"), path("in.csv"));
    expect_refused("electrodogram " + quote(path("in.csv")) + " " + quote(path("in.csv")) + " --implant medel-cis", 1,
                   {"in.csv", "refusing to overwrite an input"});
}

TEST_F(BadInput_Output, ElectrodogramPlotIsTheCsvThroughASymlink) {
    write_bytes("e.csv", "an earlier electrodogram\n");
    fs::create_symlink(path("e.csv"), path("e.png"));
    expect_refused("electrodogram " + in() + " " + quote(path("e.csv")) + " --implant medel-cis --plot " +
                       quote(path("e.png")),
                   1, {"e.png", "two outputs cannot share one file"});
}

TEST_F(BadInput_Output, ListenerPlotIsTheListenerFile) {
    std::ofstream(path("l.toml")) << "[right]\nfreqs_hz = [1000]\nhl_db = [20]\n[left]\nfreqs_hz = [1000]\nhl_db = [20]\n";
    fs::create_symlink(path("l.toml"), path("l.png"));
    expect_refused("listener show " + quote(path("l.toml")) + " --plot " + quote(path("l.png")), 1,
                   {"l.png", "listener file"});
}

// --- outputs of one command committed together -----------------------------------------------------------

TEST_F(BadInput_Output, FailingTimelineLeavesNoAudio) {
    // The timeline's directory does not exist: before, out.wav was committed and the exit code was 1.
    expect_refused("render " + in() + " " + quote(path("out.wav")) + scene() + " --timeline " +
                       quote(path("nodir/t.png")),
                   1, {"nodir/t.png"});
}

TEST_F(BadInput_Output, TimelineIsADirectoryLeavesNoAudio) {
    fs::create_directories(path("t.png"));
    expect_refused("render " + in() + " " + quote(path("out.wav")) + scene() + " --timeline " + quote(path("t.png")), 1,
                   {"t.png", "is a directory"});
}

TEST_F(BadInput_Output, FailingPlotLeavesNoElectrodogramCsv) {
    expect_refused("electrodogram " + in() + " " + quote(path("e.csv")) + " --implant medel-cis --plot " +
                       quote(path("nodir/e.png")),
                   1, {"nodir/e.png"});
}

TEST_F(BadInput_Output, DiskFullLeavesNeitherAudioNorTimeline) {
    expect_refused("render " + in() + " " + quote(path("out.wav")) + scene() + " --timeline " + quote(path("t.png")), 1,
                   {"out.wav", "disk full"}, "EARSHOT_TEST_FAIL_WRITE_AFTER_FRAMES=1000");
}

// --- outputs that cannot be written ----------------------------------------------------------------------

TEST_F(BadInput_Output, OutputIsAFifo) {
    ASSERT_EQ(::mkfifo(path("fifo.wav").c_str(), 0600), 0);
    expect_refused("render " + in() + " " + quote(path("fifo.wav")) + " --listener normal", 1,
                   {"fifo.wav", "not a regular file"});
}

TEST_F(BadInput_Output, OutputDirectoryIsAFile) {
    write_bytes("plain", "not a directory\n");
    expect_refused("render " + in() + " " + quote(path("plain/out.wav")) + " --listener normal", 1, {"plain/out.wav"});
}

TEST_F(BadInput_Output, OutputNameWithControlCharactersIsEscaped) {
    // An escape sequence (ESC [ 2 J clears a terminal) in a missing directory's name is echoed as \x1b.
    const std::string out = "\"" + path("").string() + "$(printf 'no\\033[2Jdir')/out.wav\"";
    expect_refused("render " + in() + " " + out + " --listener normal", 1, {"no\\x1b[2Jdir"});
}

// --- messages from the audio layer ----------------------------------------------------------------------

TEST_F(BadInput_Output, HeaderSampleRateZero) {
    write_bytes("r0.wav", wav_with_rate(0));
    expect_refused("render " + quote(path("r0.wav")) + " " + quote(path("out.wav")) + " --listener normal", 1,
                   {"r0.wav", "sample rate 0 Hz", "out of range"});
}

TEST_F(BadInput_Output, HeaderSampleRateFourGigahertz) {
    write_bytes("r4g.wav", wav_with_rate(4000000000u));
    expect_refused("render " + quote(path("r4g.wav")) + " " + quote(path("out.wav")) + " --listener normal", 1,
                   {"r4g.wav", "sample rate 4000000000 Hz", "out of range"});
}

TEST_F(BadInput_Output, GarbageMp3IsOneLine) {
    // An MPEG frame sync followed by noise: libmpg123's own "Note: ..." lines must not reach stderr.
    std::mt19937 rng(7);
    std::string s = "\xff\xfb\x90";
    for (int i = 0; i < 5000; ++i) s += char(rng());
    write_bytes("noise.mp3", s);
    expect_refused("render " + quote(path("noise.mp3")) + " " + quote(path("out.wav")) + " --listener normal", 1,
                   {"noise.mp3"});
}

TEST_F(BadInput_Output, Id3TagThenGarbageIsOneLine) {
    std::mt19937 rng(11);
    std::string s("ID3\x03\x00\x00\x00\x00\x00\x00", 10);
    for (int i = 0; i < 5000; ++i) s += char(rng());
    write_bytes("tagged.mp3", s);
    expect_refused("render " + quote(path("tagged.mp3")) + " " + quote(path("out.wav")) + " --listener normal", 1,
                   {"tagged.mp3"});
}

// Files a description names are inputs too, not only those on the command line (the scene's listener file).
TEST_F(BadInput_Output, OutputIsAListenerFileTheSceneNames) {
    std::ofstream(path("ears.toml")) << "[left]\nfreqs_hz = [500, 1000]\nhl_db = [20, 30]\n"
                                        "[right]\nfreqs_hz = [500, 1000]\nhl_db = [20, 30]\n";
    std::ofstream(path("s2.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"ears.toml\"\n";
    expect_refused("render " + in() + " " + quote(path("ears.toml")) + " --format wav32 --scene " + quote(path("s2.toml")),
                   1, {"ears.toml", "refusing to overwrite an input"});
}

// ... and the implant file a listener file names, reached through a symlink in another spelling.
TEST_F(BadInput_Output, PlotIsTheImplantFileAListenerFileNames) {
    std::ofstream(path("imp.json")) << "{\"strategy\": \"ace\"}\n";
    std::ofstream(path("l.toml")) << "[left]\nfreqs_hz = [500, 1000]\nhl_db = [20, 30]\nimplant = \"imp.json\"\n"
                                     "[right]\nfreqs_hz = [500, 1000]\nhl_db = [20, 30]\n";
    fs::create_symlink("imp.json", path("link.png"));
    expect_refused("listener show " + quote(path("l.toml")) + " --plot " + quote(path("link.png")), 1,
                   {"link.png", "imp.json"});
}

}  // namespace
}  // namespace earshot::test
