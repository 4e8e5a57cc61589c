// Properties over sample rates and calibration: the normal listener returns the input within +-1 dB in
// every third-octave band 125 Hz-8 kHz (below 0.42 fs) at every rate; a hearing loss renders the same
// band levels at any rate (designs computed at the rate); the air-bone gap is level-independent
// attenuation; calibration maps levels as documented.
#include <gtest/gtest.h>

#include <cmath>

#include "earshot/analysis/band_analysis.hpp"
#include "earshot/hearing/active_level.hpp"
#include "earshot/hearing/hearing_loss.hpp"
#include "support/signals.hpp"

using namespace earshot;

namespace {
// Speech-shaped-ish noise: white noise through a gentle low-pass (about -6 dB/octave above 500 Hz),
// with the same spectral density (per Hz) at every rate.
std::vector<float> shaped_noise(double fs, double seconds, unsigned seed) {
    auto x = test::white_noise(std::size_t(fs * seconds), 0.05 * std::sqrt(fs / 44100.0), seed);
    const double a = std::exp(-2.0 * M_PI * 500.0 / fs);
    double s = 0;
    for (auto& v : x) v = float(s = (1 - a) * v * 6.0 + a * s);
    return x;
}

std::vector<double> bands(const std::vector<float>& x, double fs, const std::vector<double>& centres) {
    return band_levels_db(std::span<const float>(x).subspan(std::size_t(fs * 0.5)), fs, centres, 3.0);
}
}  // namespace

TEST(Rates, NormalListenerReturnsTheInputInEveryThirdOctave) {
    for (double fs : {16000.0, 22050.0, 32000.0, 44100.0, 48000.0, 96000.0}) {
        HearingLoss hl(test::flat_listener(0.0, 100.0));
        hl.prepare({fs, 512, 1});
        const auto x = shaped_noise(fs, 4.0, 11);
        const auto y = test::run_mono(hl, x);
        std::vector<double> centres;
        for (double c : third_octave_centres_hz(125.0, 8000.0))
            if (c * std::pow(2.0, 1.0 / 6.0) < 0.42 * fs) centres.push_back(c);
        const auto bx = bands(x, fs, centres), by = bands(y, fs, centres);
        for (std::size_t k = 0; k < centres.size(); ++k)
            EXPECT_NEAR(by[k], bx[k], 1.0) << "fs " << fs << " band " << centres[k];
    }
}

TEST(Rates, HearingLossBandLevelsDoNotDependOnTheRate) {
    HearingLossConfig cfg;
    cfg.listener.left.air = {{250, 375, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000},
                             {20, 20, 20, 22.5, 25, 30, 35, 40, 45, 50}};
    cfg.listener.right.air = cfg.listener.left.air;
    cfg.calibration.full_scale_db_spl = 100.0;
    const auto centres = third_octave_centres_hz(125.0, 6300.0);
    std::vector<double> ref;
    for (double fs : {44100.0, 16000.0, 48000.0, 96000.0}) {
        HearingLoss hl(cfg);
        hl.prepare({fs, 512, 1});
        const auto x = shaped_noise(fs, 4.0, 12);
        const auto y = test::run_mono(hl, x);
        const auto bx = bands(x, fs, centres), by = bands(y, fs, centres);
        std::vector<double> gain(centres.size());
        for (std::size_t k = 0; k < centres.size(); ++k) gain[k] = by[k] - bx[k];
        if (ref.empty()) {
            ref = gain;
            continue;
        }
        for (std::size_t k = 0; k < centres.size(); ++k)
            if (centres[k] * std::pow(2.0, 1.0 / 6.0) < 0.42 * fs)
                EXPECT_NEAR(gain[k], ref[k], 1.5) << "fs " << fs << " band " << centres[k];
    }
}

TEST(Conductive, AirBoneGapIsLevelIndependentAttenuation) {
    // Air 40 dB HL, bone 0 dB HL: a purely conductive 40 dB loss (no recruitment, no broadening).
    for (double level_dbfs : {-40.0, -10.0}) {
        HearingLossConfig cfg;
        cfg.listener.left.air = {{250, 8000}, {40, 40}};
        cfg.listener.left.bone = {{250, 8000}, {0, 0}};
        cfg.listener.right = cfg.listener.left;
        HearingLoss hl(cfg);
        hl.prepare({44100.0, 512, 1});
        const auto x = test::sine(1000.0, 44100.0, 44100, std::pow(10.0, level_dbfs / 20.0));
        const auto y = test::run_mono(hl, x);
        EXPECT_NEAR(test::rms_db(y, 10000) - test::rms_db(x, 10000), -40.0, 0.5) << level_dbfs;
    }
}

TEST(Calibration, PresentAtSetsTheActiveLevel) {
    const auto c = Calibration::present_at(65.0, -20.0);
    EXPECT_DOUBLE_EQ(c.full_scale_db_spl, 85.0);
    EXPECT_NEAR(c.rms_one_db_spl(), 88.0103, 1e-4);
    // a full-scale sine measures 0 dBFS
    ActiveLevelMeter m(44100.0);
    const auto x = test::sine(1000.0, 44100.0, 44100, 1.0);
    const float* ch[1] = {x.data()};
    m.add(AudioView<const float>(ch, 1, x.size()));
    EXPECT_NEAR(m.active_level_dbfs(), 0.0, 0.01);
}

TEST(Calibration, LevelMattersForALossButNotForNormalHearing) {
    // The same file 20 dB louder: normal hearing scales by exactly 20 dB, a 50 dB flat loss by about
    // ER x 20 = 38 dB (expansion).
    auto run = [](double hl_db, double full_scale) {
        HearingLoss hl(test::flat_listener(hl_db, full_scale));
        hl.prepare({44100.0, 512, 1});
        const auto x = shaped_noise(44100.0, 2.0, 13);
        return test::rms_db(test::run_mono(hl, x), 22050);
    };
    EXPECT_NEAR(run(0, 100) - run(0, 80), 0.0, 0.05);  // output on the input's scale
    const double d = run(50, 100) - run(50, 80);
    EXPECT_NEAR(d, (105.0 / 55.0 - 1.0) * 20.0, 3.0);
}
