// Scene event sounds against their definitions (earshot/scene/tinnitus.hpp, earshot/scene/pop.hpp): calibrated
// levels (dB SPL and dB SL), the noise band, the ring-out slope and floor, raised-cosine ramps, sample-exact
// events, block-size invariance, seeds; the pop's peak level, spectrum and duration; one-line errors.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <functional>
#include <iostream>
#include <numbers>
#include <string>
#include <type_traits>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/dsp/fft.hpp"
#include "earshot/scene/pop.hpp"
#include "earshot/scene/tinnitus.hpp"
#include "support/event_gen.hpp"

using namespace earshot;

namespace {

constexpr double kFs = 48000.0;
constexpr double kPi = std::numbers::pi;
constexpr double kSineRmsDbAnalytic = 3.0102999566398121;  // dBFS of RMS 1 re a full-scale sine

// Level in dB SPL of x[from, to) under calibration full_scale_db_spl (dBFS = RMS re a full-scale sine).
double level_db_spl(const std::vector<float>& x, std::size_t from, std::size_t to, double full_scale_db_spl) {
    double e = 0;
    for (std::size_t i = from; i < to; ++i) e += double(x[i]) * x[i];
    return 10.0 * std::log10(e / double(to - from)) + kSineRmsDbAnalytic + full_scale_db_spl;
}

struct Event {
    enum Kind { start, stop, level, trigger } kind;
    std::size_t at;  // absolute sample
    double value = 0;
};

// Renders n samples in blocks of `block`, scheduling each event inside the block it falls in (as a scene
// renderer does).
template <class Gen>
std::vector<float> render(Gen& g, std::size_t n, std::size_t block, const std::vector<Event>& events) {
    std::vector<float> out(n, 0.f);
    for (std::size_t b = 0; b < n; b += block) {
        const std::size_t m = std::min(block, n - b);
        for (const auto& e : events) {
            if (e.at < b || e.at >= b + m) continue;
            if constexpr (std::is_same_v<Gen, TinnitusGenerator>) {
                if (e.kind == Event::start) g.start_at(e.at - b);
                if (e.kind == Event::stop) g.stop_at(e.at - b);
                if (e.kind == Event::level) g.set_level_db_at(e.value, e.at - b);
            } else {
                if (e.kind == Event::trigger) g.trigger_at(e.at - b);
            }
        }
        test::add_into(g, out.data() + b, m);
    }
    return out;
}

TinnitusParams tone(double level_db, double freq_hz = 4000.0) {
    TinnitusParams p;
    p.freq_hz = freq_hz;
    p.level_db = level_db;
    return p;
}

// Welch power spectrum (Hann, 8192 points, half overlap) of x[from, to): power per bin.
std::vector<double> power_spectrum(const std::vector<float>& x, std::size_t from, std::size_t to) {
    constexpr std::size_t N = 8192;
    RealFft fft(N);
    std::vector<float> frame(N);
    std::vector<std::complex<float>> bins(fft.num_bins());
    std::vector<double> p(fft.num_bins(), 0.0);
    for (std::size_t s = from; s + N <= to; s += N / 2) {
        for (std::size_t i = 0; i < N; ++i) frame[i] = x[s + i] * float(0.5 - 0.5 * std::cos(2 * kPi * double(i) / N));
        fft.forward(frame.data(), bins.data());
        for (std::size_t k = 0; k < bins.size(); ++k) p[k] += std::norm(std::complex<double>(bins[k]));
    }
    return p;
}

std::string one_line_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

// ---------------------------------------------------------------------------------------------- levels

TEST(Tinnitus, ToneComesOutAtItsLevelUnderEachCalibration) {
    for (double fs_db : {100.0, 120.0}) {
        for (double x : {30.0, 60.0, 90.0}) {
            TinnitusGenerator g;
            test::prepare_gen(g, tone(x), kFs, Calibration{fs_db});
            const auto y = render(g, std::size_t(kFs), 512, {{Event::start, 0}});
            const double measured = level_db_spl(y, std::size_t(0.2 * kFs), y.size(), fs_db);
            EXPECT_NEAR(measured, x, 0.5) << "full scale " << fs_db;
            EXPECT_NEAR(measured, x, 0.01) << "full scale " << fs_db;  // by construction
            // the digital amplitude is 10^((X - full scale) / 20): a full-scale sine is full_scale_db_spl
            EXPECT_NEAR(*std::max_element(y.begin(), y.end()), std::pow(10.0, (x - fs_db) / 20.0),
                        1e-6 * std::pow(10.0, (x - fs_db) / 20.0));
        }
    }
}

TEST(Tinnitus, SensationLevelIsThresholdPlusSl) {
    // ISO 389-7 free field (validation.md §1.7) at tabulated frequencies, and interpolation in log f.
    EXPECT_DOUBLE_EQ(iso389_7_free_field_db_spl(4000), -5.4);
    EXPECT_DOUBLE_EQ(iso389_7_free_field_db_spl(1000), 2.4);
    EXPECT_DOUBLE_EQ(iso389_7_free_field_db_spl(6000), 4.3);
    EXPECT_DOUBLE_EQ(iso389_7_free_field_db_spl(125), 22.1);
    EXPECT_DOUBLE_EQ(iso389_7_free_field_db_spl(8000), 12.6);
    EXPECT_NEAR(iso389_7_free_field_db_spl(std::sqrt(4000.0 * 5000.0)), (-5.4 - 1.5) / 2, 1e-12);
    EXPECT_DOUBLE_EQ(hl_to_free_field_db_spl(40, 4000), 34.6);
    EXPECT_THROW(iso389_7_free_field_db_spl(16000), ConfigError);

    for (double sl : {10.0, 30.0}) {
        TinnitusParams p = tone(sl, 4000);
        p.level_ref = LevelRef::db_sl;
        p.threshold_db_spl = hl_to_free_field_db_spl(50, 4000);  // 44.6 dB SPL
        EXPECT_DOUBLE_EQ(p.level_db_spl(), 44.6 + sl);
        TinnitusGenerator g;
        test::prepare_gen(g, p, kFs, Calibration{100.0});
        const auto y = render(g, std::size_t(kFs / 2), 256, {{Event::start, 0}});
        EXPECT_NEAR(level_db_spl(y, std::size_t(0.1 * kFs), y.size(), 100.0), 44.6 + sl, 0.5);
    }
}

TEST(Tinnitus, NarrowbandNoiseStaysInItsBandAtItsLevel) {
    for (double bw : {100.0, 500.0, 1000.0}) {
        TinnitusParams p;
        p.kind = TinnitusKind::narrowband_noise;
        p.freq_hz = 4000;
        p.bandwidth_hz = bw;
        p.level_db = 60;
        p.attack_s = 0;
        TinnitusGenerator g;
        test::prepare_gen(g, p, kFs, Calibration{100.0});
        const std::size_t n = std::size_t(6 * kFs);
        const auto y = render(g, n, 4096, {{Event::start, 0}});
        EXPECT_NEAR(level_db_spl(y, 0, n, 100.0), 60.0, 1.0) << bw;
        const auto ps = power_spectrum(y, 0, n);
        double in = 0, all = 0;
        for (std::size_t k = 0; k < ps.size(); ++k) {
            const double f = double(k) * kFs / 8192.0;
            all += ps[k];
            if (std::fabs(f - 4000.0) <= bw / 2) in += ps[k];
        }
        EXPECT_GE(in / all, 0.90) << bw;
        std::cout << fmt::format("narrowband noise 4 kHz, bandwidth {} Hz: level {:.2f} dB SPL (60 specified), "
                                 "{:.1f} % of the power within 4000 +- {} Hz\n",
                                 bw, level_db_spl(y, 0, n, 100.0), 100.0 * in / all, bw / 2);
    }
}

TEST(Tinnitus, NoiseSeeds) {
    TinnitusParams p;
    p.kind = TinnitusKind::narrowband_noise;
    p.attack_s = 0;
    auto run = [&](std::uint64_t seed) {
        p.seed = seed;
        TinnitusGenerator g;
        test::prepare_gen(g, p, kFs, Calibration{});
        return render(g, 20000, 512, {{Event::start, 0}});
    };
    EXPECT_EQ(run(7), run(7));
    EXPECT_NE(run(7), run(8));
    // reset() replays the same noise
    p.seed = 7;
    TinnitusGenerator g;
    test::prepare_gen(g, p, kFs, Calibration{});
    const auto a = render(g, 20000, 512, {{Event::start, 0}});
    g.reset();
    EXPECT_EQ(render(g, 20000, 512, {{Event::start, 0}}), a);
}

TEST(Tinnitus, RingOutFallsByOneNeperPerDecayTimeUntilTheFloor) {
    TinnitusParams p = tone(90, 4000);
    p.kind = TinnitusKind::ring_out;
    p.attack_s = 0.01;
    p.decay_s = 0.5;
    p.floor_db = 50;
    TinnitusGenerator g;
    test::prepare_gen(g, p, kFs, Calibration{110.0});
    const auto y = render(g, std::size_t(4 * kFs), 512, {{Event::start, 0}});
    // 10 ms frames hold exactly 40 cycles of 4 kHz; frame level at its centre time
    auto level_at = [&](double t) {
        const auto c = std::size_t(t * kFs);
        return level_db_spl(y, c - 240, c + 240, 110.0);
    };
    const double t_peak = 0.01;
    for (double t : {0.1, 0.5, 1.0, 1.5}) {
        const double drop = level_at(t) - level_at(t + p.decay_s);
        EXPECT_NEAR(drop, 20.0 / std::log(10.0), 0.5) << t;  // 8.686 dB per decay_s
        EXPECT_NEAR(level_at(t), 90.0 - 8.6859 * (t - t_peak) / p.decay_s, 0.5) << t;
    }
    const double t_floor = t_peak + 40.0 / 8.6859 * p.decay_s;  // 2.31 s
    for (double t : {t_floor + 0.05, 3.0, 3.9}) EXPECT_NEAR(level_at(t), 50.0, 0.5) << t;
    std::cout << fmt::format("ring_out 90 -> 50 dB SPL, decay_s 0.5: {:.3f} dB per decay_s (0.1 -> 0.6 s), "
                             "floor {:.2f} dB SPL\n",
                             level_at(0.1) - level_at(0.6), level_at(3.0));
    EXPECT_TRUE(g.active());

    // To silence: inactive (and exactly zero) once 120 dB down, 120 / 8.686 decay times after the peak.
    p.floor_db = -std::numeric_limits<double>::infinity();
    p.decay_s = 0.1;
    test::prepare_gen(g, p, kFs, Calibration{110.0});
    const auto z = render(g, std::size_t(2 * kFs), 512, {{Event::start, 0}});
    EXPECT_FALSE(g.active());
    const std::size_t end = std::size_t((0.01 + 120.0 / 8.6859 * 0.1) * kFs);
    EXPECT_TRUE(std::all_of(z.begin() + long(end) + 2, z.end(), [](float v) { return v == 0.f; }));
    EXPECT_NE(z[end - 100], 0.f);
}

// ---------------------------------------------------------------------------------------------- envelope

TEST(Tinnitus, RaisedCosineAttackAndReleaseAreSampleExact) {
    TinnitusParams p = tone(80, 1000);
    p.attack_s = 0.05;
    p.release_s = 0.1;
    TinnitusGenerator g;
    test::prepare_gen(g, p, kFs, Calibration{100.0});
    const std::size_t na = g.attack_samples(), nr = g.release_samples();
    ASSERT_EQ(na, 2400u);
    ASSERT_EQ(nr, 4800u);
    const std::size_t t0 = 1000, t1 = 13000, n = 20000;
    const auto y = render(g, n, 64, {{Event::start, t0}, {Event::stop, t1}});
    const double a = g.amplitude();
    // expected: a E(k) cos(2 pi f k / fs) from the start sample, E the raised-cosine envelope
    double worst = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double e = 0;
        if (i >= t0 && i < t1) e = (i - t0 >= na) ? 1.0 : 0.5 * (1 - std::cos(kPi * double(i - t0 + 1) / double(na + 1)));
        if (i >= t1 && i - t1 < nr) e = 0.5 * (1 + std::cos(kPi * double(i - t1 + 1) / double(nr + 1)));
        const double expect = a * e * std::cos(2 * kPi * 1000.0 * double(i - std::min(i, t0)) / kFs);
        worst = std::max(worst, std::fabs(y[i] - expect));
    }
    EXPECT_LT(worst, 1e-6 * a);
    // first non-zero sample at the start, full level exactly attack_s later, zero from release end on
    EXPECT_TRUE(std::all_of(y.begin(), y.begin() + long(t0), [](float v) { return v == 0.f; }));
    EXPECT_NE(y[t0], 0.f);
    EXPECT_FLOAT_EQ(y[t0 + na], float(a * std::cos(2 * kPi * 1000.0 * double(na) / kFs)));
    EXPECT_LT(std::fabs(y[t0 + na - 1]), a * std::fabs(std::cos(2 * kPi * 1000.0 * double(na - 1) / kFs)));
    EXPECT_NE(y[t1 + nr - 1], 0.f);
    EXPECT_TRUE(std::all_of(y.begin() + long(t1 + nr), y.end(), [](float v) { return v == 0.f; }));
    EXPECT_FALSE(g.active());
}

