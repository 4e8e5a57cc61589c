// The bad-input catalogue (tests/cli/bad_input.hpp), render chain: channel layouts without a channel->ear rule,
// input rates outside [8000, 96000] Hz, body buses that do not fit the input, and the ear/routing options.
// Each case: exit code, one stderr line naming the file or parameter (and the accepted range or the way out),
// inputs unchanged (SHA-256), nothing left behind. Huge-level inputs are not refusals (tests/cli/test_cli_render_chain.cpp).
#include <gtest/gtest.h>
#include <sndfile.h>

#include <fstream>

#include "cli/bad_input.hpp"

namespace earshot::test {
namespace {

class BadInput_Render : public BadInputTest {
protected:
    void SetUp() override {
        BadInputTest::SetUp();
        write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
        std::ofstream(path("s.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n";
    }
    std::string render(const std::string& in, const std::string& rest = "--listener normal") {
        return "render " + quote(path(in)) + " " + quote(path("out.wav")) + " " + rest;
    }
    std::string scene_with_body(const std::string& in, const std::string& body) {
        return render(in, "--scene " + quote(path("s.toml")) + " --body " + quote(path(body)));
    }
    // A float WAVE_FORMAT_EXTENSIBLE file with a channel map.
    void write_mapped(const std::string& name, const std::vector<int>& map) {
        SF_INFO info{};
        info.samplerate = 16000;
        info.channels = int(map.size());
        info.format = SF_FORMAT_WAVEX | SF_FORMAT_FLOAT;
        SNDFILE* f = sf_open(path(name).c_str(), SFM_WRITE, &info);
        ASSERT_NE(f, nullptr);
        ASSERT_EQ(sf_command(f, SFC_SET_CHANNEL_MAP_INFO, const_cast<int*>(map.data()), int(map.size() * sizeof(int))), SF_TRUE);
        std::vector<float> z(map.size() * 1600, 0.01f);
        sf_writef_float(f, z.data(), 1600);
        sf_close(f);
    }
};

// Channel counts without a standard order and without a map: no channel->ear rule.
TEST_F(BadInput_Render, ThreeChannelsWithoutAMap) {
    write_audio(path("c3.wav"), test_signal(16000, 3, 0.3));
    expect_refused(render("c3.wav"), 1, {"c3.wav", "3 channels", "--ear"});
}

TEST_F(BadInput_Render, FourChannelsWithoutAMap) {
    write_audio(path("c4.flac"), test_signal(16000, 4, 0.3), SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    expect_refused(render("c4.flac"), 1, {"c4.flac", "4 channels", "--ear"});
}

TEST_F(BadInput_Render, FiveChannelsWithoutAMap) {
    write_audio(path("c5.wav"), test_signal(16000, 5, 0.3));
    expect_refused(render("c5.wav"), 1, {"c5.wav", "5 channels", "--ear"});
}

TEST_F(BadInput_Render, SevenChannelsWithoutAMap) {
    write_audio(path("c7.wav"), test_signal(16000, 7, 0.3));
    expect_refused(render("c7.wav"), 1, {"c7.wav", "7 channels", "--ear"});
}

TEST_F(BadInput_Render, MoreThanEightChannels) {
    write_audio(path("c12.wav"), test_signal(16000, 12, 0.2));
    expect_refused(render("c12.wav", "--listener bisgaard:N2"), 1, {"c12.wav", "12 channels", "--ear"});
}

// A channel map with a position ITU-R BS.775 has no rule for (a height channel).
TEST_F(BadInput_Render, MappedHeightChannel) {
    write_mapped("h.wav", {SF_CHANNEL_MAP_LEFT, SF_CHANNEL_MAP_RIGHT, SF_CHANNEL_MAP_TOP_CENTER});
    expect_refused(render("h.wav"), 1, {"h.wav", "channel 3", "BS.775", "--ear"});
}

// A scene hears the routed stream: the same rule refuses a 3-channel input to a scene.
TEST_F(BadInput_Render, ScenesNeedARuleToo) {
    write_audio(path("c3s.wav"), test_signal(16000, 3, 0.3));
    expect_refused(render("c3s.wav", "--scene " + quote(path("s.toml"))), 1, {"c3s.wav", "3 channels"});
}

TEST_F(BadInput_Render, RateBelowEightKilohertz) {
    write_audio(path("r6k.wav"), test_signal(6000, 1, 0.3));
    expect_refused(render("r6k.wav"), 1, {"r6k.wav", "6000 Hz", "[8000, 96000]"});
}

TEST_F(BadInput_Render, RateAboveNinetySixKilohertz) {
    write_audio(path("r192k.flac"), test_signal(192000, 1, 0.1), SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
    expect_refused(render("r192k.flac"), 1, {"r192k.flac", "192000 Hz", "[8000, 96000]"});
}

TEST_F(BadInput_Render, EarNotAnEar) {
    expect_refused(render("in.wav", "--listener normal --ear both"), 2, {"--ear", "both"});
}

TEST_F(BadInput_Render, EarWithBothEars) {
    expect_refused(render("in.wav", "--listener bisgaard:N2 --ear left --both-ears"), 2, {"--ear", "--both-ears"});
}

TEST_F(BadInput_Render, BodyBusAtAnotherRate) {
    write_audio(path("b22.wav"), test_signal(22050, 1, 0.5));
    expect_refused(scene_with_body("in.wav", "b22.wav"), 1, {"b22.wav", "22050 Hz", "16000 Hz"});
}

// A low-rate input is resampled inside the chain, but its body bus must still be at the input's rate.
TEST_F(BadInput_Render, BodyBusAtTheModelRateForALowRateInput) {
    write_audio(path("tel.wav"), test_signal(8000, 1, 0.5));
    expect_refused(scene_with_body("tel.wav", "in.wav"), 1, {"in.wav", "16000 Hz", "8000 Hz"});
}

TEST_F(BadInput_Render, BodyBusWithTooManyChannels) {
    write_audio(path("b2.wav"), test_signal(16000, 2, 0.5));
    expect_refused(scene_with_body("in.wav", "b2.wav"), 1, {"b2.wav", "2 channels", "1 or 1"});
}

// A 5.1 input is heard as two ears: a 6-channel body bus matches the input but not the output.
TEST_F(BadInput_Render, BodyBusWithTheInputsSurroundChannels) {
    write_audio(path("in51.wav"), test_signal(16000, 6, 0.5));
    write_audio(path("b51.wav"), test_signal(16000, 6, 0.5));
    expect_refused(scene_with_body("in51.wav", "b51.wav"), 1, {"b51.wav", "6 channels", "1 or 2"});
}

TEST_F(BadInput_Render, BodyBusMissing) {
    expect_refused(scene_with_body("in.wav", "nobody.wav"), 1, {"nobody.wav"});
}

TEST_F(BadInput_Render, BodyBusNotAudio) {
    std::ofstream(path("body.wav")) << "breathing\n";
    expect_refused(scene_with_body("in.wav", "body.wav"), 1, {"body.wav"});
}

TEST_F(BadInput_Render, BodyWithoutScene) {
    write_audio(path("b.wav"), test_signal(16000, 1, 0.5));
    expect_refused(render("in.wav", "--listener normal --body " + quote(path("b.wav"))), 2, {"--body", "--scene"});
}

TEST_F(BadInput_Render, ImplantEarNotAnEar) {
    expect_refused(render("in.wav", "--listener bisgaard:N3 --implant nucleus-ace --implant-ear middle"), 2,
                   {"--implant-ear", "middle"});
}

TEST_F(BadInput_Render, HearingAidUnknownRule) {
    expect_refused(render("in.wav", "--listener bisgaard:N3 --hearing-aid nal-nl2"), 2, {"--hearing-aid", "nal-nl2"});
}

TEST_F(BadInput_Render, FieldUnknown) {
    expect_refused(render("in.wav", "--listener bisgaard:N3 --field underwater"), 2, {"--field", "underwater"});
}

TEST_F(BadInput_Render, FieldMisspeltNamesTheNearest) {
    // The names come from names::field (earshot/hearing/hearing_names.hpp), erp included.
    expect_refused(render("in.wav", "--listener bisgaard:N3 --field eardrm"), 2,
                   {"--field", "'eardrm' is not one of free, diffuse, erp, eardrum", "did you mean eardrum?"});
}

TEST_F(BadInput_Render, LevelMeasureUnknown) {
    expect_refused(render("in.wav", "--listener bisgaard:N3 --level-db-spl 65 --level-measure peak"), 2,
                   {"--level-measure", "peak"});
}

}  // namespace
}  // namespace earshot::test
