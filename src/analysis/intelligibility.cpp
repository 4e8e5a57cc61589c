#include "earshot/analysis/intelligibility.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <span>

#include "earshot/analysis/align.hpp"
#include "earshot/core/error.hpp"
#include "earshot/dsp/fft.hpp"
#include "earshot/dsp/resampler.hpp"

namespace earshot {

namespace {

constexpr double kRateHz = 10000.0;
constexpr std::size_t kFrame = 256;
constexpr std::size_t kHop = 128;
constexpr std::size_t kFft = 512;
constexpr std::size_t kBands = 15;
constexpr double kMinBandHz = 150.0;
constexpr std::size_t kSegment = 30;
constexpr double kBetaDb = -15.0;
constexpr double kDynamicRangeDb = 40.0;
constexpr double kEps = std::numeric_limits<double>::epsilon();

// MATLAB hanning(256): the 258-point Hann window without its two zero end points.
std::array<double, kFrame> hanning_window() {
    std::array<double, kFrame> w{};
    for (std::size_t n = 0; n < kFrame; ++n)
        w[n] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * double(n + 1) / double(kFrame + 1));
    return w;
}

// Frame starts 0, hop, ... strictly below n - frame (as the reference implementations frame).
std::size_t num_frames(std::size_t n) { return n > kFrame ? (n - kFrame + kHop - 1) / kHop : 0; }

// Band b covers FFT bins [lo[b], hi[b]): edges 150 * 2^((2k -+ 1)/6) Hz snapped to the nearest bin
// (the lower bin on a tie).
struct Bands {
    std::array<std::size_t, kBands> lo{}, hi{};
};
Bands third_octave_bands() {
    Bands b;
    const std::size_t bins = kFft / 2 + 1;
    auto nearest = [&](double f_hz) {
        std::size_t best = 0;
        double best_d = std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < bins; ++k) {
            const double d = std::fabs(double(k) * kRateHz / double(kFft) - f_hz);
            if (d < best_d) best_d = d, best = k;
        }
        return best;
    };
    for (std::size_t k = 0; k < kBands; ++k) {
        b.lo[k] = nearest(kMinBandHz * std::pow(2.0, (2.0 * double(k) - 1.0) / 6.0));
        b.hi[k] = nearest(kMinBandHz * std::pow(2.0, (2.0 * double(k) + 1.0) / 6.0));
    }
    return b;
}

std::vector<float> at_10k(const std::vector<float>& x, double rate_hz) {
    if (rate_hz == kRateHz) return x;
    return resample(x, rate_hz, kRateHz);
}

// Band envelopes, band-major: env[b * frames + m].
struct Envelopes {
    std::vector<double> x, y;
    std::size_t frames = 0;
};

Envelopes front_end(const std::vector<float>& ref, const std::vector<float>& deg, double rate_hz) {
    const auto xr = at_10k(ref, rate_hz), yr = at_10k(deg, rate_hz);
    const std::size_t n = std::min(xr.size(), yr.size());
    const auto w = hanning_window();

    // 1. Silent frames (decided on the reference), kept frames overlap-added back.
    const std::size_t nf = num_frames(n);
    std::vector<double> energy_db(nf);
    for (std::size_t f = 0; f < nf; ++f) {
        double e = 0.0;
        for (std::size_t i = 0; i < kFrame; ++i) {
            const double v = w[i] * xr[f * kHop + i];
            e += v * v;
        }
        energy_db[f] = 20.0 * std::log10(std::sqrt(e) + kEps);
    }
    const double top = nf ? *std::max_element(energy_db.begin(), energy_db.end()) : 0.0;
    std::vector<std::size_t> kept;
    for (std::size_t f = 0; f < nf; ++f)
        if (energy_db[f] > top - kDynamicRangeDb) kept.push_back(f);
    const std::size_t ns = kept.empty() ? 0 : (kept.size() - 1) * kHop + kFrame;
    std::vector<float> xs(ns, 0.0f), ys(ns, 0.0f);
    {
        std::vector<double> ax(ns, 0.0), ay(ns, 0.0);
        for (std::size_t k = 0; k < kept.size(); ++k)
            for (std::size_t i = 0; i < kFrame; ++i) {
                ax[k * kHop + i] += w[i] * xr[kept[k] * kHop + i];
                ay[k * kHop + i] += w[i] * yr[kept[k] * kHop + i];
            }
        for (std::size_t i = 0; i < ns; ++i) xs[i] = float(ax[i]), ys[i] = float(ay[i]);
    }

    // 2. STFT and one-third-octave band envelopes.
    Envelopes env;
    env.frames = num_frames(ns);
    if (env.frames < kSegment)
        throw ConfigError(fmt::format("intelligibility: {} frames of speech after silence removal, need at least {} "
                                      "(about 0.4 s of speech)", env.frames, kSegment));
    const Bands bands = third_octave_bands();
    RealFft fft(kFft);
    std::vector<float> buf(kFft, 0.0f);
    std::vector<std::complex<float>> spec(fft.num_bins());
    env.x.assign(kBands * env.frames, 0.0);
    env.y.assign(kBands * env.frames, 0.0);
    for (int which = 0; which < 2; ++which) {
        const std::vector<float>& s = which == 0 ? xs : ys;
        std::vector<double>& out = which == 0 ? env.x : env.y;
        for (std::size_t m = 0; m < env.frames; ++m) {
            for (std::size_t i = 0; i < kFrame; ++i) buf[i] = float(w[i] * s[m * kHop + i]);
            fft.forward(buf.data(), spec.data());
            for (std::size_t b = 0; b < kBands; ++b) {
                double e = 0.0;
                for (std::size_t k = bands.lo[b]; k < bands.hi[b]; ++k) e += std::norm(std::complex<double>(spec[k]));
                out[b * env.frames + m] = std::sqrt(e);
            }
        }
    }
    return env;
}

