// The auraliser against what each carrier is defined to produce (earshot/implant/auraliser.hpp):
// levels, frequencies, spread in dB/mm and dB/octave, GET grain widths, gammatone spectra, seeds, block-size
// invariance, parameter errors. Electrode places: Landsberger 2015 Contour Advance (ci-anchors §7), basal
// first, contacts 0.714 mm apart.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <complex>
#include <limits>
#include <numbers>
#include <numeric>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/dsp/erb.hpp"
#include "earshot/dsp/fft.hpp"
#include "earshot/implant/auraliser.hpp"

using namespace earshot;

namespace {

constexpr double kFs = 44100.0;
constexpr double kPi = std::numbers::pi;
const std::vector<double> kPlaces = {13879, 12388, 11057, 9647, 8322, 7018, 6057, 5458, 4847, 4209, 3655,
                                     3149,  2659,  2282,  1943, 1668, 1428, 1248, 1075, 939,  797,  722};

AuralisationParams params(Carrier c, double spread_db_per_mm = std::numeric_limits<double>::infinity()) {
    AuralisationParams p;
    p.carrier = c;
    p.place_freq_hz = kPlaces;
    for (std::size_t e = 0; e < kPlaces.size(); ++e) p.contact_depth_mm.push_back(5.0 + 0.714 * double(e));
    p.spread_db_per_mm = spread_db_per_mm;
    return p;
}

// A constant-amplitude train on one electrode from t0 to t1.
std::vector<StimulusPulse> train(int electrode, float amplitude, double rate_pps, double t0, double t1) {
    std::vector<StimulusPulse> v;
    for (int k = 0;; ++k) {
        const double t = t0 + double(k) / rate_pps;
        if (t >= t1) break;
        v.push_back({t, electrode, amplitude});
    }
    return v;
}

double db(double x) { return 20.0 * std::log10(x); }

double rms(const std::vector<float>& x, std::size_t from, std::size_t to) {
    double e = 0;
    for (std::size_t i = from; i < to; ++i) e += double(x[i]) * x[i];
    return std::sqrt(e / double(to - from));
}

// Amplitude of the component at freq_hz (Hann-windowed correlation; exact for a steady sine).
double tone_amplitude(const std::vector<float>& x, std::size_t from, std::size_t to, double freq_hz, double fs = kFs) {
    std::complex<double> acc = 0;
    double wsum = 0;
    const double n = double(to - from);
    for (std::size_t i = from; i < to; ++i) {
        const double w = 0.5 - 0.5 * std::cos(2.0 * kPi * (double(i - from) + 0.5) / n);
        acc += w * double(x[i]) * std::polar(1.0, -2.0 * kPi * freq_hz * double(i) / fs);
        wsum += w;
    }
    return 2.0 * std::abs(acc) / wsum;
}

// Averaged power spectrum (Hann, 50 % overlap) of x[from, to): size/2 + 1 bins.
std::vector<double> power_spectrum(const std::vector<float>& x, std::size_t from, std::size_t to, std::size_t size) {
    RealFft fft(size);
    std::vector<float> buf(size);
    std::vector<std::complex<float>> spec(size / 2 + 1);
    std::vector<double> p(size / 2 + 1, 0.0);
    for (std::size_t s = from; s + size <= to; s += size / 2) {
        for (std::size_t i = 0; i < size; ++i)
            buf[i] = float(x[s + i] * (0.5 - 0.5 * std::cos(2.0 * kPi * (double(i) + 0.5) / double(size))));
        fft.forward(buf.data(), spec.data());
        for (std::size_t k = 0; k < p.size(); ++k) p[k] += std::norm(spec[k]);
    }
    return p;
}

std::vector<float> render_in_blocks(const AuralisationParams& p, const std::vector<StimulusPulse>& pulses, double duration_s,
                                    std::size_t block) {
    Auraliser a;
    a.prepare(p, kFs, block, 64);
    const std::size_t total = std::size_t(std::llround(duration_s * kFs));
    std::vector<float> out(total);
    std::size_t k = 0;
    for (std::size_t i = 0; i < total; i += block) {
        const std::size_t n = std::min(block, total - i);
        const double t_end = double(i + n) / kFs;
        std::size_t k1 = k;
        while (k1 < pulses.size() && pulses[k1].time_s < t_end) ++k1;  // the block's pulses, by time
        a.process(std::span<const StimulusPulse>(pulses.data() + k, k1 - k), out.data() + i, n);
        k = k1;
    }
    return out;
}

// Lehmer-style jitter so that test pulse trains are not all on sample boundaries.
std::vector<StimulusPulse> ace_like(double duration_s, double rate_pps, int maxima, int electrodes) {
    std::vector<StimulusPulse> v;
    std::uint32_t r = 12345;
    const double period = 1.0 / rate_pps, slot = period / double(maxima);
    for (int f = 0; double(f) * period < duration_s; ++f) {
        std::vector<int> chosen;
        while (int(chosen.size()) < maxima) {
            r = r * 1664525u + 1013904223u;
            const int e = 1 + int((r >> 8) % std::uint32_t(electrodes));
            if (std::find(chosen.begin(), chosen.end(), e) == chosen.end()) chosen.push_back(e);
        }
        std::sort(chosen.begin(), chosen.end());
        for (int k = 0; k < maxima; ++k) {
            r = r * 1664525u + 1013904223u;
            const float amp = (r >> 9) % 7 == 0 ? 0.f : 0.02f + 0.2f * float((r >> 12) % 1000) / 1000.f;
            v.push_back({double(f) * period + double(k) * slot, chosen[std::size_t(k)], amp});
        }
    }
    return v;
}

constexpr Carrier kAll[] = {Carrier::noise, Carrier::sine, Carrier::multitone, Carrier::get, Carrier::gammatone_pulse};
const char* name(Carrier c) {
    switch (c) {
        case Carrier::noise: return "noise";
        case Carrier::sine: return "sine";
        case Carrier::multitone: return "multitone";
        case Carrier::get: return "get";
        case Carrier::gammatone_pulse: return "gammatone_pulse";
    }
    return "?";
}

}  // namespace