TEST(Tinnitus, EventsStartAndStopAtTheirSampleInsideAnyBlock) {
    for (TinnitusKind kind : {TinnitusKind::tone, TinnitusKind::narrowband_noise, TinnitusKind::ring_out}) {
        TinnitusParams p = tone(70, 3000);
        p.kind = kind;
        p.attack_s = 0.002;
        p.release_s = 0.001;
        for (std::size_t block : {1u, 64u, 512u, 4096u}) {
            for (std::size_t t0 : {0u, 1u, 63u, 64u, 1000u, 5000u}) {
                TinnitusGenerator g;
                test::prepare_gen(g, p, kFs, Calibration{100.0});
                const std::size_t t1 = t0 + 700;
                const auto y = render(g, 10000, block, {{Event::start, t0}, {Event::stop, t1}});
                const auto first = std::find_if(y.begin(), y.end(), [](float v) { return v != 0.f; }) - y.begin();
                const auto last = y.rend() - std::find_if(y.rbegin(), y.rend(), [](float v) { return v != 0.f; }) - 1;
                EXPECT_EQ(std::size_t(first), t0) << int(kind) << " block " << block;
                EXPECT_EQ(std::size_t(last), t1 + g.release_samples() - 1) << int(kind) << " block " << block;
            }
        }
    }
    // the event queue holds kMaxPending events; one more is refused
    TinnitusGenerator q;
    test::prepare_gen(q, tone(70), kFs, Calibration{});
    for (std::size_t i = 0; i < TinnitusGenerator::kMaxPending; ++i) EXPECT_TRUE(q.start_at(10 * i));
    EXPECT_FALSE(q.stop_at(5));
    // an offset beyond the next block carries over: start_at(1000) before blocks of 64
    TinnitusGenerator g;
    test::prepare_gen(g, tone(70), kFs, Calibration{});
    g.start_at(1000);
    std::vector<float> y(2048, 0.f);
    for (std::size_t b = 0; b < y.size(); b += 64) test::add_into(g, y.data() + b, 64);
    EXPECT_EQ(std::find_if(y.begin(), y.end(), [](float v) { return v != 0.f; }) - y.begin(), 1000);
}

