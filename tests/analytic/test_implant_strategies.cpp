// Coding strategies against analytic facts: a tone at a band's centre stimulates that band's electrode
// most; the loudness growth function meets its Q definition; pulse periods and channel rates are exact;
// custom frequency tables reproduce the built-in ones; deactivated electrodes are never stimulated.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include "earshot/implant/ace.hpp"
#include "earshot/implant/cis.hpp"
#include "earshot/implant/implant_params.hpp"
#include "support/signals.hpp"

using namespace earshot;

namespace {
// Mean current level per electrode over the second half of the electrodogram (steady state).
std::map<int, double> mean_levels(const Electrodogram& e) {
    std::map<int, double> sum;
    std::map<int, int> n;
    for (std::size_t i = e.pulses.size() / 2; i < e.pulses.size(); ++i) {
        sum[e.pulses[i].electrode] += e.pulses[i].current_level;
        ++n[e.pulses[i].electrode];
    }
    for (auto& [k, v] : sum) v /= n[k];
    return sum;
}

int loudest(const Electrodogram& e) {
    const auto m = mean_levels(e);
    return std::max_element(m.begin(), m.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
}

// A sine whose amplitude is `rel_db` re the knee of the front-end AGC (0.0793 on the toolbox scale).
std::vector<float> tone(double f, double fs, double seconds, double amplitude = 0.03) {
    return test::sine(f, fs, std::size_t(seconds * fs), amplitude);
}
}  // namespace

TEST(AceAnalytic, ToneAtEachBandCentreStimulatesThatBandsElectrode) {
    for (double fs : {15625.0, 16000.0}) {
        for (auto env : {EnvelopeMethod::vector_sum, EnvelopeMethod::power_sum}) {
            AceParams p;
            p.audio_rate_hz = fs;
            p.envelope = env;
            p.maxima = 8;
            AceStrategy ace(p);
            ASSERT_EQ(ace.bands(), 22);
            for (int b = 0; b < 22; ++b) {
                const double fc = ace.band_centre_hz()[std::size_t(b)];
                const Electrodogram e = ace.process(tone(fc, fs, 0.3));
                EXPECT_EQ(loudest(e), 22 - b) << "fs " << fs << " band " << b << " fc " << fc;
            }
        }
    }
}

TEST(AceAnalytic, BandCentresAre16kTable) {
    AceParams p;
    p.audio_rate_hz = 16000;
    AceStrategy ace(p);
    const double expect[22] = {250, 375, 500, 625, 750, 875, 1000, 1125, 1250, 1437.5, 1687.5, 1937.5, 2187.5, 2500, 2875,
                               3312.5, 3812.5, 4375, 5000, 5687.5, 6500, 7437.5};
    for (int b = 0; b < 22; ++b) EXPECT_DOUBLE_EQ(ace.band_centre_hz()[std::size_t(b)], expect[b]);
}

TEST(AceAnalytic, ToneEnvelopeEqualsItsAmplitude) {
    // Equalisation: a tone at a band centre gives envelope = amplitude x gain (AGC off, below the knee).
    for (auto env : {EnvelopeMethod::vector_sum, EnvelopeMethod::power_sum}) {
        AceParams p;
        p.audio_rate_hz = 16000;
        p.agc = false;
        p.envelope = env;
        AceStrategy ace(p);
        for (int b : {0, 9, 15, 21}) {
            const double a = 0.01;
            std::vector<std::vector<double>> envs;
            ace.process(tone(ace.band_centre_hz()[std::size_t(b)], 16000, 0.2, a), &envs);
            const double got = envs[envs.size() / 2][std::size_t(b)] / std::pow(10.0, 36.0 / 20.0);
            EXPECT_NEAR(20 * std::log10(got / a), 0.0, 0.3) << "band " << b;
        }
    }
}

TEST(LoudnessGrowth, ReproducesItsQDefinition) {
    for (double q : {10.0, 20.0, 30.0, 50.0})
        for (auto [base, sat] : {std::pair{0.01, 1.0}, std::pair{4.0 / 256, 150.0 / 256}}) {
            const LoudnessMap m(q, base, sat, {1.0}, {100.0});
            EXPECT_NEAR(100.0 * (1.0 - m.magnitude(sat / std::sqrt(10.0))), q, 1e-9);
            EXPECT_NEAR(m.magnitude(sat), 1.0, 1e-12);
            EXPECT_NEAR(m.magnitude(base), 0.0, 1e-12);
            EXPECT_LT(m.magnitude(0.5 * base), 0.0);  // below the base level: idle
        }
    EXPECT_NEAR(lgf_alpha(20, 0.01, 1.0), 340.8338, 1e-3);
    // T/C mapping and its inverse.
    const LoudnessMap m(20, 0.01, 1.0, {10.0}, {200.0});
    EXPECT_EQ(m.current_level(1.0, 5), 200);
    EXPECT_EQ(m.current_level(0.01, 5), 10);
    EXPECT_EQ(m.current_level(0.001, 5), 0);
    for (int cl = 10; cl <= 200; cl += 19) EXPECT_EQ(m.current_level(m.envelope_for_level(cl, 5), 5), cl);
}

TEST(AceAnalytic, PulsePeriodsAndRatesAreExact) {
    struct Case { double fs, rate; int maxima; std::size_t shift; double period_us; };
    for (const Case c : {Case{15625, 1000, 12, 16, 85.4}, Case{16000, 900, 8, 18, 140.6}, Case{15625, 900, 8, 18, 144.0},
                         Case{16000, 500, 8, 32, 250.0}, Case{16000, 250, 6, 64, 666.6}}) {
        AceParams p;
        p.audio_rate_hz = c.fs;
        p.channel_rate_pps = c.rate;
        p.maxima = c.maxima;
        AceStrategy ace(p);
        EXPECT_EQ(ace.block_shift(), c.shift);
        EXPECT_DOUBLE_EQ(ace.channel_rate_pps(), c.fs / double(c.shift));
        // whole ticks of the 5 MHz RF clock: round(5e6 / (channel rate x maxima)) x 0.2 us
        EXPECT_NEAR(ace.period_us(), std::round(5e6 / (c.fs / double(c.shift) * c.maxima)) * 0.2, 1e-9);
        EXPECT_NEAR(ace.period_us(), c.period_us, 0.05);
        const Electrodogram e = ace.process(test::white_noise(4000, 0.02, 3));
        ASSERT_EQ(e.pulses.size(), (4000 + c.shift - 1) / c.shift * std::size_t(c.maxima));
        for (std::size_t i = 1; i < e.pulses.size(); ++i)
            ASSERT_NEAR(e.pulses[i].time_us - e.pulses[i - 1].time_us, ace.period_us(), 1e-6);
    }
}

TEST(AceAnalytic, CustomTableOnBinEdgesReproducesTheBuiltInTable) {
    AceParams a;
    a.audio_rate_hz = 16000;
    AceParams b = a;
    for (int k = 0; k <= 22; ++k) {
        static const int widths[22] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8};
        double edge = 1.5;
        for (int i = 0; i < k; ++i) edge += widths[i];
        b.fat_edges_hz.push_back(edge * 125.0);
    }
    AceStrategy sa(a), sb(b);
    const auto x = test::white_noise(8000, 0.02, 9);
    const Electrodogram ea = sa.process(x), eb = sb.process(x);
    ASSERT_EQ(ea.pulses.size(), eb.pulses.size());
    for (std::size_t i = 0; i < ea.pulses.size(); ++i) {
        EXPECT_EQ(ea.pulses[i].electrode, eb.pulses[i].electrode);
        EXPECT_EQ(ea.pulses[i].current_level, eb.pulses[i].current_level);
    }
    // Fractional weights: an edge through a bin's centre gives it half to each band.
    const auto bands = fft_bands_from_edges({187.5, 250.0, 437.5}, 16000);
    ASSERT_EQ(bands.size(), 2u);
    EXPECT_EQ(bands[0].first_bin, 2);
    ASSERT_EQ(bands[0].weights.size(), 1u);
    EXPECT_DOUBLE_EQ(bands[0].weights[0], 0.5);
    EXPECT_EQ(bands[1].first_bin, 2);
    ASSERT_EQ(bands[1].weights.size(), 2u);  // 250..437.5 Hz = bins 2.0..3.5: half of bin 2, all of bin 3
    EXPECT_DOUBLE_EQ(bands[1].weights[0], 0.5);
    EXPECT_DOUBLE_EQ(bands[1].weights[1], 1.0);
}

