#include "earshot/analysis/band_analysis.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>

#include "earshot/dsp/fft.hpp"

namespace earshot {
namespace {

struct Spectrum {
    std::size_t n = 0;
    std::vector<std::complex<float>> bins;
};

Spectrum spectrum_of(std::span<const float> x) {
    Spectrum s;
    s.n = std::bit_ceil(std::max<std::size_t>(x.size(), 2));
    std::vector<float> buf(s.n, 0.f);
    std::copy(x.begin(), x.end(), buf.begin());
    s.bins.resize(s.n / 2 + 1);
    RealFft(s.n).forward(buf.data(), s.bins.data());
    return s;
}

std::vector<float> band_signal(const Spectrum& s, std::size_t len, double fs, double lo, double hi) {
    std::vector<std::complex<float>> b(s.bins.size());
    for (std::size_t k = 0; k < b.size(); ++k) {
        const double f = double(k) * fs / double(s.n);
        b[k] = (f >= lo && f < hi) ? s.bins[k] : std::complex<float>(0.f);
    }
    std::vector<float> y(s.n);
    RealFft(s.n).inverse(b.data(), y.data());
    y.resize(len);
    for (float& v : y) v /= float(s.n);
    return y;
}

}  // namespace

std::vector<double> third_octave_centres_hz(double lo, double hi) {
    std::vector<double> c;
    for (int k = -30; k <= 30; ++k) {
        const double f = 1000.0 * std::pow(2.0, k / 3.0);
        if (f >= lo * 0.99 && f <= hi * 1.01) c.push_back(f);
    }
    return c;
}

std::vector<double> band_levels_db(std::span<const float> x, double fs, std::span<const double> centres,
                                   double per_octave) {
    const Spectrum s = spectrum_of(x);
    std::vector<double> out;
    const double half = std::pow(2.0, 1.0 / (2.0 * per_octave));
    for (double fc : centres) {
        double e = 0;
        for (std::size_t k = 1; k < s.bins.size(); ++k) {
            const double f = double(k) * fs / double(s.n);
            if (f >= fc / half && f < fc * half) e += (k == s.bins.size() - 1 ? 1.0 : 2.0) * std::norm(s.bins[k]);
        }
        // Parseval: sum x^2 = (1/n) sum |X|^2 over all n bins; mean square over the signal's length.
        const double ms = e / double(s.n) / double(std::max<std::size_t>(x.size(), 1));
        out.push_back(10.0 * std::log10(ms + 1e-30));
    }
    return out;
}

namespace {
std::vector<double> frames_db(const std::vector<float>& y, std::size_t begin, std::size_t len, std::size_t frame,
                              double floor_db) {
    std::vector<double> env;
    for (std::size_t i = begin; i + frame <= begin + len; i += frame) {
        double e = 0;
        for (std::size_t k = 0; k < frame; ++k) e += double(y[i + k]) * y[i + k];
        env.push_back(10.0 * std::log10(e / double(frame) + 1e-30));
    }
    const double top = env.empty() ? 0 : *std::max_element(env.begin(), env.end());
    for (double& v : env) v = std::max(v, top - floor_db);
    return env;
}
}  // namespace

std::vector<double> band_envelope_db(std::span<const float> x, double fs, double fc, double per_octave, double frame_s,
                                     double floor_db) {
    const Spectrum s = spectrum_of(x);
    const double half = std::pow(2.0, 1.0 / (2.0 * per_octave));
    const std::vector<float> y = band_signal(s, x.size(), fs, fc / half, fc * half);
    const std::size_t frame = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(frame_s * fs)));
    return frames_db(y, 0, y.size(), frame, floor_db);
}

std::vector<std::vector<double>> band_envelopes_db(std::span<const float> x, double fs, double fc, double per_octave,
                                                   double frame_s, double floor_db,
                                                   std::span<const std::size_t> offsets, std::size_t len) {
    const Spectrum s = spectrum_of(x);
    const double half = std::pow(2.0, 1.0 / (2.0 * per_octave));
    const std::vector<float> y = band_signal(s, x.size(), fs, fc / half, fc * half);
    const std::size_t frame = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(frame_s * fs)));
    std::vector<std::vector<double>> out;
    for (std::size_t o : offsets) out.push_back(o + len <= y.size() ? frames_db(y, o, len, frame, floor_db) : std::vector<double>{});
    return out;
}

long align_lag(std::span<const float> ref, std::span<const float> deg, double fs, std::size_t max_lag) {
    // Broadband envelopes: |x| smoothed by a 1 ms moving average, mean removed; correlation by FFT.
    auto envelope = [&](std::span<const float> x) {
        const std::size_t w = std::max<std::size_t>(1, static_cast<std::size_t>(fs * 1e-3));
        std::vector<float> e(x.size(), 0.f);
        double acc = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            acc += std::fabs(x[i]);
            if (i >= w) acc -= std::fabs(x[i - w]);
            e[i] = float(acc / double(w));
        }
        double mean = 0;
        for (float v : e) mean += v;
        mean /= double(std::max<std::size_t>(e.size(), 1));
        for (float& v : e) v -= float(mean);
        return e;
    };
    const std::vector<float> a = envelope(ref), b = envelope(deg);
    const std::size_t n = std::bit_ceil(std::max(a.size(), b.size()) + max_lag + 1);
    std::vector<float> pa(n, 0.f), pb(n, 0.f);
    std::copy(a.begin(), a.end(), pa.begin());
    std::copy(b.begin(), b.end(), pb.begin());
    RealFft fft(n);
    std::vector<std::complex<float>> A(n / 2 + 1), B(n / 2 + 1);
    fft.forward(pa.data(), A.data());
    fft.forward(pb.data(), B.data());
    for (std::size_t k = 0; k < A.size(); ++k) A[k] = std::conj(A[k]) * B[k];
    std::vector<float> xc(n);
    fft.inverse(A.data(), xc.data());  // xc[L] = sum a[i] b[i + L]
    long best = 0;
    float best_v = -1e30f;
    for (long L = -long(max_lag); L <= long(max_lag); ++L) {
        const float v = xc[static_cast<std::size_t>((L + long(n)) % long(n))];
        if (v > best_v) best_v = v, best = L;
    }
    return best;
}

double pearson(std::span<const double> a, std::span<const double> b) {
    const std::size_t n = std::min(a.size(), b.size());
    if (n < 2) return 0;
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < n; ++i) ma += a[i], mb += b[i];
    ma /= double(n), mb /= double(n);
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

}  // namespace earshot
