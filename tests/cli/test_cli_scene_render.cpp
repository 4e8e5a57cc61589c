// `earshot render IN OUT --scene FILE.toml [--body BODY.wav]` as a user runs it, and its bad inputs.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_helpers.hpp"

using namespace earshot::test;

class CliSceneRender : public CliTest {
protected:
    void SetUp() override {
        CliTest::SetUp();
        std::ofstream(path("s.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n"
                                          "[[keyframe]]\ntime_s = 0.5\n[keyframe.both]\nprocessor_off = true\n"
                                          "[[keyframe]]\ntime_s = 1.0\nlistener = \"bisgaard:N3\"\n[keyframe.both]\nprocessor_off = false\n"
                                          "[keyframe.transition]\nduration_s = 0.2\n";
        write_audio(path("in.wav"), test_signal(44100, 1, 1.5));
        write_audio(path("body.wav"), test_signal(44100, 1, 1.5));
        write_audio(path("body48.wav"), test_signal(48000, 1, 1.5));
        write_audio(path("body3.wav"), test_signal(44100, 3, 1.5));
    }
};

TEST_F(CliSceneRender, RendersWithABodyBus) {
    const auto r = run("render " + quote(path("in.wav")) + " " + quote(path("out.wav")) + " --scene " + quote(path("s.toml")) +
                       " --body " + quote(path("body.wav")) + " --timeline " + quote(path("tl.png")) + " -q");
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_TRUE(fs::exists(path("tl.png")));
    EXPECT_GT(fs::file_size(path("tl.png")), 20000u);
    const Audio y = read_audio(path("out.wav")), b = read_audio(path("body.wav"));
    ASSERT_EQ(y.frames(), std::size_t(66150));
    // 0.55-0.78 s: processor off (the transition back starts at 0.8 s): the output is the body bus exactly.
    double worst = 0;
    for (std::size_t i = std::size_t(0.55 * 44100); i < std::size_t(0.78 * 44100); ++i)
        worst = std::max(worst, double(std::fabs(y.ch[0][i] - b.ch[0][i])));
    EXPECT_LT(worst, 1e-5);
}

TEST_F(CliSceneRender, BadInputsAreOneLine) {
    std::ofstream(path("bad.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"bisgaard:N9\"\n";
    const std::string in = quote(path("in.wav")), out = quote(path("o.wav")), s = quote(path("s.toml"));
    struct Case { std::string args, expect; };
    const Case cases[] = {
        {"render " + in + " " + out + " --scene " + s + " --listener normal", "do not combine it with --listener"},
        {"render " + in + " " + out + " --listener normal --body " + quote(path("body.wav")), "--body: needs --scene"},
        {"render " + in + " " + out + " --scene " + s + " --body " + quote(path("body48.wav")), "differs from the input's 44100 Hz"},
        {"render " + in + " " + out + " --scene " + s + " --body " + quote(path("body3.wav")), "the body bus needs 1 or 1"},
        {"render " + in + " " + out + " --scene " + s + " --body " + quote(path("nobody.wav")), "nobody.wav"},
        {"render " + in + " " + out + " --scene " + quote(path("bad.toml")), "bad.toml:3"},
        {"render " + in + " " + out + " --scene " + quote(path("none.toml")), "none.toml"},
        {"render " + in + " " + out + " --scene " + s + " --timeline " + quote(path("t.jpg")), "--timeline"},
        {"render " + in + " " + out + " --listener normal --timeline " + quote(path("t.png")), "--timeline: needs --scene"},
    };
    for (const Case& c : cases) {
        const auto r = run(c.args);
        EXPECT_NE(r.code, 0) << c.args;
        EXPECT_TRUE(OneLine(r.err)) << c.args;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << "\n  got: " << r.err;
        EXPECT_FALSE(fs::exists(path("o.wav")));
        EXPECT_TRUE(hidden_files(dir_).empty());
    }
}
