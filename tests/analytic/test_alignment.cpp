// Alignment of every listener's offline output with its input (issue 8, item 8) and the flat normal
// listener (item 11).
//
// Criterion (docs/model.md, "Latency and alignment"): the output is run through ListenerProcessor in
// blocks with latency_samples() dropped, as the offline renderer does. Acoustic listeners: the broadband
// cross-correlation of input and output waveforms peaks at lag 0 +- 1 sample and the peak is positive.
// Implants (their output is auralised pulses, whose waveform is not the input's at the sample): the
// cross-correlation of the broadband envelopes (|x| smoothed by a zero-phase 1 ms moving average, the mean
// removed) peaks within +- 0.5 ms, averaged over carrier seeds (test_alignment_implant.cpp; EAS here). Signals: 1.5 s of speech-shaped noise (-6 dB/octave above 500 Hz,
// 100 Hz high-pass) gated into syllable-like bursts, and white noise of the same gating.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "earshot/dsp/biquad.hpp"
#include "support/alignment_rates.hpp"
#include "support/gated_noise.hpp"
#include "earshot/dsp/butterworth.hpp"
#include "earshot/dsp/min_phase.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/implant/cis.hpp"
#include "earshot/implant/implant_params.hpp"

using namespace earshot;
using earshot::test::gated_noise;

namespace {



// The offline path: input padded by the latency, run in blocks of 512, the latency dropped.
std::vector<float> run(ListenerProcessor& p, const std::vector<float>& x, std::size_t& latency) {
    latency = p.latency_samples();
    std::vector<float> in(x);
    in.resize(x.size() + latency, 0.f);
    std::vector<float> out(in.size());
    const std::size_t block = 512;
    for (std::size_t i = 0; i < in.size(); i += block) {
        const std::size_t n = std::min(block, in.size() - i);
        const float* ip[1] = {in.data() + i};
        float* op[1] = {out.data() + i};
        p.process(AudioView<const float>(ip, 1, n), AudioView<float>(op, 1, n));
    }
    return {out.begin() + long(latency), out.end()};
}

struct Peak {
    long lag = 0;     // > 0: the output is late
    double r = 0;     // normalised correlation at the peak (signed)
};

// Lag of the largest |cross-correlation| within +-max_lag.
Peak xcorr_peak(const std::vector<float>& x, const std::vector<float>& y, long max_lag) {
    double ex = 0, ey = 0;
    for (float v : x) ex += double(v) * v;
    for (float v : y) ey += double(v) * v;
    Peak best;
    double best_abs = -1;
    const long n = long(std::min(x.size(), y.size()));
    for (long lag = -max_lag; lag <= max_lag; ++lag) {
        double s = 0;
        const long i0 = std::max(0L, -lag), i1 = std::min(n, n - lag);
        for (long i = i0; i < i1; ++i) s += double(x[std::size_t(i)]) * y[std::size_t(i + lag)];
        if (std::fabs(s) > best_abs) best_abs = std::fabs(s), best = {lag, s / std::sqrt(ex * ey + 1e-300)};
    }
    return best;
}

// Broadband envelope: |x| through a zero-phase 1 ms moving average, mean removed.
std::vector<float> envelope(const std::vector<float>& x, double fs) {
    const long h = long(std::lround(0.0005 * fs));
    std::vector<double> c(x.size() + 1, 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) c[i + 1] = c[i] + std::fabs(x[i]);
    std::vector<float> e(x.size());
    double mean = 0;
    for (long i = 0; i < long(x.size()); ++i) {
        const long a = std::max(0L, i - h), b = std::min(long(x.size()), i + h + 1);
        e[std::size_t(i)] = float((c[std::size_t(b)] - c[std::size_t(a)]) / double(b - a));
        mean += e[std::size_t(i)];
    }
    mean /= double(x.size());
    for (auto& v : e) v = float(v - mean);
    return e;
}

LossDegree g_degree = LossDegree::classes;

HearingLossConfig config_of(const std::string& listener, const std::string& implant, double crossover_hz) {
    HearingLossConfig cfg;
    cfg.options.degree = g_degree;
    cfg.listener = make_preset(listener.empty() ? "sudden-profound" : listener);
    if (!implant.empty()) {
        EarDevice dev;
        dev.implant = std::make_shared<const ImplantParams>(implant_preset(implant));
        dev.acoustic = !listener.empty();
        dev.crossover_hz = crossover_hz;
        cfg.listener.left_device = cfg.listener.right_device = dev;
    }
    return cfg;
}

struct Measured {
    Peak speech, noise;
    std::size_t latency = 0;
};

Measured measure(const std::string& listener, const std::string& implant, double crossover_hz, double fs, bool env) {
    ListenerProcessor p(config_of(listener, implant, crossover_hz));
    p.prepare({fs, 512, 1});
    Measured m;
    const long max_lag = long(0.01 * fs);
    // Presented at 65 dB SPL (overall RMS, default calibration).
    const double level = 65.0;
    for (int k = 0; k < 2; ++k) {
        const auto x = gated_noise(fs, k == 0, 11u + unsigned(k), level);
        p.reset();
        const auto y = run(p, x, m.latency);
        (k == 0 ? m.speech : m.noise) = env ? xcorr_peak(envelope(x, fs), envelope(y, fs), max_lag) : xcorr_peak(x, y, max_lag);
    }
    return m;
}

void expect_aligned(const std::string& listener, const std::string& implant = {}, double crossover_hz = 0) {
    const bool env = !implant.empty() && crossover_hz == 0;
    for (double fs : test::alignment_rates()) {
        const Measured m = measure(listener, implant, crossover_hz, fs, env);
        std::printf("[ alignment ] %-14s %-24s %5.1f kHz: speech lag %+ld (r %+.3f), noise lag %+ld (r %+.3f), "
                    "latency %zu samples%s\n",
                    listener.empty() ? "-" : listener.c_str(), implant.empty() ? "-" : implant.c_str(), fs / 1000,
                    m.speech.lag, m.speech.r, m.noise.lag, m.noise.r, m.latency, env ? " (envelopes)" : "");
        const long tol = env ? long(std::lround(0.0005 * fs)) : 1;
        EXPECT_LE(std::labs(m.speech.lag), tol) << listener << " " << implant << " at " << fs << " Hz (speech)";
        EXPECT_LE(std::labs(m.noise.lag), tol) << listener << " " << implant << " at " << fs << " Hz (noise)";
        EXPECT_GT(m.speech.r, 0.0) << listener << " " << implant << " at " << fs << " Hz: inverted polarity";
        EXPECT_GT(m.noise.r, 0.0) << listener << " " << implant << " at " << fs << " Hz: inverted polarity";
    }
}

}  // namespace