TEST(Tinnitus, LevelChangesAreSmoothedAndRetriggersDoNotClick) {
    TinnitusParams p = tone(60, 2000);
    p.attack_s = 0.01;
    TinnitusGenerator g;
    test::prepare_gen(g, p, kFs, Calibration{100.0});
    const std::size_t jump = 24000, n = 48000;
    const auto y = render(g, n, 512, {{Event::start, 0}, {Event::level, jump, 80.0}});
    EXPECT_NEAR(level_db_spl(y, 4800, jump, 100.0), 60.0, 0.05);
    EXPECT_NEAR(level_db_spl(y, jump + 960, n, 100.0), 80.0, 0.05);  // reached 20 ms after the change
    // no step larger than the loud steady tone's largest sample-to-sample step
    double steady = 0, through = 0;
    for (std::size_t i = jump + 2000; i < n; ++i) steady = std::max(steady, double(std::fabs(y[i] - y[i - 1])));
    for (std::size_t i = jump - 100; i < jump + 1100; ++i) through = std::max(through, double(std::fabs(y[i] - y[i - 1])));
    EXPECT_LE(through, steady * 1.0001);

    // a ring_out restarted while still ringing climbs back over the attack from where it was
    p.kind = TinnitusKind::ring_out;
    p.decay_s = 0.05;
    test::prepare_gen(g, p, kFs, Calibration{100.0});
    const auto r = render(g, n, 512, {{Event::start, 0}, {Event::start, 12000}});
    double worst = 0, loud = 0;
    for (std::size_t i = 1; i < n; ++i) worst = std::max(worst, double(std::fabs(r[i] - r[i - 1])));
    for (std::size_t i = 1; i < 1000; ++i) loud = std::max(loud, double(std::fabs(r[i] - r[i - 1])));
    EXPECT_LE(worst, loud * 1.01);
}

