// The engine and its description (issue 9): compose()'s rules and one-line errors, the Engine as a
// BlockProcessor (the same samples as the processor it compiles to, exact latency, the POV and gain controls
// as stated), and render_offline (aligned, same length).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/engine/engine.hpp"
#include "earshot/engine/offline.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/io/scene_file.hpp"
#include "support/fails_with.hpp"
#include "support/signals.hpp"

using namespace earshot;
using test::fails_with;

namespace {
constexpr double kFs = 32000.0;

Description listener(const char* id) {
    Description d;
    d.listener = make_preset(id);
    return d;
}

std::vector<float> run(Engine& e, const std::vector<float>& x, std::size_t block) {
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); i += block) {
        const std::size_t n = std::min(block, x.size() - i);
        const float* ip[1] = {x.data() + i};
        float* op[1] = {y.data() + i};
        e.maintain();
        e.process(AudioView<const float>(ip, 1, n), AudioView<float>(op, 1, n));
    }
    return y;
}
}  // namespace

TEST(Description, CompositionRules) {
    const auto ace = std::make_shared<const ImplantParams>(load_implant("nucleus-ace"));
    Description ci;  // an implant alone: deaf (sudden-profound) apart from it, on both ears, no residual hearing
    ci.implant = ImplantFitting{ace};
    const Composition c = compose(ci);
    EXPECT_EQ(c.listener.left.air.hl_db, make_preset("sudden-profound").left.air.hl_db);
    EXPECT_TRUE(c.listener.left_device.implant && c.listener.right_device.implant);
    EXPECT_FALSE(c.listener.left_device.acoustic);
    Description bimodal = listener("bisgaard:N3");  // an implant on the left, the right ear aided
    bimodal.implant = ImplantFitting{ace, EarSel::left, 0.5, 500.0};
    bimodal.hearing_aid = HearingAidRule::nal_r;
    const Composition b = compose(bimodal);
    EXPECT_TRUE(b.listener.left_device.implant && b.listener.left_device.acoustic);
    EXPECT_EQ(b.listener.left_device.crossover_hz, 500.0);
    EXPECT_EQ(b.listener.left_device.implant->intensity, 0.5);
    EXPECT_FALSE(b.listener.left_device.hearing_aid);
    EXPECT_FALSE(b.listener.right_device.implant);
    EXPECT_TRUE(b.listener.right_device.hearing_aid);
    EXPECT_TRUE(b.ears_differ);
    EXPECT_EQ(compose(listener("bisgaard:N2")).hearing.degree, LossDegree::classes);
    Description sc;
    sc.scene = std::make_shared<const Scene>(parse_scene_toml("[[keyframe]]\ntime_s = 0\nlistener = \"bisgaard:N2\"\n", "t.toml"));
    EXPECT_EQ(compose(sc).hearing.degree, LossDegree::continuous);  // scenes: the continuous degree by default
}

TEST(Description, ErrorsAreOneLineNamingTheFieldAndRange) {
    EXPECT_TRUE(fails_with<ConfigError>([] { compose(Description{}); }, {"--listener", "--implant"}));
    Description d = listener("bisgaard:N2");
    d.calibration.present_at_db_spl = 140;
    EXPECT_TRUE(fails_with<ConfigError>([&] { compose(d); }, {"--level-db-spl", "140", "[0, 130]"}));
    d = listener("bisgaard:N2");
    d.limit_dbfs = 3;
    EXPECT_TRUE(fails_with<ConfigError>([&] { compose(d); }, {"--limit-dbfs", "[-60, 0]"}));
    d = listener("bisgaard:N2");
    d.controls.pov = 1.5;
    EXPECT_TRUE(fails_with<ConfigError>([&] { compose(d); }, {"controls.pov", "[0, 1]"}));
    Description ci;
    ci.implant = ImplantFitting{std::make_shared<const ImplantParams>(load_implant("nucleus-ace")), EarSel::both,
                                std::nullopt, 500.0};
    EXPECT_TRUE(fails_with<ConfigError>([&] { compose(ci); }, {"--crossover-hz", "--listener"}));
    ci = listener("bisgaard:N2");
    ci.implant = ImplantFitting{std::make_shared<const ImplantParams>(load_implant("nucleus-ace")), EarSel::both, 2.0};
    EXPECT_TRUE(fails_with<ConfigError>([&] { compose(ci); }, {"--intensity", "[0, 1]"}));
    CalibrationSpec cal;
    cal.present_at_db_spl = 65;
    EXPECT_TRUE(fails_with<ConfigError>([&] { resolve_calibration(cal, "x.wav"); }, {"--level-db-spl", "measured"}));
    cal.measured_level_dbfs = -25;
    EXPECT_EQ(resolve_calibration(cal, "x.wav").full_scale_db_spl, 90.0);  // 65 - (-25)
}

