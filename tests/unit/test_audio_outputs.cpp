// The output layer: TempFile names and creation (O_EXCL, NAME_MAX), the RF64 decision, clipping counts,
// metadata and channel-map copies, byte-reproducible files, and OutputPlan's notion of "the same file".
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/io/output_plan.hpp"
#include "earshot/core/temp_file.hpp"

namespace earshot {
namespace {
namespace fs = std::filesystem;

class AudioOutputs : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("earshot_outputs_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
                std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
        ::unsetenv("EARSHOT_TEST_RF64_THRESHOLD_BYTES");
    }
    std::vector<std::string> entries() const {
        std::vector<std::string> v;
        for (const auto& e : fs::directory_iterator(dir_)) v.push_back(e.path().filename().string());
        return v;
    }
    static std::string slurp(const fs::path& p) {
        std::ifstream f(p, std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }
    // Writes `frames` frames of a 440 Hz sine at amplitude `amp` on every channel.
    static void write_sine(AudioWriter& w, std::size_t channels, std::size_t frames, float amp) {
        std::vector<std::vector<float>> data(channels, std::vector<float>(frames));
        std::vector<const float*> ptrs;
        for (auto& ch : data) {
            for (std::size_t i = 0; i < frames; ++i) ch[i] = amp * float(std::sin(2 * M_PI * 440.0 * double(i) / 16000.0));
            ptrs.push_back(ch.data());
        }
        w.write(AudioView<const float>(ptrs.data(), channels, frames));
    }
    fs::path dir_;
};

TEST_F(AudioOutputs, TempNameIsHiddenRandomAndKeepsTheExtension) {
    const std::string a = temp_file_name(dir_ / "out.wav", "0123456789abcdef");
    EXPECT_EQ(a, ".out.wav.0123456789abcdef.tmp.wav");
    TempFile t1(dir_ / "out.wav"), t2(dir_ / "out.wav");
    EXPECT_NE(t1.path(), t2.path());  // unpredictable: two temp files for one target differ
    EXPECT_EQ(t1.path().parent_path(), dir_);
}

TEST_F(AudioOutputs, TempNameStaysWithinNameMaxWithoutSplittingUtf8) {
    std::string name;
    for (int i = 0; i < 120; ++i) name += "\xc3\xa9";  // 120 x 'e acute' = 240 bytes
    name += ".wav";                                   // 244 bytes: legal, but + the temp decoration is not
    const std::string t = temp_file_name(dir_ / name, "0123456789abcdef", 255);
    EXPECT_LE(t.size(), 255u);
    // No lone continuation byte before the tag: the cut falls between two-byte sequences.
    const std::size_t tag = t.find(".0123456789abcdef.tmp");
    ASSERT_NE(tag, std::string::npos);
    EXPECT_EQ((tag - 1) % 2, 0u) << t;  // "." + whole 2-byte characters
    // And such a file really can be created and committed.
    {
        TempFile f(dir_ / name);
        f.write_all("x", 1);
        f.commit();
    }
    EXPECT_TRUE(fs::exists(dir_ / name));
}

TEST_F(AudioOutputs, TempFileIsRemovedUnlessCommittedAndUnregistered) {
    const std::size_t before = registered_temp_files();
    {
        TempFile t(dir_ / "a.csv");
        t.write_all("abc", 3);
        EXPECT_EQ(registered_temp_files(), before + 1);
    }
    EXPECT_TRUE(entries().empty());
    EXPECT_EQ(registered_temp_files(), before);
    {
        TempFile t(dir_ / "a.csv");
        t.write_all("abc", 3);
        t.commit();
        EXPECT_EQ(registered_temp_files(), before);
    }
    EXPECT_EQ(entries(), std::vector<std::string>{"a.csv"});
    EXPECT_EQ(slurp(dir_ / "a.csv"), "abc");
}

TEST_F(AudioOutputs, TempFileRefusesNonRegularTargetsAndMissingDirectories) {
    fs::create_directories(dir_ / "d.wav");
    EXPECT_THROW(TempFile(dir_ / "d.wav"), IoError);
    EXPECT_THROW(TempFile(dir_ / "missing" / "x.wav"), IoError);
}

TEST_F(AudioOutputs, Rf64DecisionAtTheLimit) {
    // 1000 frames x 2 channels x 3 bytes = 6000 bytes: fits a limit of 6000, not of 5999.
    EXPECT_FALSE(wav_needs_rf64(1000, 2, 3, 6000));
    EXPECT_TRUE(wav_needs_rf64(1000, 2, 3, 5999));
    // The real limit: 96 min of 8-channel float at 48 kHz is 8.8 GB; 1 min of it is 92 MB.
    EXPECT_TRUE(wav_needs_rf64(96ull * 60 * 48000, 8, 4));
    EXPECT_FALSE(wav_needs_rf64(60ull * 48000, 8, 4));
    // No overflow for absurd frame counts.
    EXPECT_TRUE(wav_needs_rf64(~0ull, 1024, 4, ~0ull));
}

TEST_F(AudioOutputs, Rf64FileIsReadBackByLibsndfile) {
    ::setenv("EARSHOT_TEST_RF64_THRESHOLD_BYTES", "1000", 1);
    {
        AudioWriterOptions o;
        o.expected_frames = 4000;  // 4000 x 1 x 2 bytes > 1000
        AudioWriter w(dir_ / "long.wav", AudioFormat::wav_pcm16, 16000, 1, o);
        EXPECT_TRUE(w.rf64());
        write_sine(w, 1, 4000, 0.5f);
        w.commit();
    }
    SF_INFO info{};
    SNDFILE* f = sf_open((dir_ / "long.wav").c_str(), SFM_READ, &info);
    ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
    EXPECT_EQ(info.format & SF_FORMAT_TYPEMASK, SF_FORMAT_RF64);
    EXPECT_EQ(info.frames, 4000);
    sf_close(f);
    EXPECT_EQ(slurp(dir_ / "long.wav").substr(0, 4), "RF64");
}

TEST_F(AudioOutputs, PlainWavThatWouldPassTheLimitFailsInsteadOfWrapping) {
    ::setenv("EARSHOT_TEST_RF64_THRESHOLD_BYTES", "1000", 1);
    AudioWriterOptions o;
    o.expected_frames = 100;  // announced small (a header that lies), then more is written
    AudioWriter w(dir_ / "x.wav", AudioFormat::wav_pcm16, 16000, 1, o);
    EXPECT_FALSE(w.rf64());
    write_sine(w, 1, 400, 0.5f);  // 800 bytes: fits
    try {
        write_sine(w, 1, 400, 0.5f);  // 1600 bytes: does not
        ADD_FAILURE() << "no error";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("x.wav"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
}

TEST_F(AudioOutputs, ClippingIsCountedWithItsPeakInIntegerFormats) {
    const float samples[] = {0.5f, 1.5f, -2.0f, 1.0f, -1.0f, 0.25f};
    const float* p = samples;
    for (AudioFormat f : {AudioFormat::wav_pcm16, AudioFormat::flac_pcm24}) {
        AudioWriter w(dir_ / (std::string("c") + std::string(audio_format_extension(f))), f, 16000, 1);
        w.write(AudioView<const float>(&p, 1, 6));
        EXPECT_EQ(w.clipped_samples(), 2u);  // 1.5 and -2.0; exactly full scale is not above it
        EXPECT_NEAR(w.peak_dbfs(), 20 * std::log10(2.0), 1e-6);
    }
    AudioWriter w(dir_ / "f.wav", AudioFormat::wav_float32, 16000, 1);
    w.write(AudioView<const float>(&p, 1, 6));
    EXPECT_EQ(w.clipped_samples(), 0u);  // float keeps them
    EXPECT_NEAR(w.peak_dbfs(), 20 * std::log10(2.0), 1e-6);
}

TEST_F(AudioOutputs, MetadataAndChannelMapAreCopied) {
    for (const char* ext : {".wav", ".flac"}) {
        SF_INFO info{};
        info.samplerate = 16000;
        info.channels = 2;
        info.format = std::string(ext) == ".wav" ? (SF_FORMAT_WAVEX | SF_FORMAT_PCM_16) : (SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
        const fs::path in = dir_ / (std::string("in") + ext);
        SNDFILE* f = sf_open(in.c_str(), SFM_WRITE, &info);
        ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
        sf_set_string(f, SF_STR_TITLE, "A title");
        sf_set_string(f, SF_STR_ARTIST, "An artist");
        int map[2] = {SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT};
        sf_command(f, SFC_SET_CHANNEL_MAP_INFO, map, sizeof map);
        std::vector<float> z(2 * 1600, 0.1f);
        sf_writef_float(f, z.data(), 1600);
        sf_close(f);

        AudioReader r(in);
        const AudioInfo& ai = r.info();
        AudioWriterOptions o;
        o.strings = ai.strings;
        o.channel_map = ai.channel_map;
        const fs::path out = dir_ / (std::string("out") + ext);
        {
            AudioWriter w(out, std::string(ext) == ".wav" ? AudioFormat::wav_pcm16 : AudioFormat::flac_pcm16, 16000, 2, o);
            write_sine(w, 2, 1600, 0.1f);
            w.commit();
        }
        AudioReader back(out);
        const auto& bi = back.info();
        auto get = [&](int id) {
            for (const auto& [k, v] : bi.strings)
                if (k == id) return v;
            return std::string();
        };
        EXPECT_EQ(get(SF_STR_TITLE), "A title") << ext;
        EXPECT_EQ(get(SF_STR_ARTIST), "An artist") << ext;
        if (std::string(ext) == ".wav") {
            ASSERT_EQ(ai.channel_map, (std::vector<int>{SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT}));
            EXPECT_EQ(bi.channel_map, ai.channel_map);
        }
    }
}

TEST_F(AudioOutputs, SameSamplesGiveTheSameBytes) {
    for (AudioFormat f : {AudioFormat::wav_float32, AudioFormat::wav_pcm24, AudioFormat::flac_pcm16}) {
        std::string bytes[2];
        for (int k = 0; k < 2; ++k) {
            const fs::path out = dir_ / (std::to_string(k) + std::string(audio_format_extension(f)));
            {
                AudioWriter w(out, f, 16000, 2);
                write_sine(w, 2, 8000, 0.5f);
                w.commit();
            }
            bytes[k] = slurp(out);
            if (k == 0) ::sleep(1);  // a time stamp (the PEAK chunk's) would differ now
        }
        EXPECT_EQ(bytes[0], bytes[1]) << audio_format_name(f);
        EXPECT_EQ(bytes[0].find("PEAK"), std::string::npos) << audio_format_name(f);
    }
}

TEST_F(AudioOutputs, OutputPlanFindsTheSameFileThroughLinksAndSpellings) {
    std::ofstream(dir_ / "in.wav") << "x";
    fs::create_symlink(dir_ / "in.wav", dir_ / "sym.wav");
    fs::create_hard_link(dir_ / "in.wav", dir_ / "hard.wav");
    fs::create_directories(dir_ / "sub");
    OutputPlan plan;
    plan.add_input(dir_ / "in.wav", "input");
    EXPECT_NE(plan.claim_output(dir_ / "sym.wav", "output"), "");
    EXPECT_NE(plan.claim_output(dir_ / "hard.wav", "output"), "");
    EXPECT_NE(plan.claim_output(dir_ / "sub" / ".." / "in.wav", "output"), "");
    EXPECT_EQ(plan.claim_output(dir_ / "new.wav", "output"), "");
    // Two outputs that do not exist yet, spelled differently.
    EXPECT_NE(plan.claim_output(dir_ / "sub" / ".." / "new.wav", "--timeline"), "");
    EXPECT_EQ(plan.claim_output(dir_ / "other.png", "--timeline"), "");
}

TEST_F(AudioOutputs, PrintableEscapesControlCharacters) {
    EXPECT_EQ(printable(std::string_view("a\x1b[2Jb\n\x7f")), "a\\x1b[2Jb\\x0a\\x7f");
    EXPECT_EQ(printable(std::string_view("caf\xc3\xa9")), "caf\xc3\xa9");  // UTF-8 kept
}

}  // namespace
}  // namespace earshot
