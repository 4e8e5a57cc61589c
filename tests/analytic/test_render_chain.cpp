// The render chain's guards and routing (docs/rendering.md): the input guard's clamp, the model's output finite
// for huge finite inputs, the NAL-R gain cap, the ITU-R BS.775 down-mix coefficients (from a file's channel map
// and from the standard 5.1/7.1 order) and the channel->ear rule.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/dsp/downmix.hpp"
#include "earshot/dsp/input_guard.hpp"
#include "earshot/hearing/hearing_aid.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/io/render.hpp"

using namespace earshot;
namespace fs = std::filesystem;

namespace {

fs::path temp_file(const std::string& name) {
    return fs::temp_directory_path() / ("earshot_chain_" + std::to_string(::getpid()) + "_" + name);
}

// A float WAV of `channels` x `frames` zeros, with an optional channel map (written as WAVE_FORMAT_EXTENSIBLE).
void write_silence(const fs::path& p, int channels, const std::vector<int>& map, int frames = 64) {
    SF_INFO info{};
    info.samplerate = 48000;
    info.channels = channels;
    info.format = (map.empty() ? SF_FORMAT_WAV : SF_FORMAT_WAVEX) | SF_FORMAT_FLOAT;
    SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
    if (!map.empty()) {
        ASSERT_EQ(sf_command(f, SFC_SET_CHANNEL_MAP_INFO, const_cast<int*>(map.data()), int(map.size() * sizeof(int))), SF_TRUE);
    }
    std::vector<float> z(std::size_t(channels * frames), 0.f);
    sf_writef_float(f, z.data(), frames);
    sf_close(f);
}

RenderOptions options_for(const Listener& l) {
    RenderOptions o;
    o.description.listener = l;
    return o;
}

}  // namespace

TEST(InputGuard, ClampsHugeAndZeroesNonFiniteAndPassesSafeBlocksUntouched) {
    std::vector<float> a = {0.5f, 1e19f, -1e30f, std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), 1e4f, -9999.f};
    std::vector<float> y(a.size(), 0.f);
    const float* in[1] = {a.data()};
    float* out[1] = {y.data()};
    InputGuard g;
    g.prepare(1);
    const AudioView<const float> v = g.apply(AudioView<const float>(in, 1, a.size()), AudioView<float>(out, 1, y.size()));
    EXPECT_EQ(input_guard_count(AudioView<const float>(in, 1, a.size())), 5u);  // 1e19, -1e30, NaN, +Inf, -Inf
    ASSERT_EQ(v.channel(0), y.data());
    const float want[] = {0.5f, kInputGuardLimit, -kInputGuardLimit, 0.f, kInputGuardLimit, -kInputGuardLimit, 1e4f, -9999.f};
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(v.channel(0)[i], want[i]) << i;
    // A block within +-1e4 is the input itself (no copy).
    std::vector<float> b = {0.1f, -1e4f, 1e4f};
    const float* bin[1] = {b.data()};
    const AudioView<const float> w = g.apply(AudioView<const float>(bin, 1, b.size()), AudioView<float>(out, 1, b.size()));
    EXPECT_EQ(w.channel(0), b.data());
}

// 1e19 (and a NaN) through every kind of listener: the output is finite (before the guard it was all-NaN).
TEST(InputGuard, HugeFiniteInputGivesFiniteOutputForEveryKindOfListener) {
    std::vector<Listener> listeners = {make_preset("normal"), make_preset("bisgaard:N2"), make_preset("bisgaard:S3"),
                                       make_preset("bisgaard:N7")};
    Listener aided = make_preset("bisgaard:N5");
    aided.left_device.hearing_aid = aided.right_device.hearing_aid = true;
    listeners.push_back(aided);
    Listener ci = make_preset("sudden-profound");
    const auto imp = std::make_shared<const ImplantParams>(implant_preset("nucleus-ace"));
    ci.left_device.implant = imp;
    ci.left_device.acoustic = false;
    listeners.push_back(ci);
    const double fs = 16000;
    const std::size_t block = 512, blocks = 20;
    for (const Listener& l : listeners) {
        ListenerProcessor p(HearingLossConfig{l, Calibration{100.0}, {}});
        p.prepare({fs, block, 2});
        std::vector<float> x0(block), x1(block), y0(block), y1(block);
        std::size_t finite = 0, total = 0;
        for (std::size_t b = 0; b < blocks; ++b) {
            for (std::size_t i = 0; i < block; ++i) {
                const double t = double(b * block + i) / fs;
                x0[i] = x1[i] = float(1e19 * std::sin(2 * M_PI * 1000 * t));
            }
            if (b == 3) x1[7] = std::numeric_limits<float>::quiet_NaN();
            const float* in[2] = {x0.data(), x1.data()};
            float* out[2] = {y0.data(), y1.data()};
            p.process(AudioView<const float>(in, 2, block), AudioView<float>(out, 2, block));
            for (std::size_t i = 0; i < block; ++i) finite += std::isfinite(y0[i]) + std::isfinite(y1[i]), total += 2;
        }
        EXPECT_EQ(finite, total) << l.name;
    }
}

