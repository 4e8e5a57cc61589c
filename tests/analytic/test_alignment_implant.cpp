// Alignment of the implant presets' offline output with its input (issue 8, item 8), and the per-band
// timing it rests on.
//
// Why not the waveform criterion (docs/model.md, "Latency and alignment"): an implant's output is its
// carriers (band-passed noise, sines of random phase) modulated by the stimulation's envelopes; its waveform
// is not the input's at the sample (|r| < 0.05), so "lag 0 +- 1 sample" has nothing to lock on to. What is
// aligned is the envelope. Criterion: the cross-correlation of the broadband envelopes (|x| through a
// zero-phase 1 ms moving average, the mean removed) of input and output, with latency_samples() dropped as
// the offline renderer does, peaks within +- 0.5 ms. One carrier realisation is not a delay measurement:
// the carriers' own random envelope fluctuations (narrow low noise bands fluctuate over ~10 ms) move a
// single render's peak by up to +-2 ms from one seed to another. The expected output envelope is what the
// model delays, so the output envelopes of several auralisation seeds are averaged (by linearity the same
// as averaging their cross-correlations), and the cross-correlations of several input signals summed,
// before the peak is taken (parabolic interpolation between samples). Signals: 1.5 s of speech-shaped
// noise (-6 dB/octave above 500 Hz, 100 Hz high-pass) gated into syllable-like bursts, and white noise of
// the same gating, 65 dB SPL; speech-shaped: 4 signals x 16 seeds, white: 2 x 4 (it converges faster: its
// envelope is carried by the many wide high bands).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "earshot/core/calibration.hpp"
#include "earshot/dsp/biquad.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/implant/implant_processor.hpp"

#include "support/alignment_rates.hpp"
#include "support/gated_noise.hpp"

using namespace earshot;
using earshot::test::gated_noise;

