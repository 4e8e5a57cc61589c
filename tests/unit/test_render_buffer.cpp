// render_buffer (an interleaved buffer through render_stream) against render_file (the same samples as a float32
// WAV): the outputs are equal sample for sample; and the keyword table (io/render_keywords.hpp): its messages and
// its map to the same RenderOptions the CLI's flags give.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/io/render.hpp"
#include "earshot/io/render_keywords.hpp"

namespace earshot {
namespace {
namespace fs = std::filesystem;

class RenderBuffer : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("earshot_render_buffer_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                "_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    // Interleaved noise-like test signal: a sum of incommensurate sines with a slow envelope per channel.
    static std::vector<float> signal(std::size_t frames, std::size_t channels, double fs) {
        std::vector<float> x(frames * channels);
        for (std::size_t i = 0; i < frames; ++i)
            for (std::size_t c = 0; c < channels; ++c) {
                const double t = double(i) / fs;
                const double env = 0.5 + 0.5 * std::sin(2 * std::numbers::pi * 3.0 * t + double(c));
                x[i * channels + c] = float(0.1 * env * (std::sin(2 * std::numbers::pi * 440.0 * t) + 0.5 * std::sin(2 * std::numbers::pi * 1733.0 * t) +
                                                         0.25 * std::sin(2 * std::numbers::pi * 4111.0 * t + double(c))));
            }
        return x;
    }
    // The file render of the same samples, interleaved.
    std::vector<float> file_render(const std::vector<float>& x, std::size_t channels, double fs, const RenderOptions& o) {
        const fs::path in = dir_ / "in.wav", out = dir_ / "out.wav";
        {
            AudioWriter w(in, AudioFormat::wav_float32, fs, channels);
            const std::size_t frames = x.size() / channels;
            std::vector<std::vector<float>> planar(channels, std::vector<float>(frames));
            std::vector<float*> p;
            for (std::size_t c = 0; c < channels; ++c) {
                for (std::size_t i = 0; i < frames; ++i) planar[c][i] = x[i * channels + c];
                p.push_back(planar[c].data());
            }
            w.write(AudioView<const float>(p.data(), channels, frames));
            w.commit();
        }
        const RenderReport r = render_file(in, out, o);
        AudioReader rd(out);
        const std::size_t nc = rd.info().num_channels;
        EXPECT_EQ(nc, r.num_channels);
        std::vector<std::vector<float>> planar(nc, std::vector<float>(rd.info().num_frames));
        std::vector<float*> p;
        for (auto& ch : planar) p.push_back(ch.data());
        EXPECT_EQ(rd.read(AudioView<float>(p.data(), nc, planar[0].size())), planar[0].size());
        std::vector<float> y(planar[0].size() * nc);
        for (std::size_t i = 0; i < planar[0].size(); ++i)
            for (std::size_t c = 0; c < nc; ++c) y[i * nc + c] = planar[c][i];
        return y;
    }
    fs::path dir_;
};

RenderOptions options(std::initializer_list<std::pair<const char*, KeywordValue>> kv) {
    RenderKeywords k;
    for (const auto& [key, v] : kv) set_render_keyword(k, key, v);
    return render_options(k);
}

TEST_F(RenderBuffer, EqualsTheFileRenderSampleForSample) {
    struct Case {
        const char* name;
        double fs;
        std::size_t channels;
        RenderOptions o;
    };
    const Case cases[] = {
        {"listener, presented at a level", 44100, 1, options({{"listener", std::string("bisgaard:N2")}, {"level_db_spl", 65.0}})},
        {"implant", 16000, 1, options({{"implant", std::string("nucleus-ace")}, {"level_db_spl", 65.0}})},
        {"stereo, limiter", 48000, 2, options({{"listener", std::string("bisgaard:N3")}, {"hearing_aid", std::string("nal-r")},
                                                {"limit_dbfs", -12.0}, {"full_scale_db_spl", 110.0}})},
        {"8 kHz, both ears", 8000, 1, options({{"listener", std::string("bisgaard:N2")}, {"both_ears", true}})},
    };
    for (const auto& c : cases) {
        const std::size_t frames = std::size_t(c.fs * 1.3);
        const std::vector<float> x = signal(frames, c.channels, c.fs);
        const std::vector<float> expected = file_render(x, c.channels, c.fs, c.o);
        std::vector<float> y;
        const RenderReport r = render_buffer({x.data(), frames, c.channels, c.fs}, y, c.o);
        EXPECT_EQ(r.frames, frames) << c.name;
        ASSERT_EQ(y.size(), expected.size()) << c.name;
        std::size_t differ = 0;
        for (std::size_t i = 0; i < y.size(); ++i) differ += y[i] != expected[i];
        EXPECT_EQ(differ, 0u) << c.name;
    }
}

TEST_F(RenderBuffer, BadBuffersAreConfigErrorsNamingTheBuffer) {
    const RenderOptions o = options({{"listener", std::string("bisgaard:N2")}});
    std::vector<float> x(300, 0.1f), y;
    try {
        render_buffer({x.data(), 100, 3, 44100}, y, o, nullptr, "x");
        FAIL() << "3 channels accepted";
    } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("x: 3 channels without a channel map", 0), 0u) << e.what();
    }
    EXPECT_THROW(render_buffer({x.data(), 100, 1, 7000}, y, o, nullptr, "x"), ConfigError);
    EXPECT_THROW(render_buffer({x.data(), 0, 1, 44100}, y, o, nullptr, "x"), ConfigError);
}

TEST(RenderKeywords, MessagesNameTheFlagAndTheRange) {
    RenderKeywords k;
    auto message = [&](const char* key, const KeywordValue& v) {
        try {
            set_render_keyword(k, key, v);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_EQ(message("level_db_spl", 131.0), "--level-db-spl: 131 is out of range [0, 130] dB SPL");
    EXPECT_EQ(message("level_db_spl", std::string("65")), "--level-db-spl: '65' is not a number");
    EXPECT_EQ(message("levle_db_spl", 65.0), "unknown keyword levle_db_spl; did you mean level_db_spl?");
    EXPECT_EQ(message("block_frames", 0.0), "--block-frames: 0 is out of range [1, 65536] frames");
    EXPECT_EQ(message("seed", 2.5), "--seed: 2.5 is not a whole number");
    EXPECT_EQ(message("smearing", 1.0), "--smearing: 1 is not True or False");
    EXPECT_EQ(message("level_ref", std::string("rms")), "(accepted)");  // Python's name of level_measure
    EXPECT_EQ(k.level_measure, "rms");
}

TEST(RenderKeywords, TheMapAppliesTheCompositionRules) {
    RenderKeywords k;
    k.listener = "bisgaard:N2";
    k.intensity = 0.5;
    EXPECT_THROW(render_options(k), ConfigError);  // --intensity needs --implant
    k.intensity.reset();
    k.level_db_spl = 65.0;
    k.full_scale_db_spl = 100.0;
    EXPECT_THROW(render_options(k), ConfigError);  // one calibration
    k.full_scale_db_spl.reset();
    k.both_ears = true;
    const RenderOptions o = render_options(k);
    ASSERT_TRUE(o.description.calibration.present_at_db_spl.has_value());
    EXPECT_EQ(*o.description.calibration.present_at_db_spl, 65.0);
    EXPECT_EQ(o.description.calibration.full_scale_db_spl, 100.0);  // the default
    EXPECT_TRUE(o.description.both_ears);
    EXPECT_EQ(o.block_frames, 8192u);
}

}  // namespace
}  // namespace earshot
