#include "earshot/implant/ace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "earshot/core/error.hpp"
#include "earshot/dsp/fft.hpp"

namespace earshot {
namespace {
constexpr int kFft = 128;
constexpr double kRfClockHz = 5e6;  // CIC4 RF clock: pulse periods are whole ticks of 0.2 us

// H(d): the periodic Hann window / 2 seen d bins away from a bin centre (what bin k gives for a unit-
// amplitude cosine at k + d, its negative-frequency image aside). H(0) = 32, H(1) = -16.
std::complex<double> window_response(double d_bins) {
    std::complex<double> acc = 0;
    for (int n = 0; n < kFft; ++n) {
        const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * n / kFft);
        acc += 0.5 * w * std::polar(1.0, 2.0 * std::numbers::pi * d_bins * n / kFft);
    }
    return acc;
}
}  // namespace

std::vector<int> ace_band_bins(int bands) {
    // NMT FFT_band_bins for a 128-point FFT (ci-anchors §3.3); only the tables quoted there are built in.
    switch (bands) {
        case 22: return {1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8};
        case 20: return {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 8};
        case 16: return {1, 1, 1, 2, 2, 2, 2, 2, 3, 4, 4, 5, 6, 7, 9, 11};
        case 12: return {1, 2, 2, 2, 2, 3, 4, 5, 7, 9, 11, 14};
        case 8: return {2, 2, 3, 4, 6, 9, 14, 22};
        default: throw ConfigError(fmt::format("bands: {} has no built-in FFT band table (available: 8, 12, 16, 20, 22)", bands));
    }
}

double lgf_alpha(double q, double base, double sat) {
    // v(u) = ln(1 + a r)/ln(1 + a), r = (u - B)/(S - B); find a with 100 (1 - v(S/sqrt 10)) = Q by bisection on log a.
    const double r = (sat / std::sqrt(10.0) - base) / (sat - base);
    auto q_of = [&](double a) { return 100.0 * (1.0 - std::log1p(a * r) / std::log1p(a)); };
    double lo = std::log(1e-6), hi = std::log(1e8);
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (q_of(std::exp(mid)) > q ? lo : hi) = mid;  // Q falls as alpha grows
    }
    return std::exp(0.5 * (lo + hi));
}

void AceParams::validate() const {
    if (!(audio_rate_hz >= 8000 && audio_rate_hz <= 48000))
        throw ConfigError(fmt::format("audio_rate_hz: {} is out of range [8000, 48000] Hz", audio_rate_hz));
    if (bands < 1 || bands > 22) throw ConfigError(fmt::format("bands: {} is out of range [1, 22]", bands));
    if (maxima < 1 || maxima > bands)
        throw ConfigError(fmt::format("maxima: {} is out of range [1, bands = {}]", maxima, bands));
    if (!(channel_rate_pps >= 100 && channel_rate_pps <= audio_rate_hz / 2))
        throw ConfigError(fmt::format("channel_rate_pps: {} is out of range [100, {}] pps", channel_rate_pps, audio_rate_hz / 2));
    if (!(lgf_q > 0 && lgf_q < 100)) throw ConfigError(fmt::format("lgf_q: {} is out of range (0, 100)", lgf_q));
    if (!(base_level > 0 && base_level < sat_level))
        throw ConfigError(fmt::format("base_level: {} must be in (0, sat_level = {})", base_level, sat_level));
    for (const auto* v : {&t_level, &c_level})
        if (v->size() != 1 && v->size() != 22)
            throw ConfigError(fmt::format("{}: {} values; give one or one per electrode (22)", v == &t_level ? "t_level" : "c_level", v->size()));
    if (!(phase_width_us >= 9.6 && phase_width_us <= 400))
        throw ConfigError(fmt::format("phase_width_us: {} is out of range [9.6, 400] us", phase_width_us));
    if (!(phase_gap_us >= 6 && phase_gap_us <= 58))
        throw ConfigError(fmt::format("phase_gap_us: {} is out of range [6, 58] us", phase_gap_us));
    for (int e : deactivated)
        if (e < 1 || e > 22) throw ConfigError(fmt::format("deactivated: electrode {} is out of range [1, 22]", e));
}

AceStrategy::AceStrategy(AceParams params) : p_(std::move(params)) {
    p_.validate();
    shift_ = static_cast<std::size_t>(std::ceil(p_.audio_rate_hz / p_.channel_rate_pps - 1e-9));
    const double implant_rate = channel_rate_pps() * p_.maxima;
    period_us_ = std::round(kRfClockHz / implant_rate) * 1e6 / kRfClockHz;
    if (period_us_ < 2 * p_.phase_width_us + p_.phase_gap_us + 12.0)
        throw ConfigError(fmt::format("channel_rate_pps: {} x {} maxima leaves a pulse period of {} us, shorter than two phases, "
                                      "the gap and 12 us ({} us)", p_.channel_rate_pps, p_.maxima, period_us_,
                                      2 * p_.phase_width_us + p_.phase_gap_us + 12.0));
    alpha_ = lgf_alpha(p_.lgf_q, p_.base_level, p_.sat_level);
    width_ = ace_band_bins(p_.bands);
    int bin = 2;
    for (int w : width_) first_bin_.push_back(bin), bin += w;
    // Equalisation, so that a tone gives its amplitude as envelope: vector sum, the band's peak gain
    // |sum_k (-1)^k H(f - k)| over the band; power sum, the tone at the band centre: |H(0)|^2 (1 bin),
    // 2 |H(1/2)|^2 (2 bins), |H(0)|^2 + 2 |H(1)|^2 (3 or more).
    for (std::size_t b = 0; b < width_.size(); ++b) {
        if (p_.envelope == EnvelopeMethod::power_sum) {
            const double h0 = std::norm(window_response(0)), h1 = std::norm(window_response(1)),
                         hh = std::norm(window_response(0.5));
            norm_.push_back(width_[b] == 1 ? h0 : width_[b] == 2 ? 2 * hh : h0 + 2 * h1);
            continue;
        }
        double best = 0;
        for (double f = first_bin_[b] - 0.5; f <= first_bin_[b] + width_[b] - 0.5 + 1e-9; f += 1.0 / 256.0) {
            std::complex<double> s = 0;
            for (int k = first_bin_[b]; k < first_bin_[b] + width_[b]; ++k) s += (k % 2 ? -1.0 : 1.0) * window_response(f - k);
            best = std::max(best, std::abs(s));
        }
        norm_.push_back(best);
    }
}

