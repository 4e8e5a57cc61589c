// The NAL-R hearing aid: the prescription formula at its points, and the realised minimum-phase FIR against it.
#include <gtest/gtest.h>

#include <cmath>

#include "earshot/hearing/hearing_aid.hpp"

using namespace earshot;

TEST(HearingAid, NalRPrescriptionAtItsPoints) {
    // Flat 60 dB HL: X = 0.05 x 180 = 9; G = 9 + 18.6 + k.
    const Audiogram flat60{{250, 8000}, {60, 60}};
    const double k[] = {-17, -8, -3, 1, 1, -1, -2, -2, -2};
    const double f[] = {250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000};
    for (int i = 0; i < 9; ++i) EXPECT_NEAR(nal_r_gain_db(flat60, f[i]), 27.6 + k[i], 1e-9) << f[i];
    // Sloping: H = 20/30/40/50/60/70 at 250/500/1k/2k/4k/8k -> X = 0.05 (30 + 40 + 50) = 6.
    const Audiogram slope{{250, 500, 1000, 2000, 4000, 8000}, {20, 30, 40, 50, 60, 70}};
    EXPECT_NEAR(nal_r_gain_db(slope, 1000), 6 + 0.31 * 40 + 1, 1e-9);
    EXPECT_NEAR(nal_r_gain_db(slope, 4000), 6 + 0.31 * 60 - 2, 1e-9);
    EXPECT_NEAR(nal_r_gain_db(slope, 250), 0.0, 1e-9);  // 6 + 6.2 - 17 < 0: no gain
}

TEST(HearingAid, RealisedFilterFollowsThePrescription) {
    const Audiogram slope{{250, 500, 1000, 2000, 4000, 8000}, {20, 30, 40, 50, 60, 70}};
    for (double fs : {16000.0, 44100.0, 48000.0}) {
        HearingAid aid(slope);
        aid.prepare(ProcessSpec{fs, 512, 1});
        for (double f : {500.0, 1000.0, 2000.0, 3000.0, 4000.0, 6000.0})
            if (f < 0.45 * fs) EXPECT_NEAR(aid.realised_gain_db(f), nal_r_gain_db(slope, f), 1.0) << fs << " Hz rate, " << f << " Hz";
    }
}