TEST(Auraliser, SineCarrierIsAToneAtThePlaceWithPeakA) {
    const float a = 0.25f;
    for (int electrode : {3, 12, 22}) {
        const double f = kPlaces[std::size_t(electrode - 1)];
        const auto y = auralise(train(electrode, a, 900.0, 0.0, 1.5), 1.5, params(Carrier::sine), kFs);
        const std::size_t from = std::size_t(0.2 * kFs), to = std::size_t(1.4 * kFs);
        float peak = 0;
        for (std::size_t i = from; i < to; ++i) peak = std::max(peak, std::fabs(y[i]));
        const double amp = tone_amplitude(y, from, to, f);
        // spectral peak: a fine scan around the place
        double best_f = 0, best = 0;
        for (double g = f - 20; g <= f + 20; g += 0.25) {
            const double v = tone_amplitude(y, from, to, g);
            if (v > best) best = v, best_f = g;
        }
        std::printf("[ sine ] electrode %d: place %.0f Hz, spectral peak %.2f Hz, peak %.3f dB re A, tone %.3f dB re A\n",
                    electrode, f, best_f, db(peak / a), db(amp / a));
        EXPECT_NEAR(best_f, f, 1.0);
        EXPECT_NEAR(db(peak / a), 0.0, 0.3);
        EXPECT_NEAR(db(amp / a), 0.0, 0.3);
    }
}