TEST(AceAnalytic, AllNmtBandTablesCoverBins2To63) {
    for (int n = 1; n <= 22; ++n) {
        const auto w = ace_band_bins(n);
        ASSERT_EQ(int(w.size()), n);
        int sum = 0;
        for (int v : w) sum += v;
        EXPECT_EQ(sum, 62) << n;
    }
}

TEST(AceAnalytic, DeactivatedElectrodesAreNeverStimulated) {
    AceParams p;
    p.audio_rate_hz = 16000;
    p.maxima = 8;
    p.deactivated = {3, 7, 22};
    AceStrategy ace(p);
    EXPECT_EQ(ace.bands(), 19);  // bands reallocated over the 19 active electrodes
    const Electrodogram e = ace.process(test::white_noise(16000, 0.05, 2));
    for (const auto& pl : e.pulses) {
        EXPECT_NE(pl.electrode, 3);
        EXPECT_NE(pl.electrode, 7);
        EXPECT_NE(pl.electrode, 22);
    }
    // The lowest band now drives electrode 21 (the most apical active one).
    EXPECT_EQ(ace.band_electrodes().front(), 21);
}

TEST(AceAnalytic, PreEmphasisIsZeroDbAt1kAnd6DbPerOctaveBelow) {
    AceParams p;
    p.audio_rate_hz = 16000;
    p.agc = false;
    p.front_end = FrontEnd::pre_emphasis;
    AceStrategy pe(p);
    p.front_end = FrontEnd::none;
    AceStrategy flat(p);
    auto env_at = [](AceStrategy& s, double f) {
        std::vector<std::vector<double>> envs;
        s.process(tone(f, 16000, 0.2, 0.01), &envs);
        int band = 0;
        for (int b = 0; b < s.bands(); ++b)
            if (std::fabs(s.band_centre_hz()[std::size_t(b)] - f) < 1) band = b;
        return envs[envs.size() / 2][std::size_t(band)];
    };
    EXPECT_NEAR(20 * std::log10(env_at(pe, 1000) / env_at(flat, 1000)), 0.0, 0.2);
    // First-order high-pass at 1.2 kHz: |H(250)|/|H(1000)| = (250/1000) sqrt((1 + (1000/1200)^2)/(1 + (250/1200)^2))
    const double expect = 20 * std::log10(0.25 * std::sqrt((1 + std::pow(1000.0 / 1200, 2)) / (1 + std::pow(250.0 / 1200, 2))));
    EXPECT_NEAR(20 * std::log10(env_at(pe, 250) / env_at(flat, 250)), expect, 0.3);
}