TEST(Tinnitus, BlockSizesGiveIdenticalOutput) {
    const std::vector<Event> ev = {{Event::start, 100},   {Event::level, 9000, 75.0}, {Event::stop, 30001},
                                   {Event::start, 31000}, {Event::stop, 31500},       {Event::start, 40000},
                                   {Event::level, 52000, 50.0}};
    for (TinnitusKind kind : {TinnitusKind::tone, TinnitusKind::narrowband_noise, TinnitusKind::ring_out}) {
        TinnitusParams p = tone(65, 5000);
        p.kind = kind;
        p.decay_s = 0.2;
        p.floor_db = 40;
        p.attack_s = 0.003;
        p.release_s = 0.04;
        TinnitusGenerator g;
        test::prepare_gen(g, p, kFs, Calibration{100.0});
        const auto ref = render(g, 60000, 1, ev);
        for (std::size_t block : {64u, 512u, 4096u}) {
            g.reset();
            EXPECT_EQ(render(g, 60000, block, ev), ref) << int(kind) << " block " << block;
        }
    }
    PopGenerator pop;
    test::prepare_gen(pop, PopParams{}, kFs, Calibration{100.0});
    const std::vector<Event> pops = {{Event::trigger, 10}, {Event::trigger, 1500}, {Event::trigger, 20000}};
    const auto ref = render(pop, 30000, 1, pops);
    for (std::size_t block : {64u, 512u, 4096u}) {
        pop.reset();
        EXPECT_EQ(render(pop, 30000, block, pops), ref) << "pop block " << block;
    }
}