TEST(Auraliser, NoiseCarrierStaysInItsBandAtRmsAOverSqrt2) {
    const float a = 0.25f;
    for (int electrode : {1, 12, 22}) {
        const std::size_t e = std::size_t(electrode - 1);
        const double f = kPlaces[e];
        const double hi = e == 0 ? f * std::sqrt(f / kPlaces[1]) : std::sqrt(f * kPlaces[e - 1]);
        const double lo = e + 1 == kPlaces.size() ? f * std::sqrt(f / kPlaces[e - 1]) : std::sqrt(f * kPlaces[e + 1]);
        const auto y = auralise(train(electrode, a, 900.0, 0.0, 8.0), 8.0, params(Carrier::noise), kFs);
        const std::size_t from = std::size_t(0.2 * kFs), to = std::size_t(7.9 * kFs), size = 8192;
        const auto p = power_spectrum(y, from, to, size);
        double in = 0, all = 0;
        for (std::size_t k = 0; k < p.size(); ++k) {
            const double fk = double(k) * kFs / double(size);
            all += p[k];
            if (fk >= lo && fk <= hi) in += p[k];
        }
        const double level = db(rms(y, from, to) / (a / std::numbers::sqrt2));
        std::printf("[ noise ] electrode %d: band %.0f-%.0f Hz, %.1f %% of the energy in band, RMS %.2f dB re A/sqrt2\n",
                    electrode, lo, hi, 100.0 * in / all, level);
        EXPECT_GE(in / all, 0.90);
        EXPECT_NEAR(level, 0.0, 1.0);
    }
}

TEST(Auraliser, SpreadInDbPerMmBetweenTwoElectrodes) {
    for (double spread : {1.0, 4.0, 8.0})
        for (double dist : {1.0, 3.0, 6.0}) {
            AuralisationParams p;
            p.carrier = Carrier::sine;
            p.place_freq_hz = {4000.0, 1000.0};
            p.contact_depth_mm = {10.0, 10.0 + dist};
            p.spread_db_per_mm = spread;
            const auto y = auralise(train(1, 0.5f, 900.0, 0.0, 1.0), 1.0, p, kFs);
            const std::size_t from = std::size_t(0.1 * kFs), to = std::size_t(0.95 * kFs);
            const double own = tone_amplitude(y, from, to, 4000.0), other = tone_amplitude(y, from, to, 1000.0);
            const double expect = spread * dist > 60.0 ? -200.0 : -spread * dist;
            std::printf("[ spread ] %.0f dB/mm x %.0f mm: other electrode %.2f dB (expected %.0f)\n", spread, dist,
                        db(other / own), expect);
            if (expect < -100) EXPECT_LT(db(other / own), -100.0);
            else EXPECT_NEAR(db(other / own), expect, 1.0);
        }
}

TEST(Auraliser, SpreadIsTruncatedBelowMinus60Db) {
    AuralisationParams p;
    p.carrier = Carrier::sine;
    p.place_freq_hz = {4000.0, 1000.0};
    p.contact_depth_mm = {10.0, 18.0};
    p.spread_db_per_mm = 8.0;  // 64 dB
    const auto y = auralise(train(1, 0.5f, 900.0, 0.0, 1.0), 1.0, p, kFs);
    EXPECT_LT(db(tone_amplitude(y, 4410, 40000, 1000.0) / 0.5), -120.0);
}