TEST(CisAnalytic, ToneAtEachBandCentreStimulatesThatBandsElectrode) {
    CisParams p;  // MED-EL-like: 12 channels, 20 kHz
    CisStrategy cis(p);
    ASSERT_EQ(cis.band_electrodes().size(), 12u);
    for (std::size_t b = 0; b < 12; ++b) {
        const double fc = cis.band_centre_hz()[b];
        const Electrodogram e = run_strategy(cis, tone(fc, p.audio_rate_hz, 0.3, 0.003));
        EXPECT_EQ(loudest(e), cis.band_electrodes()[b]) << "band " << b << " fc " << fc;
        EXPECT_EQ(cis.band_electrodes()[b], 12 - int(b));
    }
}

TEST(CisAnalytic, EnvelopeOfAToneEqualsItsAmplitude) {
    for (auto rect : {Rectifier::full_wave, Rectifier::half_wave}) {
        CisParams p;
        p.agc = false;
        p.rectifier = rect;
        CisStrategy cis(p);
        std::vector<float> hop(cis.block_shift());
        std::vector<PulseSlot> slots(cis.max_slots_per_frame());
        const auto x = tone(cis.band_centre_hz()[6], p.audio_rate_hz, 0.5, 0.01);
        double acc = 0;
        int n = 0;
        for (std::size_t m = 0; (m + 1) * hop.size() <= x.size(); ++m) {
            std::copy(x.begin() + std::ptrdiff_t(m * hop.size()), x.begin() + std::ptrdiff_t((m + 1) * hop.size()), hop.begin());
            cis.frame(hop.data(), slots.data());
            if (m * hop.size() > x.size() / 2) acc += cis.last_envelopes()[6], ++n;
        }
        EXPECT_NEAR(cis.envelope_scale(6) / (rect == Rectifier::full_wave ? std::numbers::pi / 2 : std::numbers::pi), 1.0 / 0.7, 0.15);
        EXPECT_NEAR(20 * std::log10(acc / n * cis.envelope_scale(6) / 0.01), 0.0, 0.5);
    }
}