// ---------------------------------------------------------------------------------------------- pop

TEST(Pop, PeakLevelSpectrumAndDuration) {
    for (double fs_db : {100.0, 120.0}) {
        PopParams pp;
        pp.peak_db_spl = 110;
        PopGenerator pop;
        test::prepare_gen(pop, pp, kFs, Calibration{fs_db});
        const std::size_t t0 = 777, n = 8192;
        const auto y = render(pop, n, 512, {{Event::trigger, t0}});
        // level: unweighted peak SPL; a digital peak of 1.0 is full scale + 3.01 dB
        double peak = 0;
        for (float v : y) peak = std::max(peak, double(std::fabs(v)));
        const double peak_db_spl = 20 * std::log10(peak) + fs_db + kSineRmsDbAnalytic;
        EXPECT_NEAR(peak_db_spl, 110.0, 0.5);
        EXPECT_NEAR(peak_db_spl, 110.0, 0.001);
        // duration: exactly duration_s of samples, the first at the trigger, zero before and after
        const std::size_t len = pop.waveform().size();
        EXPECT_EQ(len, std::size_t(std::lround(0.06 * kFs)));
        EXPECT_TRUE(std::all_of(y.begin(), y.begin() + long(t0), [](float v) { return v == 0.f; }));
        EXPECT_NE(y[t0], 0.f);
        EXPECT_TRUE(std::all_of(y.begin() + long(t0 + len), y.end(), [](float v) { return v == 0.f; }));
        EXPECT_FALSE(pop.active());
        // spectrum: energy share below 500 Hz (whole pop, zero-padded to 8192 points, 5.9 Hz bins)
        RealFft fft(n);
        std::vector<float> frame(y.begin(), y.end());
        std::vector<std::complex<float>> bins(fft.num_bins());
        fft.forward(frame.data(), bins.data());
        double below = 0, all = 0, below_200 = 0;
        for (std::size_t k = 0; k < bins.size(); ++k) {
            const double e = std::norm(std::complex<double>(bins[k])) * (k == 0 || k == n / 2 ? 1 : 2);
            const double f = double(k) * kFs / double(n);
            all += e;
            if (f < 500) below += e;
            if (f < 200) below_200 += e;
        }
        EXPECT_GE(below / all, 0.95);
        // energy-based duration: 99 % of the energy within
        double cum = 0, total = 0;
        for (float v : y) total += double(v) * v;
        std::size_t t99 = t0;
        while (cum < 0.99 * total) cum += double(y[t99]) * y[t99], ++t99;
        double rms_db_spl = level_db_spl(y, t0, t0 + len, fs_db);
        std::cout << fmt::format("pop (full scale {} dB SPL): peak {:.3f} dB SPL, RMS over its {:.0f} ms {:.1f} dB SPL, "
                                 "energy below 500 Hz {:.2f} %, below 200 Hz {:.2f} %, 99 % of the energy in the "
                                 "first {:.1f} ms\n",
                                 fs_db, peak_db_spl, 1e3 * double(len) / kFs, rms_db_spl, 100 * below / all,
                                 100 * below_200 / all, 1e3 * double(t99 - t0) / kFs);
    }
}