TEST(HearingAidCap, PrescriptionAndRealisedFilterCappedAt40dB) {
    // Bisgaard N7 (90..105 dB HL): NAL-R asks X + 0.31 H + k = 15.25 + 32.55 + 1 = 48.8 dB at 1 kHz.
    const Listener n7 = make_preset("bisgaard:N7");
    const Audiogram& a = n7.left.air;
    const double x = 0.05 * (a.at(500) + a.at(1000) + a.at(2000));
    ASSERT_GT(x + 0.31 * a.at(1000) + 1.0, kNalRMaxGainDb);
    EXPECT_DOUBLE_EQ(nal_r_gain_db(a, 1000), kNalRMaxGainDb);
    for (double f = 125; f <= 8000; f *= 1.1) EXPECT_LE(nal_r_gain_db(a, f), kNalRMaxGainDb) << f;
    for (double fs : {16000.0, 44100.0}) {
        HearingAid aid(a);
        aid.prepare(ProcessSpec{fs, 512, 1});
        EXPECT_LE(aid.max_gain_db(), kNalRMaxGainDb + 1e-9);
        for (double f = 50; f <= 0.45 * fs; f *= 1.01) EXPECT_LE(aid.realised_gain_db(f), kNalRMaxGainDb + 0.05) << fs << " " << f;
        EXPECT_GT(aid.max_gain_db(), kNalRMaxGainDb - 1.5);  // the cap, not a lower gain, is what limits it
    }
}

TEST(Downmix, Bs775CoefficientsExactly) {
    const double g = 1.0 / std::sqrt(2.0);
    // 5.1 standard order: FL FR FC LFE BL BR.
    const auto d = downmix_bs775(standard_layout(6));
    ASSERT_TRUE(d);
    const double want51[2][6] = {{1, 0, g, 0, g, 0}, {0, 1, g, 0, 0, g}};
    for (std::size_t e = 0; e < 2; ++e)
        for (std::size_t c = 0; c < 6; ++c) EXPECT_NEAR(d->gain(e, c), want51[e][c], 1e-15) << e << " " << c;
    EXPECT_TRUE(d->lfe_dropped);
    // 7.1: FL FR FC LFE BL BR SL SR: back and side surrounds both at 0.7071.
    const auto d8 = downmix_bs775(standard_layout(8));
    ASSERT_TRUE(d8);
    const double want71[2][8] = {{1, 0, g, 0, g, 0, g, 0}, {0, 1, g, 0, 0, g, 0, g}};
    for (std::size_t e = 0; e < 2; ++e)
        for (std::size_t c = 0; c < 8; ++c) EXPECT_NEAR(d8->gain(e, c), want71[e][c], 1e-15) << e << " " << c;
    EXPECT_FALSE(downmix_bs775({Speaker::left, Speaker::right, Speaker::other}));
    EXPECT_TRUE(standard_layout(5).empty());
}

