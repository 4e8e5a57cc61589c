// MSBG's calibration convention (hearing/msbg_calibration.hpp; Clarity msbg.Ear.process, hl-anchors.md
// section 2.2) on signals with known answers and on the MSBG fixture speech (tests/data/README.md).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/hearing/msbg_calibration.hpp"
#include "support/signals.hpp"

namespace earshot {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kSine = 3.0102999566398121;  // dBFS re a full-scale sine minus dB re RMS 1

// 1 kHz at 44.1 kHz: every 10 ms frame holds exactly ten cycles (mean square a^2 / 2).
std::vector<float> tone(std::size_t n, double amp) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amp * std::sin(2 * kPi * 1000.0 * double(i) / 44100.0));
    return x;
}

MsbgCalibration calibrate(const std::vector<std::vector<float>>& planar, double rms_one = 120.0) {
    std::vector<const float*> ptrs;
    for (const auto& c : planar) ptrs.push_back(c.data());
    return msbg_calibration(AudioView<const float>(ptrs.data(), ptrs.size(), planar[0].size()), 44100.0, rms_one);
}

TEST(MsbgCalibration, HalfActiveToneIsReLevelledByMinusThreeDb) {
    // 0.5 s of tone (50 whole frames), then 0.5 s of silence: active = tone level, overall 3.01 dB lower.
    const double amp = 0.01;
    std::vector<float> x = tone(44100, amp);
    std::fill(x.begin() + 22050, x.end(), 0.0f);
    const MsbgCalibration cal = calibrate({x});
    const double tone_dbfs = 20 * std::log10(amp);  // a sine of amplitude amp, re a full-scale sine
    EXPECT_NEAR(cal.active_dbfs, tone_dbfs, 1e-4);
    EXPECT_NEAR(cal.overall_dbfs, tone_dbfs - 10 * std::log10(2.0), 1e-4);
    EXPECT_NEAR(cal.relevel_db, -10 * std::log10(2.0), 1e-4);
    // MSBG: RMS 1.0 = 120 dB SPL; the active level after re-levelling = overall RMS -> 120 + 20 log10(rms).
    const double overall_rms_db = 20 * std::log10(amp / std::sqrt(2.0)) - 10 * std::log10(2.0);
    EXPECT_NEAR(cal.presentation_db_spl, 120.0 + overall_rms_db, 1e-4);
    // The input as given: full scale = presentation - its own active level (core/calibration.hpp).
    EXPECT_NEAR(cal.full_scale_db_spl, cal.presentation_db_spl - cal.active_dbfs, 1e-9);
    EXPECT_NEAR(cal.full_scale_db_spl, 120.0 - kSine - 10 * std::log10(2.0), 1e-4);
}

TEST(MsbgCalibration, ContinuousSignalIsNotReLevelled) {
    const MsbgCalibration cal = calibrate({tone(44100, 0.1)}, 100.0);
    EXPECT_NEAR(cal.relevel_db, 0.0, 1e-6);
    EXPECT_NEAR(cal.full_scale_db_spl, 100.0 - kSine, 1e-6);
    EXPECT_NEAR(cal.presentation_db_spl, 100.0 + 20 * std::log10(0.1 / std::sqrt(2.0)), 1e-4);
}

TEST(MsbgCalibration, ActiveLevelFromChannelZeroOverallFromAllChannels) {
    // Channel 0 gated (half active), channel 1 continuous at the same amplitude: pooled overall mean square
    // is 3/4 of the tone's, channel 0's active level is the tone's -> relevel = 10 log10(3/4).
    std::vector<float> left = tone(44100, 0.01);
    std::fill(left.begin() + 22050, left.end(), 0.0f);
    const MsbgCalibration cal = calibrate({left, tone(44100, 0.01)});
    EXPECT_NEAR(cal.active_dbfs, 20 * std::log10(0.01), 1e-4);
    EXPECT_NEAR(cal.relevel_db, 10 * std::log10(0.75), 1e-4);
    // Swapped: channel 0 continuous, so its active level is the tone's again; the same pooled overall.
    const MsbgCalibration swapped = calibrate({tone(44100, 0.01), left});
    EXPECT_NEAR(swapped.relevel_db, 10 * std::log10(0.75), 1e-4);
}

TEST(MsbgCalibration, FixtureSpeechIsPresentedAt65DbSplAfterMinus197Db) {
    // tests/data/README.md: MSBG saw the file - 30 dB (overall RMS -55.00 dB re 1), re-levelled it by -1.97 dB
    // and so presented the speech at an active level of 65.0 dB SPL.
    double fs = 0;
    std::vector<float> x = test::read_mono_file(std::string(EARSHOT_TEST_DATA) + "/msbg_input_speech_10s.flac", fs);
    ASSERT_EQ(fs, 44100.0);
    for (float& v : x) v *= static_cast<float>(std::pow(10.0, -30.0 / 20.0));
    const MsbgCalibration cal = calibrate({x});
    EXPECT_NEAR(cal.presentation_db_spl, 65.0, 0.01);
    EXPECT_NEAR(cal.relevel_db, -1.97, 0.005);
}

TEST(MsbgCalibration, SilenceIsNotReLevelled) {
    const MsbgCalibration cal = calibrate({std::vector<float>(4410, 0.0f)});
    EXPECT_EQ(cal.relevel_db, 0.0);
    EXPECT_NEAR(cal.full_scale_db_spl, 120.0 - kSine, 1e-12);
    EXPECT_TRUE(std::isinf(cal.presentation_db_spl) && cal.presentation_db_spl < 0);
}

TEST(MsbgCalibration, OutOfRangeLevelNamesTheParameters) {
    try {
        (void)calibrate({tone(4410, 0.1)}, 160.0);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("equiv_0db_spl + ahr"), std::string::npos) << msg;
        EXPECT_NE(msg.find("[60, 140]"), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
}

}  // namespace
}  // namespace earshot
