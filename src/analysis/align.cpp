#include "earshot/analysis/align.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>

#include "earshot/core/error.hpp"
#include "earshot/dsp/fft.hpp"

namespace earshot {

namespace {

constexpr double kMinPeakCorrelation = 0.15;  // below: waveforms unrelated at every lag, use envelopes
constexpr double kEnvelopeWindowS = 0.005;

// c[L] = sum_i a[i] b[i + L] for |L| <= max_lag (index L + max_lag), by one zero-padded FFT size.
std::vector<double> cross_correlation(std::span<const float> a, std::span<const float> b, std::size_t max_lag) {
    const std::size_t n = std::bit_ceil(std::max(a.size(), b.size()) + max_lag + 1);
    std::vector<float> pa(n, 0.0f), pb(n, 0.0f);
    std::copy(a.begin(), a.end(), pa.begin());
    std::copy(b.begin(), b.end(), pb.begin());
    RealFft fft(n);
    std::vector<std::complex<float>> A(fft.num_bins()), B(fft.num_bins());
    fft.forward(pa.data(), A.data());
    fft.forward(pb.data(), B.data());
    for (std::size_t k = 0; k < A.size(); ++k) A[k] = std::conj(A[k]) * B[k];
    fft.inverse(A.data(), pa.data());  // unnormalised: n * c
    std::vector<double> c(2 * max_lag + 1);
    for (long L = -static_cast<long>(max_lag); L <= static_cast<long>(max_lag); ++L)
        c[static_cast<std::size_t>(L + static_cast<long>(max_lag))] =
            double(pa[static_cast<std::size_t>((L + static_cast<long>(n)) % static_cast<long>(n))]) / double(n);
    return c;
}

double energy(std::span<const float> x) {
    double e = 0.0;
    for (float v : x) e += double(v) * v;
    return e;
}

std::vector<float> rms_envelope(std::span<const float> x, double fs) {
    const std::size_t w = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(fs * kEnvelopeWindowS)));
    std::vector<float> e(x.size());
    double acc = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        acc += double(x[i]) * x[i];
        if (i >= w) acc -= double(x[i - w]) * x[i - w];
        e[i] = static_cast<float>(std::sqrt(std::max(0.0, acc) / double(w)));
    }
    // (the causal window delays both envelopes equally, so the lag is unaffected)
    double mean = 0.0;
    for (float v : e) mean += v;
    mean /= double(std::max<std::size_t>(1, e.size()));
    for (float& v : e) v -= static_cast<float>(mean);
    return e;
}

}  // namespace

DelayEstimate estimate_delay(std::span<const float> ref, std::span<const float> deg, double fs, double max_delay_s) {
    if (!(fs > 0.0)) throw ConfigError(fmt::format("align: sample rate {} Hz must be positive", fs));
    if (!(max_delay_s >= 0.0) || !std::isfinite(max_delay_s))
        throw ConfigError(fmt::format("align: maximum delay {} s is out of range [0, inf) s", max_delay_s));
    DelayEstimate est;
    if (ref.empty() || deg.empty()) return est;
    std::size_t max_lag = static_cast<std::size_t>(std::floor(max_delay_s * fs));
    max_lag = std::min(max_lag, std::max(ref.size(), deg.size()) - 1);

    const double norm = std::sqrt(energy(ref) * energy(deg));
    const auto c = cross_correlation(ref, deg, max_lag);
    std::size_t best = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
        if (std::fabs(c[i]) > std::fabs(c[best])) best = i;
    est.peak_correlation = norm > 0.0 ? std::fabs(c[best]) / norm : 0.0;
    est.lag_samples = static_cast<long>(best) - static_cast<long>(max_lag);

    if (norm > 0.0 && est.peak_correlation < kMinPeakCorrelation) {
        const auto ea = rms_envelope(ref, fs), eb = rms_envelope(deg, fs);
        const auto ce = cross_correlation(ea, eb, max_lag);
        std::size_t b = 0;
        for (std::size_t i = 0; i < ce.size(); ++i)
            if (ce[i] > ce[b]) b = i;
        est.lag_samples = static_cast<long>(b) - static_cast<long>(max_lag);
        est.envelope_fallback = true;
    }
    est.delay_s = static_cast<double>(est.lag_samples) / fs;
    return est;
}

AlignedPair apply_delay(std::span<const float> ref, std::span<const float> deg, long lag) {
    const std::size_t r0 = lag < 0 ? static_cast<std::size_t>(-lag) : 0;
    const std::size_t d0 = lag > 0 ? static_cast<std::size_t>(lag) : 0;
    const std::size_t nr = ref.size() > r0 ? ref.size() - r0 : 0;
    const std::size_t nd = deg.size() > d0 ? deg.size() - d0 : 0;
    const std::size_t n = std::min(nr, nd);
    AlignedPair p;
    if (n > 0) {
        p.reference.assign(ref.begin() + static_cast<std::ptrdiff_t>(r0), ref.begin() + static_cast<std::ptrdiff_t>(r0 + n));
        p.degraded.assign(deg.begin() + static_cast<std::ptrdiff_t>(d0), deg.begin() + static_cast<std::ptrdiff_t>(d0 + n));
    }
    return p;
}

}  // namespace earshot