TEST(Auraliser, MultitoneSlopeFollowsDbPerOctave) {
    for (double slope : {-4.0, -8.0, -16.0}) {
        auto p = params(Carrier::multitone);
        p.multitone_spread_db_per_oct = slope;
        const int electrode = 15;  // 1943 Hz
        const double fe = kPlaces[electrode - 1];
        const float a = 0.3f;
        const auto y = auralise(train(electrode, a, 900.0, 0.0, 2.0), 2.0, p, kFs);
        const std::size_t from = std::size_t(0.2 * kFs), to = std::size_t(1.9 * kFs);
        // carrier frequencies as documented: ERB-spaced 20 Hz .. min(20 kHz, 0.45 fs)
        const int nc = p.multitone_carriers;
        const double e0 = erb_number(20.0), e1 = erb_number(std::min(20000.0, 0.45 * kFs));
        std::vector<double> xs, ys;
        for (int c = 0; c < nc; ++c) {
            const double fc = erb_number_to_hz(e0 + (e1 - e0) * double(c) / double(nc - 1));
            const double oct = std::fabs(std::log2(fc / fe));
            if (oct < 0.25 || oct > 2.5) continue;
            const double lev = 2.0 * db(tone_amplitude(y, from, to, fc)) / 2.0;  // dB of amplitude = dB of power
            xs.push_back(oct), ys.push_back(lev);
        }
        const double mx = std::accumulate(xs.begin(), xs.end(), 0.0) / double(xs.size());
        const double my = std::accumulate(ys.begin(), ys.end(), 0.0) / double(ys.size());
        double sxy = 0, sxx = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) sxy += (xs[i] - mx) * (ys[i] - my), sxx += (xs[i] - mx) * (xs[i] - mx);
        const double fitted = sxy / sxx;
        const double level = db(rms(y, from, to) / (a / std::numbers::sqrt2));
        std::printf("[ multitone ] %.0f dB/oct: fitted %.2f dB/oct over %zu carriers, total RMS %.2f dB re A/sqrt2\n", slope,
                    fitted, xs.size(), level);
        EXPECT_NEAR(fitted, slope, 1.5);
        EXPECT_NEAR(level, 0.0, 0.5);
    }
}

TEST(Auraliser, GetGrainsHaveWidthDAndSitAtTheLatency) {
    auto p = params(Carrier::get);
    Auraliser probe;
    probe.prepare(p, kFs, 512, 64);
    const double lat = probe.latency_samples() / kFs;
    // 1.5 D of the lowest place, plus at most one step of the envelope grid (D / 8)
    EXPECT_GE(lat, 1.5 * p.get_cycles / 722.0 - 1.0 / kFs);
    EXPECT_LE(lat, 1.5 * p.get_cycles / 722.0 + p.get_cycles / 722.0 / 8.0);
    for (int electrode : {4, 12, 20}) {
        const double f = kPlaces[std::size_t(electrode - 1)], d = p.get_cycles / f;
        const auto pulses = train(electrode, 0.5f, 10.0, 0.05, 0.5);  // isolated grains
        const auto y = auralise(pulses, 0.6, p, kFs);
        double worst_width = 0, worst_centre = 0;
        for (const auto& q : pulses) {
            const double c = q.time_s + lat;
            const std::size_t from = std::size_t((c - 2.0 * d) * kFs), to = std::size_t((c + 2.0 * d) * kFs);
            double e = 0, m1 = 0, m2 = 0;
            for (std::size_t i = from; i < to; ++i) {
                const double t = double(i) / kFs, w = double(y[i]) * y[i];
                e += w, m1 += w * t, m2 += w * t * t;
            }
            const double centre = m1 / e, sigma = std::sqrt(m2 / e - centre * centre);
            // exp(-pi t^2/D^2) squared is a Gaussian of standard deviation D / (2 sqrt pi)
            const double width = sigma * 2.0 * std::sqrt(kPi);
            worst_width = std::max(worst_width, std::fabs(width / d - 1.0));
            worst_centre = std::max(worst_centre, std::fabs(centre - std::floor(q.time_s * kFs + 1e-6) / kFs - lat) * kFs);
        }
        std::printf("[ get ] electrode %d (%.0f Hz, D = %.3f ms): width within %.2f %% of D, centre within %.2f samples of "
                    "pulse + latency (%.3f ms)\n",
                    electrode, f, d * 1e3, 100.0 * worst_width, worst_centre, lat * 1e3);
        EXPECT_LT(worst_width, 0.02);
        EXPECT_LT(worst_centre, 1.0);
    }
}