TEST(Pop, SeedsOverlapAndRates) {
    auto wave = [](std::uint64_t seed, double fs) {
        PopParams pp;
        pp.seed = seed;
        PopGenerator pop;
        test::prepare_gen(pop, pp, fs, Calibration{});
        return std::vector<float>(pop.waveform().begin(), pop.waveform().end());
    };
    EXPECT_EQ(wave(3, kFs), wave(3, kFs));
    EXPECT_NE(wave(3, kFs), wave(4, kFs));
    for (double fs : {16000.0, 44100.0, 96000.0}) EXPECT_EQ(wave(1, fs).size(), std::size_t(std::lround(0.06 * fs)));
    // two overlapping pops add
    PopGenerator pop;
    test::prepare_gen(pop, PopParams{}, kFs, Calibration{});
    const auto w = pop.waveform();
    const auto y = render(pop, 6000, 128, {{Event::trigger, 0}, {Event::trigger, 1000}});
    for (std::size_t i = 0; i < 6000; ++i) {
        const float e = (i < w.size() ? w[i] : 0.f) + (i >= 1000 && i - 1000 < w.size() ? w[i - 1000] : 0.f);
        ASSERT_FLOAT_EQ(y[i], e) << i;
    }
}

// ---------------------------------------------------------------------------------------------- errors

