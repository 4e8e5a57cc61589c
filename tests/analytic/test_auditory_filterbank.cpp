// The auditory filterbank against the formulas it claims: each channel has 0 dB gain at its centre
// frequency, peaks there (the real-part resonators' mirror images pull the peak up by about a tenth
// of b) and has a -3 dB bandwidth of 2 b sqrt(2^(1/4) - 1) = 0.870 b, b = broadening x ERB_N(cf)
// (four cascaded resonators, each of half-power half-width b); ERB_N from Glasberg & Moore (1990);
// the recombined bank is flat.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>

#include "earshot/dsp/erb.hpp"
#include "earshot/hearing/auditory_filterbank.hpp"

using namespace earshot;

TEST(Erb, GlasbergMoore1990Values) {
    EXPECT_NEAR(erb_hz(1000.0), 132.639, 1e-3);
    EXPECT_NEAR(erb_hz(0.0), 24.7, 1e-9);
    EXPECT_NEAR(erb_number(1000.0), 15.62, 0.01);
    EXPECT_NEAR(erb_number_to_hz(erb_number(4321.0)), 4321.0, 1e-6);
}

namespace {
// Measured from the impulse response of the analysis filter (the MSBG resonator cascade, carrier not
// rotated: this is what drives the recruitment), not from response(): peak frequency and -3 dB edges.
struct Measured {
    double peak_hz, peak_db, bw_hz, cf_db;
};
Measured measure(const AuditoryChannel& ch, double fs) {
    // impulse response by running the sections as the processor does (complex one-pole form)
    const std::size_t n = std::size_t(fs * 0.25);
    std::vector<double> x(n, 0.0);
    x[0] = 1.0;
    const std::complex<double> p(ch.pole_re, ch.pole_im), rot = 1.0;
    for (int s = 0; s < 4; ++s) {
        std::complex<double> st = 0;
        for (auto& v : x) {
            st = v + p * st;
            v = ch.section_gain * (s == 3 ? (rot * st).real() : st.real());
        }
    }
    if (ch.has_highpass) {
        Biquad hp{ch.highpass};
        for (auto& v : x) v = hp(v);
    }
    auto mag_db = [&](double f) {
        std::complex<double> acc = 0;
        const std::complex<double> w = std::polar(1.0, -2.0 * std::numbers::pi * f / fs);
        std::complex<double> z = 1.0;
        for (double v : x) acc += v * z, z *= w;
        return 20.0 * std::log10(std::abs(acc));
    };
    Measured m{ch.cf_hz, -1e9, 0, mag_db(ch.cf_hz)};
    for (double f = ch.cf_hz - ch.bandwidth_hz; f <= ch.cf_hz + ch.bandwidth_hz; f += ch.bandwidth_hz / 200.0) {
        const double d = mag_db(f);
        if (d > m.peak_db) m.peak_db = d, m.peak_hz = f;
    }
    auto edge = [&](double dir) {  // bisection for the -3 dB point on one side
        double a = m.peak_hz, b = m.peak_hz + dir * 3.0 * ch.bandwidth_hz;
        for (int i = 0; i < 50; ++i) {
            const double mid = 0.5 * (a + b);
            (mag_db(mid) > m.peak_db - 3.0103 ? a : b) = mid;
        }
        return 0.5 * (a + b);
    };
    m.bw_hz = edge(+1) - edge(-1);
    return m;
}
}  // namespace

TEST(AuditoryFilterbank, CentreFrequencyGainAndBandwidth) {
    for (double fs : {16000.0, 44100.0, 96000.0})
        for (double broadening : {1.5, 2.0, 3.0}) {
            const auto bank = design_auditory_filterbank(fs, broadening, 0.75 * broadening);
            for (const auto& ch : bank.channels) {
                EXPECT_NEAR(ch.bandwidth_hz, broadening * erb_hz(ch.cf_hz), 1e-9);
                // Away from DC and Nyquist the resonators' mirror images are negligible.
                if (ch.cf_hz < 2.5 * ch.bandwidth_hz || ch.cf_hz + 2.0 * ch.bandwidth_hz > 0.35 * fs) continue;
                const Measured m = measure(ch, fs);
                SCOPED_TRACE(testing::Message() << "fs " << fs << " broadening " << broadening << " cf " << ch.cf_hz);
                // 0 dB at cf, apart from what the tail high-pass takes there
                const double hp_db = ch.has_highpass ? 20.0 * std::log10(std::abs(ch.highpass.response(ch.cf_hz, fs))) : 0.0;
                EXPECT_NEAR(m.cf_db, hp_db, 0.01);
                EXPECT_GT(hp_db, -1.0);
                EXPECT_NEAR(m.peak_hz, ch.cf_hz, 0.2 * ch.bandwidth_hz);
                EXPECT_NEAR(m.peak_db, 0.0, 0.5);
                EXPECT_NEAR(m.bw_hz / ch.bandwidth_hz, 2.0 * std::sqrt(std::pow(2.0, 0.25) - 1.0), 0.03);
            }
        }
}

TEST(AuditoryFilterbank, ChannelsSpacedOnTheErbNumberScale) {
    const auto bank = design_auditory_filterbank(44100.0, 2.0, 1.5);
    ASSERT_GT(bank.channels.size(), 20u);
    for (std::size_t c = 1; c < bank.channels.size(); ++c)
        EXPECT_NEAR(erb_number(bank.channels[c].cf_hz) - erb_number(bank.channels[c - 1].cf_hz), 1.5, 1e-9);
    EXPECT_NEAR(bank.channels.back().cf_hz, 19183.5, 0.01);  // MSBG's top channel
}

TEST(AuditoryFilterbank, RecombinedBankIsFlat) {
    for (double fs : {16000.0, 22050.0, 44100.0, 48000.0, 96000.0})
        for (double broadening : {1.5, 2.0, 3.0}) {
            const auto bank = design_auditory_filterbank(fs, broadening, 0.75 * broadening);
            for (double f = 100.0; f < std::min(16000.0, 0.37 * fs); f *= std::pow(2.0, 1.0 / 24.0)) {
                const double db = 20.0 * std::log10(std::abs(bank.response(f)));
                EXPECT_NEAR(db, 0.0, 1.0) << "fs " << fs << " broadening " << broadening << " f " << f;
            }
        }
}