TEST(CisAnalytic, PeriodsAreExactAndEveryChannelPulsesEachFrame) {
    CisParams p;
    CisStrategy cis(p);
    EXPECT_EQ(cis.block_shift(), 25u);                      // 20000 / 800
    EXPECT_DOUBLE_EQ(cis.period_us(), 1e6 / (800.0 * 12));  // 104.17 us, interleaved
    const Electrodogram e = run_strategy(cis, test::white_noise(20000, 0.05, 1));
    ASSERT_EQ(e.pulses.size() % 12, 0u);
    for (std::size_t f = 0; f < e.pulses.size() / 12; ++f)
        for (std::size_t k = 0; k < 12; ++k) EXPECT_EQ(e.pulses[f * 12 + k].electrode, int(k) + 1);  // base to apex
}

TEST(ImplantPresets, AllBuildAndSpeakIsAnAcePreset) {
    for (const auto& info : implant_presets()) {
        const ImplantParams p = implant_preset(info.id);
        auto s = make_strategy(p);
        const AuralisationParams a = build_auralisation(p, *s);
        EXPECT_EQ(int(a.place_freq_hz.size()), s->num_electrodes()) << info.id;
        EXPECT_FALSE(info.description.empty());
    }
    const ImplantParams sp = implant_preset("speak");
    auto s = make_strategy(sp);
    EXPECT_EQ(s->band_electrodes().size(), 20u);
    EXPECT_EQ(s->max_slots_per_frame(), 6u);
    EXPECT_EQ(s->block_shift(), 64u);  // 250 pps at 16 kHz
}

TEST(ImplantPresets, ExperiencedPlacesAreTheBandCentresFirstActivationTheArray) {
    const ImplantParams first = implant_preset("nucleus-ace"), exp = implant_preset("nucleus-ace-experienced");
    auto s = make_strategy(first);
    const auto a0 = build_auralisation(first, *s), a1 = build_auralisation(exp, *s);
    for (std::size_t b = 0; b < s->band_electrodes().size(); ++b) {
        const std::size_t e = std::size_t(s->band_electrodes()[b] - 1);
        EXPECT_NEAR(a1.place_freq_hz[e], s->band_centre_hz()[b], 1e-6);
        EXPECT_GT(a0.place_freq_hz[e], a1.place_freq_hz[e]);  // a 20 mm insertion sits basal of the bands
    }
    // Slim Straight at 20 mm: the most apical contact near 1168 Hz (Greenwood, 20 mm from the base).
    EXPECT_NEAR(a0.place_freq_hz[21], 1168, 15);
}