TEST(Alignment, Normal) { expect_aligned("normal"); }
// Listeners with a loss keep MSBG's recombination (its time advances: band levels as MSBG's) and are made
// linear phase by the post-recombination phase correction designed from the built linear path
// (hearing_loss.cpp, dsp/min_phase.hpp). NOT YET ALIGNED: N7 (white noise +3/+4 samples at 44.1/48 kHz
// with these seeds). At 65 dB SPL its output is 316-415 dB below the input (gains at the floor of single
// precision), so the lag is noise (over 12 seeds +0.6 +- 1.2 samples at 44.1 kHz); at levels N7 hears the
// correction, designed from static gains at 65 dB SPL, is off (105 dB SPL, 16 kHz white noise: -2, inverted).
// docs/model.md, "Latency and alignment". Implants: see docs/model.md.
// Run the DISABLED cases with --gtest_also_run_disabled_tests for the table.
TEST(Alignment, BisgaardN1) { expect_aligned("bisgaard:N1"); }
TEST(Alignment, BisgaardN2) { expect_aligned("bisgaard:N2"); }
TEST(Alignment, BisgaardN3) { expect_aligned("bisgaard:N3"); }
TEST(Alignment, BisgaardN4) { expect_aligned("bisgaard:N4"); }
TEST(Alignment, BisgaardN5) { expect_aligned("bisgaard:N5"); }
TEST(Alignment, BisgaardN6) { expect_aligned("bisgaard:N6"); }
TEST(Alignment, DISABLED_BisgaardN7) { expect_aligned("bisgaard:N7"); }
TEST(Alignment, BisgaardS1) { expect_aligned("bisgaard:S1"); }
TEST(Alignment, BisgaardS2) { expect_aligned("bisgaard:S2"); }
TEST(Alignment, BisgaardS3) { expect_aligned("bisgaard:S3"); }
// Implants: tests/analytic/test_alignment_implant.cpp (the envelope criterion averaged over carrier seeds).
namespace {
// EAS (N4 acoustic below, medel-cis above a 500 Hz crossover). The broadband waveform criterion does not
// fit the implanted output: the implant's auralised pulses are not the input's waveform and at 65 dB SPL
// they are ~20 dB louder than N4's acoustic band, also below the crossover (the low band's waveform
// correlation with the input is |r| < 0.07 with them). Criterion (docs/model.md): (1) the acoustic path and
// the bookkeeping of both paths, with the implant's intensity at 0 (its path then renders its dry,
// high-passed input delayed by its latency): the broadband waveform and the acoustic band (input and
// output through the same 4th-order Butterworth low-pass at 0.6 x the crossover, so the filter adds no
// relative lag) each peak at lag 0 +- 1, positive; (2) the electric band at intensity 1: both through the
// same high-pass at 2 x the crossover, the envelope criterion (+- 0.5 ms), which rests on the implant
// preset's own alignment. The crossover halves are linear phase (Butterworth cascade + its phase
// correction) and their measured delays are part of each path's latency (listener_processor.cpp).
void filter_same(std::vector<float>& x, double fc, double fs, bool highpass) {
    for (const auto& c : butterworth_sections(4, fc, fs, highpass)) {
        Biquad q{c};
        for (auto& v : x) v = float(q(v));
    }
}
void expect_eas_aligned(const std::string& listener, const std::string& implant, double crossover_hz, bool electric) {
    for (double fs : test::alignment_rates()) {
        ListenerProcessor p(config_of(listener, implant, crossover_hz));
        p.prepare({fs, 512, 1});
        p.set_implant_intensity(electric ? 1.0 : 0.0);
        for (int k = 0; k < 2; ++k) {
            const char* sig = k == 0 ? "speech" : "noise ";
            const auto x = gated_noise(fs, k == 0, 11u + unsigned(k), 65.0);
            p.reset();
            std::size_t latency = 0;
            const auto y = run(p, x, latency);
            if (!electric) {
                auto xa = x, ya = y;
                filter_same(xa, 0.6 * crossover_hz, fs, false), filter_same(ya, 0.6 * crossover_hz, fs, false);
                const Peak b = xcorr_peak(x, y, long(0.01 * fs)), a = xcorr_peak(xa, ya, long(0.01 * fs));
                std::printf("[ alignment ] %-14s %-24s %5.1f kHz %s, implant intensity 0: broadband lag %+ld (r %+.3f), "
                            "acoustic band lag %+ld (r %+.3f), latency %zu samples\n",
                            listener.c_str(), implant.c_str(), fs / 1000, sig, b.lag, b.r, a.lag, a.r, latency);
                EXPECT_LE(std::labs(b.lag), 1) << fs << sig;
                EXPECT_GT(b.r, 0.0) << fs << sig;
                EXPECT_LE(std::labs(a.lag), 1) << fs << sig;
                EXPECT_GT(a.r, 0.0) << fs << sig;
            } else {
                auto xe = x, ye = y;
                filter_same(xe, 2.0 * crossover_hz, fs, true), filter_same(ye, 2.0 * crossover_hz, fs, true);
                const Peak e = xcorr_peak(envelope(xe, fs), envelope(ye, fs), long(0.01 * fs));
                std::printf("[ alignment ] %-14s %-24s %5.1f kHz %s: electric band envelope lag %+ld (r %+.3f), "
                            "latency %zu samples\n", listener.c_str(), implant.c_str(), fs / 1000, sig, e.lag, e.r, latency);
                EXPECT_LE(std::labs(e.lag), long(std::lround(0.0005 * fs))) << fs << sig;
                EXPECT_GT(e.r, 0.0) << fs << sig;
            }
        }
    }
}
}  // namespace