namespace {



// Broadband envelope: |x| through a zero-phase 1 ms moving average, mean removed.
std::vector<double> envelope(const std::vector<float>& x, double fs) {
    const long h = long(std::lround(0.0005 * fs));
    std::vector<double> c(x.size() + 1, 0.0);
    for (std::size_t i = 0; i < x.size(); ++i) c[i + 1] = c[i] + std::fabs(x[i]);
    std::vector<double> e(x.size());
    double mean = 0;
    for (long i = 0; i < long(x.size()); ++i) {
        const long a = std::max(0L, i - h), b = std::min(long(x.size()), i + h + 1);
        e[std::size_t(i)] = (c[std::size_t(b)] - c[std::size_t(a)]) / double(b - a);
        mean += e[std::size_t(i)];
    }
    mean /= double(x.size());
    for (auto& v : e) v -= mean;
    return e;
}

// The offline path through ListenerProcessor (implant only, both ears): input padded by the latency, blocks
// of 512, the latency dropped.
std::vector<float> render(const ImplantParams& implant, double fs, const std::vector<float>& x, std::size_t& latency) {
    HearingLossConfig cfg;
    cfg.listener = make_preset("sudden-profound");
    EarDevice dev;
    dev.implant = std::make_shared<const ImplantParams>(implant);
    dev.acoustic = false;
    cfg.listener.left_device = cfg.listener.right_device = dev;
    ListenerProcessor p(cfg);
    p.prepare({fs, 512, 1});
    latency = p.latency_samples();
    std::vector<float> in(x);
    in.resize(x.size() + latency, 0.f);
    std::vector<float> out(in.size());
    for (std::size_t i = 0; i < in.size(); i += 512) {
        const std::size_t n = std::min<std::size_t>(512, in.size() - i);
        const float* ip[1] = {in.data() + i};
        float* op[1] = {out.data() + i};
        p.process(AudioView<const float>(ip, 1, n), AudioView<float>(op, 1, n));
    }
    return {out.begin() + long(latency), out.end()};
}

struct Lag {
    double ms = 0;        // > 0: the output is late
    double r = 0;         // normalised correlation at the peak (pooled)
    double single_lo = 1e9, single_hi = -1e9;  // the range of single renders' peaks (first signal), ms
};

long argmax(const std::vector<double>& v) {
    long best = 0;
    for (long k = 1; k < long(v.size()); ++k)
        if (v[std::size_t(k)] > v[std::size_t(best)]) best = k;
    return best;
}

// Lag of the peak of the pooled envelope cross-correlation (see the header), within +-10 ms.
Lag pooled_lag(const std::string& preset, double fs, bool speech, int signals, int seeds, std::size_t& latency) {
    const long max_lag = long(0.01 * fs);
    std::vector<double> acc(std::size_t(2 * max_lag + 1), 0.0);
    double exx = 0, eyy = 0;
    Lag out;
    auto xcorr = [&](const std::vector<double>& a, const std::vector<double>& b, std::vector<double>& to) {
        const long n = long(std::min(a.size(), b.size()));
        for (long lag = -max_lag; lag <= max_lag; ++lag) {
            double s = 0;
            for (long i = std::max(0L, -lag); i < std::min(n, n - lag); ++i) s += a[std::size_t(i)] * b[std::size_t(i + lag)];
            to[std::size_t(lag + max_lag)] += s;
        }
    };
    for (int k = 0; k < signals; ++k) {
        const auto x = gated_noise(fs, speech, 11u + unsigned(2 * k + (speech ? 0 : 1)), 65.0);
        const auto ex = envelope(x, fs);
        std::vector<double> mean(x.size(), 0.0);
        for (int s = 0; s < seeds; ++s) {
            ImplantParams p = implant_preset(preset);
            p.auralisation.seed = 1 + std::uint64_t(s);
            const auto ey = envelope(render(p, fs, x, latency), fs);
            for (std::size_t i = 0; i < ey.size(); ++i) mean[i] += ey[i] / seeds;
            if (k == 0 && s < 4) {  // for the report: what single renders give
                std::vector<double> one(acc.size(), 0.0);
                xcorr(ex, ey, one);
                const double ms = double(argmax(one) - max_lag) / fs * 1e3;
                out.single_lo = std::min(out.single_lo, ms), out.single_hi = std::max(out.single_hi, ms);
            }
        }
        xcorr(ex, mean, acc);
        for (double v : ex) exx += v * v;
        for (double v : mean) eyy += v * v;
    }
    const long best = argmax(acc);
    double frac = 0;
    if (best > 0 && best + 1 < long(acc.size())) {
        const double ym = acc[std::size_t(best - 1)], y0 = acc[std::size_t(best)], yp = acc[std::size_t(best + 1)];
        const double d = ym - 2 * y0 + yp;
        if (d < 0) frac = 0.5 * (ym - yp) / d;
    }
    out.ms = (double(best - max_lag) + frac) / fs * 1e3;
    out.r = acc[std::size_t(best)] / std::sqrt(exx * eyy + 1e-300);
    return out;
}

void expect_implant_aligned(const std::string& preset) {
    for (double fs : test::alignment_rates()) {
        std::size_t latency = 0;
        const Lag sp = pooled_lag(preset, fs, true, 4, 16, latency);
        const Lag wn = pooled_lag(preset, fs, false, 2, 4, latency);
        std::printf("[ alignment ] %-24s %5.1f kHz: speech %+.2f ms (%+.1f samples, r %+.3f; single renders %+.2f..%+.2f), "
                    "white %+.2f ms (%+.1f samples, r %+.3f; single %+.2f..%+.2f), latency %zu samples\n",
                    preset.c_str(), fs / 1000, sp.ms, sp.ms * fs / 1e3, sp.r, sp.single_lo, sp.single_hi, wn.ms, wn.ms * fs / 1e3,
                    wn.r, wn.single_lo, wn.single_hi, latency);
        EXPECT_LE(std::fabs(sp.ms), 0.5) << preset << " at " << fs << " Hz (speech-shaped)";
        EXPECT_LE(std::fabs(wn.ms), 0.5) << preset << " at " << fs << " Hz (white)";
        EXPECT_GT(sp.r, 0.0) << preset << " at " << fs << " Hz";
        EXPECT_GT(wn.r, 0.0) << preset << " at " << fs << " Hz";
    }
}

}  // namespace