TEST(Auraliser, PulseCarriersHaveRmsAOverSqrt2AtTheElectrodesRate) {
    // GET: exact for regular trains. Gammatone: normalised for irregular timing, checked with what n-of-m
    // selection produces: the electrode selected in a random half of the frames (so -3 dB of power, added back).
    std::mt19937 rng(3);
    std::bernoulli_distribution selected(0.5);
    for (Carrier c : {Carrier::get, Carrier::gammatone_pulse})
        for (double rate : {500.0, 900.0, 1800.0})
            for (int electrode : {3, 12, 22}) {
                const float a = 0.2f;
                auto pulses = train(electrode, a, rate, 0.01, 2.0);
                double duty = 1.0;
                if (c == Carrier::gammatone_pulse) {
                    std::vector<StimulusPulse> kept;
                    for (const auto& q : pulses)
                        if (selected(rng)) kept.push_back(q);
                    duty = double(kept.size()) / double(pulses.size());
                    pulses = kept;
                }
                const auto y = auralise(pulses, 2.0, params(c), kFs);
                const double level =
                    db(rms(y, std::size_t(0.2 * kFs), std::size_t(1.9 * kFs)) / (a / std::numbers::sqrt2)) - 10.0 * std::log10(duty);
                std::printf("[ %s ] %.0f pps on electrode %d (%.0f Hz): RMS %.2f dB re A/sqrt2\n", name(c), rate, electrode,
                            kPlaces[std::size_t(electrode - 1)], level);
                if (c == Carrier::get) {
                    EXPECT_NEAR(level, 0.0, 0.5);
                } else {
                    // Half-selected: the random part alone carries p(1 - p) = 1/4 of the power where the rate's
                    // harmonics miss the filter (-3 dB after the duty correction), all of it where one hits.
                    EXPECT_GT(level, -3.5);
                    EXPECT_LT(level, 0.5);
                }
            }
}

TEST(Auraliser, GammatoneNeverBoostsARegularTrainThatMissesTheFilter) {
    // A perfectly regular train excites a narrow gammatone only through the harmonics of its rate: where one
    // falls on the filter it is normalised to A/sqrt2, where none does it comes out quieter (never boosted
    // above the random-timing gain). 1800 pps into the 722 Hz gammatone: harmonics 7 and 10 bandwidths away.
    const float a = 0.2f;
    for (double rate : {500.0, 900.0, 1800.0})
        for (int electrode : {3, 12, 22}) {
            const auto y = auralise(train(electrode, a, rate, 0.0, 2.0), 2.0, params(Carrier::gammatone_pulse), kFs);
            const double level = db(rms(y, std::size_t(0.2 * kFs), std::size_t(1.9 * kFs)) / (a / std::numbers::sqrt2));
            EXPECT_LT(level, 0.5) << rate << " pps, electrode " << electrode;
            EXPECT_GT(level, -60.0) << rate << " pps, electrode " << electrode;
            if (electrode == 22 && rate == 1800.0) EXPECT_LT(level, -3.0);
        }
}