TEST(Events, BadParametersAreOneLineErrorsNamingTheField) {
    // one bad field each: {kind, field, value, the name the message must carry}
    struct Bad {
        TinnitusKind kind;
        double TinnitusParams::*field;
        double value;
        const char* name;
    };
    const Bad bad[] = {
        {TinnitusKind::tone, &TinnitusParams::freq_hz, 5, "tinnitus.freq_hz"},
        {TinnitusKind::tone, &TinnitusParams::freq_hz, 22000, "tinnitus.freq_hz"},  // above 0.45 fs
        {TinnitusKind::tone, &TinnitusParams::level_db, 140, "tinnitus.level_db"},
        {TinnitusKind::tone, &TinnitusParams::level_db, std::nan(""), "tinnitus.level_db"},
        {TinnitusKind::tone, &TinnitusParams::attack_s, -1, "tinnitus.attack_s"},
        {TinnitusKind::tone, &TinnitusParams::release_s, 100, "tinnitus.release_s"},
        {TinnitusKind::narrowband_noise, &TinnitusParams::bandwidth_hz, 5000, "tinnitus.bandwidth_hz"},
        {TinnitusKind::narrowband_noise, &TinnitusParams::bandwidth_hz, 5, "tinnitus.bandwidth_hz"},
        {TinnitusKind::ring_out, &TinnitusParams::decay_s, 0, "tinnitus.decay_s"},
        {TinnitusKind::ring_out, &TinnitusParams::floor_db, 50, "tinnitus.floor_db"},  // above the level
    };
    auto tin = [](const TinnitusParams& p) {
        return one_line_error([&] { TinnitusGenerator(p, Calibration{}).prepare(ProcessSpec{kFs, 1, 1}); });
    };
    std::vector<std::pair<std::string, std::string>> cases;
    for (const Bad& b : bad) {
        TinnitusParams p;
        p.kind = b.kind;
        p.*b.field = b.value;
        cases.emplace_back(tin(p), b.name);
    }
    TinnitusParams sl;  // 40 dB SL above a 110 dB SPL threshold = 150 dB SPL
    sl.level_ref = LevelRef::db_sl;
    sl.threshold_db_spl = 110;
    cases.emplace_back(tin(sl), "tinnitus.level_db");
    TinnitusParams band_top;  // 20 kHz +- 2 kHz reaches above 0.45 fs
    band_top.kind = TinnitusKind::narrowband_noise;
    band_top.freq_hz = 20000;
    band_top.bandwidth_hz = 4000;
    cases.emplace_back(tin(band_top), "tinnitus.freq_hz");
    const std::pair<std::string, std::string> pop_cases[] = {
        {one_line_error([] { PopGenerator(PopParams{.peak_db_spl = 170}, Calibration{}).prepare(ProcessSpec{kFs, 1, 1}); }),
         "pop.peak_db_spl"},
        {one_line_error([] { PopGenerator(PopParams{.duration_s = 1}, Calibration{}).prepare(ProcessSpec{kFs, 1, 1}); }),
         "pop.duration_s"},
        {one_line_error([] { PopGenerator(PopParams{.thump_hz = 300}, Calibration{}).prepare(ProcessSpec{kFs, 1, 1}); }),
         "pop.thump_hz"},
        {one_line_error([] { PopGenerator(PopParams{.click_db = 6}, Calibration{}).prepare(ProcessSpec{kFs, 1, 1}); }),
         "pop.click_db"},
        {one_line_error([] { PopGenerator(PopParams{}, Calibration{}).prepare(ProcessSpec{1000, 1, 1}); }), "sample_rate_hz"},
    };
    cases.insert(cases.end(), std::begin(pop_cases), std::end(pop_cases));
    for (const auto& [msg, field] : cases) {
        EXPECT_NE(msg.find(field), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        EXPECT_NE(msg.find("range"), std::string::npos) << msg;
    }
    // the scene file can validate without a generator, with its own prefix
    TinnitusParams p;
    p.freq_hz = 1;
    EXPECT_NE(one_line_error([&] { validate(p, "scene.toml:12 tinnitus"); }).find("scene.toml:12 tinnitus.freq_hz"),
              std::string::npos);
}
