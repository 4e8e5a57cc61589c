#include "earshot/dsp/resampler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "earshot/core/denormals.hpp"
#include "earshot/core/error.hpp"

namespace earshot {

namespace {

constexpr double kMinRateHz = 1000.0;
constexpr double kMaxRateHz = 384000.0;
constexpr std::int64_t kMaxRationalTerm = 4096;
constexpr double kPointsPerZeroCrossing = 1024.0;  // fallback tabulation density

// Modified Bessel function of the first kind, order 0 (power series; converges for all x used here).
double bessel_i0(double x) {
    double sum = 1.0, term = 1.0;
    const double q = 0.25 * x * x;
    for (int k = 1; k < 500; ++k) {
        term *= q / (double(k) * double(k));
        sum += term;
        if (term < 1e-17 * sum) break;
    }
    return sum;
}

double sinc(double x) {
    if (std::fabs(x) < 1e-12) return 1.0;
    const double px = std::numbers::pi * x;
    return std::sin(px) / px;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {  // b > 0
    std::int64_t q = a / b;
    if ((a % b) != 0 && a < 0) --q;
    return q;
}

bool is_integer(double v) { return std::fabs(v - std::round(v)) < 1e-9; }

// Dot product with eight independent partial sums (vectorises without -ffast-math).
inline float dot(const float* a, const float* b, std::size_t n) noexcept {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (std::size_t l = 0; l < 8; ++l) acc[l] += a[i + l] * b[i + l];
    float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (; i < n; ++i) s += a[i] * b[i];
    return s;
}

}  // namespace

void Resampler::prepare(double in_rate_hz, double out_rate_hz, std::size_t max_in_block) {
    prepare(in_rate_hz, out_rate_hz, max_in_block, ResamplerDesign{});
}

void Resampler::prepare(double in_rate_hz, double out_rate_hz, std::size_t max_in_block, const ResamplerDesign& design) {
    if (!(design.attenuation_db >= 40 && design.attenuation_db <= 140 && design.pass_edge > 0.1 &&
          design.pass_edge < design.stop_edge && design.stop_edge <= 0.6))
        throw ConfigError("resampler: design out of range (attenuation 40..140 dB, 0.1 < pass edge < stop edge <= 0.6)");
    const double kAttenuationDb = design.attenuation_db, kPassEdge = design.pass_edge, kStopEdge = design.stop_edge;
    for (auto [name, v] : {std::pair{"input sample rate", in_rate_hz}, std::pair{"output sample rate", out_rate_hz}})
        if (!(v >= kMinRateHz && v <= kMaxRateHz))
            throw ConfigError(fmt::format("resampler: {} {} Hz is out of range [{}, {}] Hz", name, v, kMinRateHz, kMaxRateHz));
    in_rate_hz_ = in_rate_hz;
    out_rate_hz_ = out_rate_hz;
    max_block_ = std::max<std::size_t>(1, max_in_block);

    rational_ = false;
    if (is_integer(in_rate_hz) && is_integer(out_rate_hz)) {
        const auto a = static_cast<std::int64_t>(std::llround(out_rate_hz));
        const auto b = static_cast<std::int64_t>(std::llround(in_rate_hz));
        const std::int64_t g = std::gcd(a, b);
        if (a / g <= kMaxRationalTerm && b / g <= kMaxRationalTerm) {
            rational_ = true;
            up_ = a / g;
            down_ = b / g;
        }
    }
    step_ = in_rate_hz / out_rate_hz;

    // Kernel in input-sample units: cut-off fc and transition width df in cycles per input sample.
    const double rel = std::min(in_rate_hz, out_rate_hz) / in_rate_hz;
    const double fc = 0.5 * (kPassEdge + kStopEdge) * rel;
    const double df = (kStopEdge - kPassEdge) * rel;
    const double beta = 0.1102 * (kAttenuationDb - 8.7);
    const double half_len = (kAttenuationDb - 7.95) / (2.285 * 2.0 * std::numbers::pi * df) / 2.0;  // Kaiser
    half_ = static_cast<std::size_t>(std::ceil(half_len));
    taps_ = 2 * half_;
    const double i0_beta = bessel_i0(beta);
    auto kernel = [&](double t) {
        if (std::fabs(t) >= half_len) return 0.0;
        const double r = t / half_len;
        return 2.0 * fc * sinc(2.0 * fc * t) * bessel_i0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / i0_beta;
    };

    // Row for fractional time f in [0, 1]: tap i multiplies input floor(t) - half + 1 + i, i.e. the
    // kernel at f + half - 1 - i.
    std::size_t rows;
    if (rational_) {
        phases_ = static_cast<std::size_t>(up_);
        rows = phases_;
    } else {
        phases_ = static_cast<std::size_t>(std::ceil(kPointsPerZeroCrossing * 2.0 * fc));
        phases_ = std::max<std::size_t>(phases_, 2);
        rows = phases_ + 1;
    }
    table_.assign(rows * taps_, 0.0f);
    std::vector<double> row(taps_);
    for (std::size_t p = 0; p < rows; ++p) {
        const double f = static_cast<double>(p) / static_cast<double>(phases_);
        double sum = 0.0;
        for (std::size_t i = 0; i < taps_; ++i) {
            row[i] = kernel(f + static_cast<double>(half_) - 1.0 - static_cast<double>(i));
            sum += row[i];
        }
        for (std::size_t i = 0; i < taps_; ++i) table_[p * taps_ + i] = static_cast<float>(row[i] / sum);
    }

    // Delay: the kernel's half length at the output rate, rounded up to whole output samples.
    latency_out_ = static_cast<std::int64_t>(std::ceil(static_cast<double>(half_) * out_rate_hz / in_rate_hz - 1e-9));
    buf_.assign(taps_ - 1 + max_block_, 0.0f);
    reset();
}

void Resampler::reset() noexcept {
    std::fill(buf_.begin(), buf_.end(), 0.0f);
    fill_ = taps_ > 0 ? taps_ - 1 : 0;  // zeros before the first input
    base_ = -static_cast<std::int64_t>(fill_);
    // Output 0 is at input time -latency * in / out.
    if (rational_) {
        const std::int64_t num = -latency_out_ * down_;
        pos_ = floor_div(num, up_);
        phase_ = num - pos_ * up_;
    } else {
        const double t = -static_cast<double>(latency_out_) * step_;
        pos_ = static_cast<std::int64_t>(std::floor(t));
        frac_ = t - static_cast<double>(pos_);
    }
}

std::size_t Resampler::max_output(std::size_t n_in) const noexcept {
    if (rational_)
        return static_cast<std::size_t>((static_cast<std::int64_t>(n_in) * up_ + down_ - 1) / down_) + 1;
    return static_cast<std::size_t>(std::ceil(static_cast<double>(n_in) / step_)) + 2;
}

std::size_t Resampler::process(const float* in, std::size_t n_in, float* out) noexcept {
    ScopedNoDenormals no_denormals;
    std::size_t produced = 0;
    while (n_in > 0) {
        const std::size_t n = std::min(n_in, max_block_);
        produced += process_chunk(in, n, out + produced);
        in += n;
        n_in -= n;
    }
    return produced;
}

std::size_t Resampler::process_chunk(const float* in, std::size_t n_in, float* out) noexcept {
    std::copy(in, in + n_in, buf_.begin() + static_cast<std::ptrdiff_t>(fill_));
    fill_ += n_in;
    const std::int64_t last = base_ + static_cast<std::int64_t>(fill_) - 1;  // newest input index
    const std::int64_t half = static_cast<std::int64_t>(half_);
    const std::size_t K = taps_;
    std::size_t produced = 0;
    // Output at time pos_ + frac needs inputs pos_ - half + 1 ... pos_ + half.
    while (pos_ + half <= last) {
        const std::int64_t first = pos_ - half + 1;
        float y = 0.0f;
        if (first >= base_) {
            const float* x = buf_.data() + (first - base_);
            if (rational_) {
                y = dot(x, table_.data() + static_cast<std::size_t>(phase_) * K, K);
            } else {
                const double pf = frac_ * static_cast<double>(phases_);
                std::size_t p = static_cast<std::size_t>(pf);
                if (p >= phases_) p = phases_ - 1;
                const float a = static_cast<float>(pf - static_cast<double>(p));
                const float y0 = dot(x, table_.data() + p * K, K);
                const float y1 = dot(x, table_.data() + (p + 1) * K, K);
                y = y0 + a * (y1 - y0);
            }
        }  // else: entirely before the first input (zeros)
        out[produced++] = y;
        if (rational_) {
            phase_ += down_;
            pos_ += phase_ / up_;
            phase_ %= up_;
        } else {
            frac_ += step_;
            const double whole = std::floor(frac_);
            pos_ += static_cast<std::int64_t>(whole);
            frac_ -= whole;
        }
    }
    // Keep the last K - 1 inputs (every later output starts at or after them).
    const std::size_t keep = K - 1;
    if (fill_ > keep) {
        std::copy(buf_.begin() + static_cast<std::ptrdiff_t>(fill_ - keep), buf_.begin() + static_cast<std::ptrdiff_t>(fill_),
                  buf_.begin());
        base_ += static_cast<std::int64_t>(fill_ - keep);
        fill_ = keep;
    }
    return produced;
}

std::vector<float> resample(const std::vector<float>& x, double in_rate_hz, double out_rate_hz) {
    Resampler rs;
    const std::size_t block = 4096;
    rs.prepare(in_rate_hz, out_rate_hz, block);
    const auto n_out = static_cast<std::size_t>(std::llround(static_cast<double>(x.size()) * out_rate_hz / in_rate_hz));
    const auto lat = rs.latency_samples();
    std::vector<float> y;
    y.reserve(n_out + lat + rs.max_output(block));
    std::vector<float> tmp(rs.max_output(block));
    std::vector<float> zeros(block, 0.0f);
    std::size_t i = 0;
    while (y.size() < n_out + lat) {
        const float* src = zeros.data();
        std::size_t n = block;
        if (i < x.size()) {
            n = std::min(block, x.size() - i);
            src = x.data() + i;
            i += n;
        }
        const std::size_t m = rs.process(src, n, tmp.data());
        y.insert(y.end(), tmp.begin(), tmp.begin() + static_cast<std::ptrdiff_t>(m));
    }
    return {y.begin() + static_cast<std::ptrdiff_t>(lat), y.begin() + static_cast<std::ptrdiff_t>(lat + n_out)};
}

}  // namespace earshot