TEST(Auraliser, GammatoneSpectrumPeaksAtThePlace) {
    auto p = params(Carrier::gammatone_pulse);
    for (int electrode : {3, 12, 22}) {
        const double f = kPlaces[std::size_t(electrode - 1)];
        const std::vector<StimulusPulse> one = {{0.01, electrode, 0.5f}};
        const auto y = auralise(one, 0.2, p, kFs);
        const std::size_t size = 8192;
        const auto spec = power_spectrum(std::vector<float>(y.begin(), y.begin() + size), 0, size, size);
        std::size_t k = 1;
        for (std::size_t i = 1; i < spec.size(); ++i)
            if (spec[i] > spec[k]) k = i;
        const double peak_hz = double(k) * kFs / double(size);
        Auraliser a;
        a.prepare(p, kFs, 512, 64);
        // envelope centroid (the gammatone's group delay at its centre frequency) against pulse + latency
        double e = 0, m = 0;
        std::complex<double> run = 0;
        const std::size_t per = std::size_t(std::lround(kFs / f));
        std::vector<std::complex<double>> base(y.size());
        for (std::size_t i = 0; i < y.size(); ++i) base[i] = double(y[i]) * std::polar(1.0, -2.0 * kPi * f * double(i) / kFs);
        for (std::size_t i = 0; i + per < y.size(); ++i) {
            run = 0;
            for (std::size_t j = 0; j < per; ++j) run += base[i + j];
            const double env = std::abs(run), t = (double(i) + 0.5 * double(per - 1)) / kFs;
            e += env, m += env * t;
        }
        const double centre_ms = (m / e - std::floor(0.01 * kFs) / kFs) * 1e3;
        std::printf("[ gammatone ] electrode %d (%.0f Hz): spectral peak %.1f Hz (bin %.1f Hz), envelope centroid %.3f ms after the "
                    "pulse, latency %.3f ms\n",
                    electrode, f, peak_hz, kFs / double(size), centre_ms, a.latency_samples() / kFs * 1e3);
        EXPECT_NEAR(peak_hz, f, std::max(2.0 * kFs / double(size), 0.02 * f));
        EXPECT_NEAR(centre_ms, a.latency_samples() / kFs * 1e3, 0.1);
    }
}

TEST(Auraliser, EnvelopeFallsToZeroWithoutPulses) {
    for (Carrier c : {Carrier::noise, Carrier::sine, Carrier::multitone}) {
        // 900 pps for 0.3 s, then nothing; and a train whose last pulse is an idle slot
        auto pulses = train(12, 0.5f, 900.0, 0.0, 0.3);
        auto y = auralise(pulses, 0.6, params(c), kFs);
        const double tail = rms(y, std::size_t(0.4 * kFs), std::size_t(0.6 * kFs));
        pulses.push_back({0.3, 12, 0.f});
        auto z = auralise(pulses, 0.6, params(c), kFs);
        const double tail_idle = rms(z, std::size_t(0.4 * kFs), std::size_t(0.6 * kFs));
        std::printf("[ %s ] after the last pulse: %.1f dB re A; after an idle slot: %.1f dB\n", name(c), db(tail / 0.5 + 1e-30),
                    db(tail_idle / 0.5 + 1e-30));
        EXPECT_LT(db(tail / 0.5 + 1e-30), -100.0);
        EXPECT_LT(db(tail_idle / 0.5 + 1e-30), -100.0);
    }
}

TEST(Auraliser, EverythingReturnsToZeroAfterAnNofMSequence) {
    // Holds begin and end on every electrode and frame (selection changes, idle slots, time-outs inside and
    // across chunks); once the pulses stop, every lane is exactly 0 again (integer sums, no drift).
    const auto pulses = ace_like(0.5, 900.0, 8, 22);
    for (Carrier c : {Carrier::noise, Carrier::sine, Carrier::multitone}) {
        const auto y = auralise(pulses, 1.0, params(c, 2.0), kFs);
        const double tail = rms(y, std::size_t(0.7 * kFs), y.size());
        std::printf("[ %s ] 0.2 s after an 8-of-22 sequence: RMS %.3g\n", name(c), tail);
        EXPECT_LT(tail, 1e-12) << name(c);
    }
}

TEST(Auraliser, SlowTrainsAreHeldAcrossTheirGaps) {
    // 100 pps: a 10 ms interval, held for up to 15 ms, so the envelope never drops between pulses.
    auto p = params(Carrier::sine);
    const auto slow = auralise(train(12, 0.5f, 100.0, 0.0, 1.0), 1.0, p, kFs);
    const auto fast = auralise(train(12, 0.5f, 900.0, 0.0, 1.0), 1.0, p, kFs);
    const std::size_t from = std::size_t(0.2 * kFs), to = std::size_t(0.95 * kFs);
    std::printf("[ sine ] 100 pps vs 900 pps: %.3f dB\n", db(rms(slow, from, to) / rms(fast, from, to)));
    EXPECT_NEAR(db(rms(slow, from, to) / rms(fast, from, to)), 0.0, 0.05);
}