Electrodogram AceStrategy::process(const std::vector<float>& x, std::vector<std::vector<double>>* envelopes) const {
    const double fs = p_.audio_rate_hz;
    const std::size_t n = x.size();
    // Front-end AGC.
    std::vector<double> y(x.begin(), x.end());
    if (p_.agc) {
        const double knee = 0.0793386857653367;  // 10^(11/20) x RMS of 65 dB SPL on the 95 dB full-scale sine
        const double w = 3.912 / (0.005 * fs);
        const double r = std::pow(10.0, -25.0 / (0.075 * fs) / 20.0);
        double env = 0, g = 1;
        for (auto& v : y) {
            env = std::max(std::fabs(v), env * r);
            const double raw = env > knee ? knee / env : 1.0;
            g = w * raw + (1.0 - w) * g;
            v *= g;
        }
    }
    const double gain = std::pow(10.0, p_.gain_db / 20.0);
    const std::size_t frames = (n + shift_ - 1) / shift_;
    RealFft fft(kFft);
    std::vector<float> buf(kFft);
    std::vector<std::complex<float>> spec(kFft / 2 + 1);
    std::vector<double> win(kFft);
    for (int i = 0; i < kFft; ++i) win[i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / kFft);
    const int nb = p_.bands;
    std::vector<double> env(nb);
    std::vector<int> order(nb);
    Electrodogram out;
    out.pulses.reserve(frames * std::size_t(p_.maxima));
    const double log1pa = std::log1p(alpha_);
    std::size_t pulse_index = 0;
    if (envelopes) envelopes->assign(frames, std::vector<double>(nb));
    for (std::size_t m = 0; m < frames; ++m) {
        const long start = long(m * shift_) - long(kFft - shift_);
        for (int i = 0; i < kFft; ++i) {
            const long idx = start + i;
            buf[i] = float((idx >= 0 && idx < long(n) ? y[std::size_t(idx)] : 0.0) * win[i]);
        }
        fft.forward(buf.data(), spec.data());
        for (int b = 0; b < nb; ++b) {
            if (p_.envelope == EnvelopeMethod::vector_sum) {
                std::complex<double> s = 0;
                for (int k = first_bin_[b]; k < first_bin_[b] + width_[b]; ++k)
                    s += (k % 2 ? -1.0 : 1.0) * std::complex<double>(spec[k]);
                env[b] = std::abs(s) / norm_[b] * gain;
            } else {
                double s = 0;
                for (int k = first_bin_[b]; k < first_bin_[b] + width_[b]; ++k) s += std::norm(std::complex<double>(spec[k]));
                env[b] = std::sqrt(s / norm_[b]) * gain;
            }
            if (envelopes) (*envelopes)[m][std::size_t(b)] = env[b];
        }
        // n-of-m: reject the smallest one at a time (lowest band first on ties).
        std::vector<bool> selected(nb, true);
        for (int r = 0; r < nb - p_.maxima; ++r) {
            int worst = -1;
            for (int b = 0; b < nb; ++b)
                if (selected[b] && (worst < 0 || env[b] < env[worst])) worst = b;
            selected[worst] = false;
        }
        // Base to apex = highest band first.
        for (int i = 0; i < nb; ++i) order[i] = p_.order == PulseOrder::base_to_apex ? nb - 1 - i : i;
        for (int b : order) {
            if (!selected[b]) continue;
            const int electrode = nb + 1 - (b + 1);  // band 1 (lowest) -> electrode 22 for 22 bands
            Pulse pulse;
            pulse.time_us = double(pulse_index) * period_us_;
            pulse.electrode = electrode + (22 - nb);
            pulse.phase_width_us = p_.phase_width_us;
            pulse.phase_gap_us = p_.phase_gap_us;
            const bool off = std::find(p_.deactivated.begin(), p_.deactivated.end(), pulse.electrode) != p_.deactivated.end();
            if (env[b] >= p_.base_level && !off) {
                const double r = std::min((env[b] - p_.base_level) / (p_.sat_level - p_.base_level), 1.0);
                const double v = std::log1p(alpha_ * r) / log1pa;
                const std::size_t e = std::size_t(pulse.electrode - 1);
                const double t = p_.t_level.size() == 1 ? p_.t_level[0] : p_.t_level[e];
                const double c = p_.c_level.size() == 1 ? p_.c_level[0] : p_.c_level[e];
                pulse.current_level = int(std::lround(t + (c - t) * std::min(v, 1.0)));
            }
            out.pulses.push_back(pulse);
            ++pulse_index;
        }
    }
    return out;
}

}  // namespace earshot