// v <- (v - mean) / (|v - mean| + eps), for n values at stride.
void unit_normalise(double* v, std::size_t n, std::size_t stride) {
    double mean = 0.0;
    for (std::size_t i = 0; i < n; ++i) mean += v[i * stride];
    mean /= double(n);
    double ss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        v[i * stride] -= mean;
        ss += v[i * stride] * v[i * stride];
    }
    const double d = std::sqrt(ss) + kEps;
    for (std::size_t i = 0; i < n; ++i) v[i * stride] /= d;
}

IntelligibilityScore score(const Envelopes& env) {
    const std::size_t F = env.frames, segments = F - kSegment + 1;
    const double clip = 1.0 + std::pow(10.0, -kBetaDb / 20.0);
    double stoi_sum = 0.0, estoi_sum = 0.0;
    std::array<double, kBands * kSegment> X{}, Y{};  // band-major segment
    for (std::size_t m0 = 0; m0 < segments; ++m0) {
        for (std::size_t b = 0; b < kBands; ++b)
            for (std::size_t t = 0; t < kSegment; ++t) {
                X[b * kSegment + t] = env.x[b * F + m0 + t];
                Y[b * kSegment + t] = env.y[b * F + m0 + t];
            }
        // STOI: per band, normalise, clip, correlate.
        for (std::size_t b = 0; b < kBands; ++b) {
            std::array<double, kSegment> x{}, y{};
            double nx = 0.0, ny = 0.0;
            for (std::size_t t = 0; t < kSegment; ++t) {
                x[t] = X[b * kSegment + t];
                y[t] = Y[b * kSegment + t];
                nx += x[t] * x[t];
                ny += y[t] * y[t];
            }
            const double alpha = std::sqrt(nx) / (std::sqrt(ny) + kEps);
            for (std::size_t t = 0; t < kSegment; ++t) y[t] = std::min(alpha * y[t], clip * x[t]);
            unit_normalise(x.data(), kSegment, 1);
            unit_normalise(y.data(), kSegment, 1);
            double d = 0.0;
            for (std::size_t t = 0; t < kSegment; ++t) d += x[t] * y[t];
            stoi_sum += d;
        }
        // ESTOI: rows, then columns, normalised; mean column inner product.
        for (std::size_t b = 0; b < kBands; ++b) {
            unit_normalise(&X[b * kSegment], kSegment, 1);
            unit_normalise(&Y[b * kSegment], kSegment, 1);
        }
        double d = 0.0;
        for (std::size_t t = 0; t < kSegment; ++t) {
            unit_normalise(&X[t], kBands, kSegment);
            unit_normalise(&Y[t], kBands, kSegment);
            for (std::size_t b = 0; b < kBands; ++b) d += X[b * kSegment + t] * Y[b * kSegment + t];
        }
        estoi_sum += d / double(kSegment);
    }
    IntelligibilityScore s;
    s.stoi = stoi_sum / double(segments * kBands);
    s.estoi = estoi_sum / double(segments);
    s.frames_used = F;
    return s;
}

void check_rate(double rate_hz, const char* which) {
    if (!(rate_hz >= 1000.0 && rate_hz <= 384000.0))
        throw ConfigError(fmt::format("intelligibility: {} sample rate {} Hz is out of range [1000, 384000] Hz", which, rate_hz));
}

void check_not_silent(const std::vector<float>& ref) {
    if (std::all_of(ref.begin(), ref.end(), [](float v) { return v == 0.0f; }))
        throw ConfigError("intelligibility: the reference is silent (all samples zero)");
}

}  // namespace

IntelligibilityScore intelligibility(const std::vector<float>& ref, const std::vector<float>& deg, double rate_hz) {
    check_rate(rate_hz, "signal");
    check_not_silent(ref);
    return score(front_end(ref, deg, rate_hz));
}

double stoi(const std::vector<float>& ref, const std::vector<float>& deg, double rate_hz) {
    return intelligibility(ref, deg, rate_hz).stoi;
}

double estoi(const std::vector<float>& ref, const std::vector<float>& deg, double rate_hz) {
    return intelligibility(ref, deg, rate_hz).estoi;
}

IntelligibilityScore score_intelligibility(const std::vector<float>& ref, double ref_rate_hz, const std::vector<float>& deg,
                                           double deg_rate_hz, bool align, double max_delay_s) {
    check_rate(ref_rate_hz, "reference");
    check_rate(deg_rate_hz, "degraded");
    check_not_silent(ref);
    std::vector<float> d = deg_rate_hz == ref_rate_hz ? deg : resample(deg, deg_rate_hz, ref_rate_hz);
    if (!align) {
        return intelligibility(ref, d, ref_rate_hz);
    }
    const DelayEstimate est = estimate_delay(ref, d, ref_rate_hz, max_delay_s);
    const AlignedPair p = apply_delay(ref, d, est.lag_samples);
    check_not_silent(p.reference);
    IntelligibilityScore s = intelligibility(p.reference, p.degraded, ref_rate_hz);
    s.delay_s = est.delay_s;
    return s;
}

}  // namespace earshot