TEST(Auraliser, SkippedFramesAreSilentHalfwayThrough) {
    // Selected every other frame at 900 pps: the held value lasts 1.5 frames, then 0 until the next pulse.
    std::vector<StimulusPulse> pulses;
    for (int k = 0; k < 40; ++k) pulses.push_back({double(k) / 900.0, 12, 0.5f});  // learns the interval
    for (int k = 40; k < 400; k += 2) pulses.push_back({double(k) / 900.0, 12, 0.5f});
    auto p = params(Carrier::sine);
    p.envelope_cutoff_hz = 2000.0;
    const auto y = auralise(pulses, 0.45, p, kFs);
    const auto full = auralise(train(12, 0.5f, 900.0, 0.0, 0.45), 0.45, p, kFs);
    const std::size_t from = std::size_t(0.1 * kFs), to = std::size_t(0.4 * kFs);
    const double ratio = rms(y, from, to) / rms(full, from, to);
    std::printf("[ sine ] every other frame: RMS %.3f of the full train (0.75 expected: 1.5 of 2 frames held)\n", ratio);
    EXPECT_NEAR(ratio * ratio, 0.75, 0.05);
}

TEST(Auraliser, SameSeedSameOutputOtherSeedDifferent) {
    const auto pulses = ace_like(0.5, 900.0, 8, 22);
    for (Carrier c : kAll) {
        auto p = params(c, 4.0);
        const auto a = auralise(pulses, 0.5, p, kFs);
        const auto b = auralise(pulses, 0.5, p, kFs);
        p.seed = 2;
        const auto d = auralise(pulses, 0.5, p, kFs);
        EXPECT_EQ(a, b) << name(c);
        double diff = 0;
        for (std::size_t i = 0; i < a.size(); ++i) diff = std::max(diff, double(std::fabs(a[i] - d[i])));
        std::printf("[ %s ] seed 1 vs seed 2: max difference %.3g\n", name(c), diff);
        if (c == Carrier::gammatone_pulse) EXPECT_EQ(diff, 0.0);  // no randomness
        else EXPECT_GT(diff, 1e-3);
    }
}

TEST(Auraliser, BlockSizeDoesNotChangeTheOutput) {
    const auto pulses = ace_like(0.4, 900.0, 8, 22);
    for (Carrier c : kAll) {
        const auto p = params(c, 2.0);
        const auto ref = auralise(pulses, 0.4, p, kFs);
        float peak = 0;
        for (float v : ref) peak = std::max(peak, std::fabs(v));
        ASSERT_GT(peak, 0.f);
        for (std::size_t block : {1u, 64u, 512u, 4096u, 1000u}) {
            const auto y = render_in_blocks(p, pulses, 0.4, block);
            double diff = 0;
            for (std::size_t i = 0; i < y.size(); ++i) diff = std::max(diff, double(std::fabs(y[i] - ref[i])));
            EXPECT_LE(diff, 1e-6 * peak) << name(c) << " block " << block;
            if (block == 1) std::printf("[ %s ] block 1 vs 4096: max difference %.3g (peak %.3f)\n", name(c), diff, peak);
        }
    }
}

TEST(Auraliser, ResetReturnsToThePreparedState) {
    const auto pulses = ace_like(0.2, 900.0, 8, 22);
    for (Carrier c : kAll) {
        Auraliser a;
        a.prepare(params(c, 2.0), kFs, 512, 64);
        std::vector<float> y1(8820), y2(8820);
        a.process(pulses, y1.data(), y1.size());
        a.reset();
        a.process(pulses, y2.data(), y2.size());
        EXPECT_EQ(y1, y2) << name(c);
    }
}