// The routing from a real file: an impulse in each input channel, routed by the file's channel map (or the
// standard order), arrives at each ear with exactly the BS.775 gain.
TEST(Downmix, RouteFromTheFilesChannelMap) {
    const double g = 1.0 / std::sqrt(2.0);
    struct Case {
        std::vector<int> map;
        int channels;
        std::vector<std::array<double, 2>> want;  // per input channel: left, right
    };
    const std::vector<Case> cases = {
        // 5.0 with a map (WAVE_FORMAT_EXTENSIBLE mask FL FR FC BL BR): no standard order for 5 channels, the map decides.
        {{SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT, SF_CHANNEL_MAP_CENTER, SF_CHANNEL_MAP_REAR_LEFT,
          SF_CHANNEL_MAP_REAR_RIGHT},
         5, {{1, 0}, {0, 1}, {g, g}, {g, 0}, {0, g}}},
        // 5.1 with its map, side surrounds (mask FL FR FC LFE SL SR).
        {{SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT, SF_CHANNEL_MAP_CENTER, SF_CHANNEL_MAP_LFE,
          SF_CHANNEL_MAP_SIDE_LEFT, SF_CHANNEL_MAP_SIDE_RIGHT},
         6, {{1, 0}, {0, 1}, {g, g}, {0, 0}, {g, 0}, {0, g}}},
        // 6 channels, no map: the standard order FL FR FC LFE BL BR.
        {{}, 6, {{1, 0}, {0, 1}, {g, g}, {0, 0}, {g, 0}, {0, g}}},
        // 8 channels, no map: FL FR FC LFE BL BR SL SR.
        {{}, 8, {{1, 0}, {0, 1}, {g, g}, {0, 0}, {g, 0}, {0, g}, {g, 0}, {0, g}}},
        // Quad with a map: FL FR BL BR.
        {{SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT, SF_CHANNEL_MAP_REAR_LEFT, SF_CHANNEL_MAP_REAR_RIGHT},
         4, {{1, 0}, {0, 1}, {g, 0}, {0, g}}},
        // 3.0 with a map: FL FR FC.
        {{SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT, SF_CHANNEL_MAP_CENTER}, 3, {{1, 0}, {0, 1}, {g, g}}},
    };
    for (const Case& c : cases) {
        const fs::path p = temp_file("route.wav");
        write_silence(p, c.channels, c.map);
        AudioReader r(p);
        ASSERT_EQ(r.info().channel_map, c.map);
        const ChannelRoute route = route_channels(r.info(), p, options_for(make_preset("normal")));
        ASSERT_EQ(route.out_channels, 2u);
        EXPECT_NE(route.note.find("BS.775"), std::string::npos);
        for (int ch = 0; ch < c.channels; ++ch) {
            // impulse in channel ch: ear e receives sum_i gains[e][i] * delta(i == ch)
            for (std::size_t e = 0; e < 2; ++e) {
                double y = 0;
                for (int i = 0; i < c.channels; ++i) y += route.gains[e * std::size_t(c.channels) + std::size_t(i)] * (i == ch ? 1.0 : 0.0);
                EXPECT_NEAR(y, c.want[std::size_t(ch)][e], 1e-15) << c.channels << " ch, impulse in " << ch << ", ear " << e;
            }
        }
        fs::remove(p);
    }
}

TEST(Downmix, AmbiguousLayoutsAreRefusedAndEarKeepsChannels) {
    const fs::path p = temp_file("amb.wav");
    for (int n : {3, 4, 5, 7, 9}) {
        write_silence(p, n, {});
        AudioReader r(p);
        try {
            route_channels(r.info(), p, options_for(make_preset("normal")));
            ADD_FAILURE() << n << " channels without a map were routed";
        } catch (const IoError& e) {
            EXPECT_NE(std::string(e.what()).find(std::to_string(n) + " channels"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("--ear"), std::string::npos) << e.what();
        }
        // With --ear every channel is heard by that ear, as it is.
        RenderOptions o = options_for(make_preset("normal"));
        o.description.ear = Ear::right;
        const ChannelRoute route = route_channels(r.info(), p, o);
        EXPECT_EQ(route.out_channels, std::size_t(n));
        for (int a = 0; a < n; ++a)
            for (int b = 0; b < n; ++b) EXPECT_EQ(route.gains[std::size_t(a * n + b)], a == b ? 1.0 : 0.0);
    }
    // A position BS.775 has no rule for (top centre).
    write_silence(p, 3, {SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT, SF_CHANNEL_MAP_TOP_CENTER});
    AudioReader r(p);
    EXPECT_THROW(route_channels(r.info(), p, options_for(make_preset("normal"))), IoError);
    fs::remove(p);
}

TEST(Ears, MonoGoesToBothEarsOnlyWhenTheEarsDiffer) {
    const fs::path p = temp_file("mono.wav");
    write_silence(p, 1, {});
    AudioReader r(p);
    Listener same = make_preset("bisgaard:N3");
    EXPECT_FALSE(ears_differ(same));
    const ChannelRoute a = route_channels(r.info(), p, options_for(same));
    EXPECT_EQ(a.out_channels, 1u);
    EXPECT_TRUE(a.note.empty());
    Listener diff = same;
    diff.right = make_preset("bisgaard:N5").right;
    EXPECT_TRUE(ears_differ(diff));
    const ChannelRoute b = route_channels(r.info(), p, options_for(diff));
    EXPECT_EQ(b.out_channels, 2u);
    EXPECT_EQ(b.gains, (std::vector<double>{1.0, 1.0}));
    EXPECT_NE(b.note.find("both ears"), std::string::npos);
    Listener aided_left = same;
    aided_left.left_device.hearing_aid = true;
    EXPECT_TRUE(ears_differ(aided_left));
    RenderOptions one = options_for(diff);
    one.description.ear = Ear::left;
    EXPECT_EQ(route_channels(r.info(), p, one).out_channels, 1u);
    fs::remove(p);
}