TEST(Alignment, ElectricAcousticN4MedelCisAcousticPath) { expect_eas_aligned("bisgaard:N4", "medel-cis", 500.0, false); }
// The electric band rests on the implant preset's own alignment (src/implant; Alignment.ImplantMedelCis in
// test_alignment_implant.cpp measures the whole-band envelope of the implant alone): here -40..0 samples, within the +- 0.5 ms.
TEST(Alignment, ElectricAcousticN4MedelCisElectricBand) { expect_eas_aligned("bisgaard:N4", "medel-cis", 500.0, true); }

// The normal listener is linear (expansion ratio 1, no smearing): its impulse response is its transfer
// function. Flat within +-1 dB from 20 Hz to 16 kHz, or at low rates to the model's upper limit 0.38 fs
// (6.08 kHz at 16 kHz, 8.38 kHz at 22.05 kHz: channels stop below 0.45 fs, the fit at 0.42 fs, and the
// top channel's upper skirt falls off above 0.38 fs).
TEST(Transparency, NormalListenerFlatFrom20HzTo16kHz) {
    for (double fs : {16000.0, 22050.0, 44100.0, 48000.0, 96000.0}) {
        HearingLossConfig cfg;
        cfg.listener = make_preset("normal");
        ListenerProcessor p(cfg);
        p.prepare({fs, 512, 1});
        // The whole output (also what comes before latency_samples(): the bank's high channels ring in earlier).
        std::vector<float> x(std::size_t(0.25 * fs), 0.f), h(x.size());
        x[0] = 1.f;
        for (std::size_t i = 0; i < x.size(); i += 512) {
            const std::size_t n = std::min<std::size_t>(512, x.size() - i);
            const float* ip[1] = {x.data() + i};
            float* op[1] = {h.data() + i};
            p.process(AudioView<const float>(ip, 1, n), AudioView<float>(op, 1, n));
        }
        const double top = std::min(16000.0, 0.38 * fs);
        double lo = 1e9, hi = -1e9, f_lo = 0, f_hi = 0;
        for (int k = 0; k <= 400; ++k) {
            const double f = 20.0 * std::pow(top / 20.0, k / 400.0);
            std::complex<double> H = 0;
            const std::complex<double> step = std::polar(1.0, -2.0 * std::numbers::pi * f / fs);
            std::complex<double> z = 1.0;
            for (float v : h) H += double(v) * z, z *= step;
            const double db = 20.0 * std::log10(std::abs(H));
            if (db < lo) lo = db, f_lo = f;
            if (db > hi) hi = db, f_hi = f;
        }
        std::printf("[ flatness ] normal at %.2f kHz, 20 Hz..%.0f Hz: %+.2f dB (at %.0f Hz) .. %+.2f dB (at %.0f Hz)\n",
                    fs / 1000, top, lo, f_lo, hi, f_hi);
        EXPECT_GE(lo, -1.0) << fs;
        EXPECT_LE(hi, 1.0) << fs;
    }
}