TEST(Alignment, ImplantNucleusAce) { expect_implant_aligned("nucleus-ace"); }
TEST(Alignment, ImplantNucleusAceExperienced) { expect_implant_aligned("nucleus-ace-experienced"); }
TEST(Alignment, ImplantNmtAce) { expect_implant_aligned("nmt-ace"); }
TEST(Alignment, ImplantSpeak) { expect_implant_aligned("speak"); }
TEST(Alignment, ImplantMedelCis) { expect_implant_aligned("medel-cis"); }
TEST(Alignment, ImplantMedelCisExperienced) { expect_implant_aligned("medel-cis-experienced"); }
TEST(Alignment, ImplantAb16) { expect_implant_aligned("ab-16"); }
TEST(Alignment, ImplantAb16Experienced) { expect_implant_aligned("ab-16-experienced"); }

// Per band (the stage the broadband criterion rests on): a Gaussian tone burst (sigma 3 ms) at each band's
// centre, below the front-end AGC's knee, through the whole processor with the sine carrier (whose
// envelope is the held, smoothed stimulation, no band-pass), latency dropped: the output's power centroid
// against the input's, averaged over 4 seeds (the beating between neighbouring carriers moves one seed's).
// The strategy interleaves a frame's slots; rendered at their slots, the bands were staggered about the
// latency by up to half a frame (nucleus-ace 900 pps: highest band -0.60 ms, lowest +0.30 ms; SPEAK's highest
// -2.0 ms). With every slot of a frame rendered at the frame's time, every band of the ACE presets must come
// out within +-0.25 ms of the latency (a fifth of nucleus-ace's 1.125 ms frame; the stagger was +-0.6 ms).
TEST(ImplantTiming, EveryBandOfTheAcePresetsComesOutAtTheLatency) {
    for (const char* preset : {"nucleus-ace", "nmt-ace"}) {
        for (double fs : {16000.0, 44100.0}) {
            ImplantParams p0 = implant_preset(preset);
            p0.auralisation.carrier = Carrier::sine;
            const auto strategy = make_strategy(p0);
            const auto& centres = strategy->band_centre_hz();
            double worst = 0, lo = 1e9, hi = -1e9;
            for (double fc : centres) {
                const std::size_t n = std::size_t(0.3 * fs);
                std::vector<float> x(n);
                for (std::size_t i = 0; i < n; ++i) {
                    const double t = double(i) / fs - 0.1, sigma = 0.003;
                    x[i] = float(0.01 * std::exp(-0.5 * t * t / (sigma * sigma)) * std::sin(2 * std::numbers::pi * fc * t));
                }
                double cx = 0, ex = 0, cy = 0, ey = 0;
                for (std::size_t i = 0; i < n; ++i) cx += double(i) * x[i] * x[i], ex += double(x[i]) * x[i];
                for (int s = 0; s < 4; ++s) {
                    ImplantParams p = p0;
                    p.auralisation.seed = 1 + std::uint64_t(s);
                    std::size_t latency = 0;
                    const auto y = render(p, fs, x, latency);
                    for (std::size_t i = 0; i < y.size(); ++i) cy += double(i) * y[i] * y[i], ey += double(y[i]) * y[i];
                }
                ASSERT_GT(ey, 0.0) << preset << " " << fc << " Hz";
                const double d = (cy / ey - cx / ex) / fs * 1e3;
                lo = std::min(lo, d), hi = std::max(hi, d);
                if (std::fabs(d) > std::fabs(worst)) worst = d;
            }
            std::printf("[ band timing ] %-12s %5.1f kHz: %zu bands, power centroid - latency %+.3f..%+.3f ms\n", preset, fs / 1000,
                        centres.size(), lo, hi);
            EXPECT_LE(std::fabs(worst), 0.25) << preset << " at " << fs << " Hz";
        }
    }
}