TEST(Engine, IsTheProcessorItCompilesToSampleForSample) {
    const auto x = test::sine(1000, kFs, std::size_t(kFs), 0.1);
    Engine e(listener("bisgaard:N2"));
    e.prepare({kFs, 256, 1});
    const Composition c = compose(listener("bisgaard:N2"));
    ListenerProcessor p(HearingLossConfig{c.listener, Calibration{100}, c.hearing});
    p.prepare({kFs, 256, 1});
    EXPECT_EQ(e.latency_samples(), p.latency_samples());
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); i += 256) {
        const std::size_t n = std::min<std::size_t>(256, x.size() - i);
        const float* ip[1] = {x.data() + i};
        float* op[1] = {y.data() + i};
        p.process(AudioView<const float>(ip, 1, n), AudioView<float>(op, 1, n));
    }
    EXPECT_EQ(run(e, x, 256), y);
}

TEST(Engine, LatencyIsExactWithAPaddedModelAndPovZeroIsTheDelayedInput) {
    EngineOptions o;
    o.latency_samples = 2000;  // beyond the model's own: the model is padded to it
    Engine e(listener("normal"), o);
    e.prepare({kFs, 128, 1});
    EXPECT_EQ(e.latency_samples(), 2000u);
    Controls c;
    c.pov = 0.0;  // the unprocessed input, delayed to the latency
    e.set_controls(c);
    e.reset();    // controls snap to their targets
    std::vector<float> x(4096, 0.f);
    x[100] = 1.0f;
    const auto y = run(e, x, 128);
    for (std::size_t i = 0; i < y.size(); ++i) ASSERT_EQ(y[i], i == 2100 ? 1.0f : 0.0f) << i;
    // the model itself (pov 1): its impulse response peaks at the engine's latency too
    Engine m(listener("normal"), o);
    m.prepare({kFs, 128, 1});
    const auto z = run(m, x, 128);
    std::size_t peak = 0;
    for (std::size_t i = 0; i < z.size(); ++i)
        if (std::fabs(z[i]) > std::fabs(z[peak])) peak = i;
    EXPECT_EQ(peak, 2100u);
}

TEST(Engine, OutputGainRampsLinearlyToItsTarget) {
    const auto x = test::sine(500, kFs, std::size_t(kFs), 0.1);
    EngineOptions o;
    o.control_ramp_s = 0.01;
    Engine ref(listener("bisgaard:N2"), o), e(listener("bisgaard:N2"), o);
    ref.prepare({kFs, 64, 1});
    e.prepare({kFs, 64, 1});
    Controls c;
    c.output_gain_db = -20.0;
    e.set_controls(c);  // takes effect at the next block, over 320 samples
    const auto a = run(ref, x, 64), b = run(e, x, 64);
    for (std::size_t i = 320; i < a.size(); ++i) ASSERT_NEAR(b[i], 0.1 * a[i], 1e-7) << i;
    for (std::size_t i = 0; i < 320; ++i) ASSERT_NEAR(b[i], (1.0 - 0.9 * double(i + 1) / 320.0) * a[i], 1e-6) << i;
}

TEST(RenderOffline, AlignedSameLengthAndPresentedAtTheLevel) {
    const auto x = test::sine(1000, kFs, std::size_t(0.5 * kFs), 0.1);
    Description d = listener("normal");
    d.calibration.present_at_db_spl = 70;
    const OfflineResult r = render_offline(d, {x}, kFs, {}, 300);
    ASSERT_EQ(r.channels.size(), 1u);
    EXPECT_EQ(r.channels[0].size(), x.size());
    ASSERT_TRUE(r.measured_level_dbfs);
    EXPECT_NEAR(*r.measured_level_dbfs, -20.0, 0.01);  // a 0.1 sine: -20 dBFS re a full-scale sine
    EXPECT_NEAR(r.calibration.full_scale_db_spl, 90.0, 0.01);
    // aligned: the normal listener's output follows the input sample for sample (within its tolerance)
    double err = 0, ref = 0;
    for (std::size_t i = 2000; i < x.size() - 2000; ++i) err += std::pow(r.channels[0][i] - x[i], 2), ref += x[i] * x[i];
    EXPECT_LT(10 * std::log10(err / ref), -20.0);
    // the block size does not change the output
    EXPECT_EQ(render_offline(d, {x}, kFs, {}, 4096).channels, r.channels);
}