TEST(Auraliser, LatencyPerCarrier) {
    for (Carrier c : kAll) {
        Auraliser a;
        a.prepare(params(c, 8.0), kFs, 512, 64);
        std::printf("[ %s ] latency %.3f ms (22 Contour Advance places, 44.1 kHz)\n", name(c), a.latency_samples() / kFs * 1e3);
        EXPECT_GT(a.latency_samples(), 0.0);
        EXPECT_LT(a.latency_samples() / kFs, 0.02);
    }
}

TEST(Auraliser, PlacesAboveTheOutputBandAreSilent) {
    auto p = params(Carrier::sine);
    const auto y = auralise(train(1, 0.5f, 900.0, 0.0, 0.3), 0.3, p, 16000.0);  // 13.9 kHz at 16 kHz
    EXPECT_EQ(rms(y, 0, y.size()), 0.0);
    const auto z = auralise(train(12, 0.5f, 900.0, 0.0, 0.3), 0.3, p, 16000.0);  // 3.1 kHz: fine
    EXPECT_GT(rms(z, 1000, z.size()), 0.3);
}

TEST(Auraliser, BadParametersAreOneLineConfigErrors) {
    auto expect_error = [](const AuralisationParams& p, const std::string& key, double fs = kFs, std::size_t block = 512,
                           std::size_t pulses = 64) {
        try {
            Auraliser a;
            a.prepare(p, fs, block, pulses);
            ADD_FAILURE() << "no error for " << key;
        } catch (const ConfigError& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(key), std::string::npos) << msg;
            EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
            std::printf("[ error ] %s\n", msg.c_str());
        }
    };
    const auto good = params(Carrier::noise, 8.0);
    {
        auto p = good;
        p.carrier = Carrier(17);
        expect_error(p, "carrier");
    }
    {
        auto p = good;
        p.place_freq_hz.clear();
        p.contact_depth_mm.clear();
        expect_error(p, "place_freq_hz");
    }
    {
        auto p = good;
        p.place_freq_hz.assign(25, 1000.0);
        expect_error(p, "place_freq_hz");
    }
    {
        auto p = good;
        p.place_freq_hz[3] = 10.0;
        expect_error(p, "place_freq_hz");
    }
    {
        auto p = good;
        p.place_freq_hz[3] = std::nan("");
        expect_error(p, "place_freq_hz");
    }
    {
        auto p = good;
        p.place_freq_hz[4] = p.place_freq_hz[3];
        expect_error(p, "place_freq_hz");
    }
    {
        auto p = good;
        p.contact_depth_mm.pop_back();
        expect_error(p, "contact_depth_mm");
    }
    {
        auto p = good;
        p.contact_depth_mm[0] = -1.0;
        expect_error(p, "contact_depth_mm");
    }
    for (double v : {0.1, 0.0, -3.0, std::nan("")}) {
        auto p = good;
        p.spread_db_per_mm = v;
        expect_error(p, "spread_db_per_mm");
    }
    for (double v : {0.0, -0.5, -61.0, 3.0}) {
        auto p = good;
        p.multitone_spread_db_per_oct = v;
        expect_error(p, "multitone_spread_db_per_oct");
    }
    for (int v : {7, 401, 0}) {
        auto p = good;
        p.multitone_carriers = v;
        expect_error(p, "multitone_carriers");
    }
    for (double v : {19.0, 2001.0}) {
        auto p = good;
        p.envelope_cutoff_hz = v;
        expect_error(p, "envelope_cutoff_hz");
    }
    for (double v : {0.5, 21.0}) {
        auto p = good;
        p.get_cycles = v;
        expect_error(p, "get_cycles");
    }
    expect_error(good, "output_rate_hz", 8000.0);
    expect_error(good, "output_rate_hz", 192000.0);
    expect_error(good, "max_block_frames", kFs, 0);
    expect_error(good, "max_pulses_per_block", kFs, 512, 0);
    // no depths needed without spread
    auto p = params(Carrier::sine);
    p.contact_depth_mm.clear();
    EXPECT_NO_THROW(p.validate());
}