// Continuous degree of loss (the scene default): every listener uses the fitted phase-aligned recombination;
// smeared ears' inverse ear filter is the linear-phase post FIR (its minimum phase made them 3-21 samples late).
TEST(Alignment, ContinuousDegreeLossListeners) {
    g_degree = LossDegree::continuous;
    for (const char* l : {"bisgaard:N1", "bisgaard:N2", "bisgaard:N4", "bisgaard:S1", "bisgaard:S3"}) expect_aligned(l);
    g_degree = LossDegree::classes;
}
// NOT YET ALIGNED: N7 in continuous degree (noise +2 samples at 44.1 kHz, r = 0.04).
TEST(Alignment, DISABLED_ContinuousDegreeN7) {
    g_degree = LossDegree::continuous;
    expect_aligned("bisgaard:N7");
    g_degree = LossDegree::classes;
}

// The phase correction on a known minimum-phase path (2nd-order high-pass at 100 Hz, Q 2, and low-pass at
// 3 kHz at 16 kHz): H F must be linear phase, i.e. its impulse response symmetric about L with a positive
// peak at L, and F an all-pass (|F| = 1) wherever |H| is within 40 dB of its maximum.
TEST(PhaseCorrection, MakesAMinimumPhasePathLinearPhase) {
    const double fs = 16000.0;
    const BiquadCoeffs hp = BiquadCoeffs::highpass(100.0, 2.0, fs), lp = BiquadCoeffs::lowpass(3000.0, std::sqrt(0.5), fs);
    const std::size_t n = 8192;
    std::vector<std::complex<double>> h(n / 2 + 1);
    double hmax = 0;
    for (std::size_t k = 0; k <= n / 2; ++k) {
        const double f = double(k) * fs / double(n);
        h[k] = hp.response(f, fs) * lp.response(f, fs);
        hmax = std::max(hmax, std::abs(h[k]));
    }
    const PhaseCorrection pc = phase_correction_fir(h, [](double) { return 1.0; }, fs, 4096);
    ASSERT_FALSE(pc.taps.empty());
    // Impulse response of the whole: the FIR through both biquads.
    std::vector<double> y(pc.taps.size() + 4096, 0.0);
    Biquad a{hp}, b{lp};
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = b(a(i < pc.taps.size() ? pc.taps[i] : 0.0));
    std::size_t peak = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
        if (std::fabs(y[i]) > std::fabs(y[peak])) peak = i;
    double asym = 0;
    for (std::size_t k = 1; k <= pc.delay && pc.delay + k < y.size(); ++k)
        asym = std::max(asym, std::fabs(y[pc.delay + k] - y[pc.delay - k]));
    double fmin = 1e9, fmax = -1e9;
    for (std::size_t k = 1; k < n / 2; k += 4) {
        if (std::abs(h[k]) < 0.01 * hmax) continue;
        std::complex<double> F = 0;
        const double w = 2.0 * std::numbers::pi * double(k) / double(n);
        for (std::size_t i = 0; i < pc.taps.size(); ++i) F += double(pc.taps[i]) * std::polar(1.0, -w * double(i));
        fmin = std::min(fmin, 20 * std::log10(std::abs(F)));
        fmax = std::max(fmax, 20 * std::log10(std::abs(F)));
    }
    std::printf("[ phase correction ] %zu taps, L %zu, peak at %zu (%+.4f), asymmetry %.2e of the peak, |F| %+.3f..%+.3f dB\n",
                pc.taps.size(), pc.delay, peak, y[peak], asym / std::fabs(y[peak]), fmin, fmax);
    EXPECT_EQ(peak, pc.delay);
    EXPECT_GT(y[peak], 0.0);
    EXPECT_LT(asym, 1e-3 * std::fabs(y[peak]));
    EXPECT_GT(fmin, -0.1);
    EXPECT_LT(fmax, 0.1);
}

