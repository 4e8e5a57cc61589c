#include "earshot/hearing/auditory_filterbank.hpp"

#include <algorithm>
#include <cstdlib>
#include <array>
#include <cmath>
#include <functional>
#include <numbers>

#include "earshot/dsp/erb.hpp"
#include "earshot/dsp/linear_solve.hpp"

namespace earshot {
namespace {
constexpr double kPi = std::numbers::pi;
constexpr double kTopCfHz = 19183.5;       // MSBG's top centre frequency (all three banks)
constexpr double kLowestCfHz = 50.0;       // uniform layout (continuous degree)
constexpr double kFlatLowestCfHz = 20.0;   // MSBG's layout with the flat sum (the normal listener)
constexpr double kFitLowHz = 20.0;  // recombination fitted from here (normal listener flat from 20 Hz)
constexpr double kHighpassFromHz = 1200.0;
constexpr double kHighpassErbs = 7.4;

// One section g Re{e^{i psi} / (1 - p z^-1)} (psi = 0: the real-part resonator
// g (1 - Re(p) z^-1) / (1 - 2 Re(p) z^-1 + |p|^2 z^-2)).
std::complex<double> section_response(const AuditoryChannel& ch, std::complex<double> z1, double psi = 0) noexcept {
    const std::complex<double> p(ch.pole_re, ch.pole_im);
    const std::complex<double> e = std::polar(1.0, psi);
    return ch.section_gain * 0.5 * (e / (1.0 - p * z1) + std::conj(e) / (1.0 - std::conj(p) * z1));
}

std::vector<double> impulse_response(const AuditoryChannel& ch, std::size_t n) {
    // Four cascaded real-part resonators as complex one-poles, then the high-pass.
    std::vector<double> x(n, 0.0);
    x[0] = 1.0;
    const std::complex<double> p(ch.pole_re, ch.pole_im);
    const std::complex<double> rot = std::polar(1.0, ch.phase_rad);
    for (int s = 0; s < 4; ++s) {
        std::complex<double> state = 0;
        for (std::size_t i = 0; i < n; ++i) {
            state = x[i] + p * state;
            x[i] = ch.section_gain * (s == 3 ? (rot * state).real() : state.real());
        }
    }
    if (ch.has_highpass) {
        Biquad hp{ch.highpass};
        for (std::size_t i = 0; i < n; ++i) x[i] = hp(x[i]);
    }
    return x;
}
}  // namespace

std::complex<double> AuditoryChannel::response(double freq_hz, double fs) const noexcept {
    const std::complex<double> z1 = std::polar(1.0, -2.0 * kPi * freq_hz / fs);
    const std::complex<double> s = section_response(*this, z1);
    std::complex<double> h = s * s * s * section_response(*this, z1, phase_rad);
    if (has_highpass) h *= highpass.response(freq_hz, fs);
    return h;
}

std::complex<double> AuditoryFilterbank::response(double freq_hz) const noexcept {
    std::complex<double> sum = 0;
    const double w = 2.0 * kPi * freq_hz / sample_rate_hz;
    for (const auto& ch : channels)
        sum += ch.weight * ch.response(freq_hz, sample_rate_hz) * std::polar(1.0, -w * double(ch.delay_samples));
    return sum;
}

const MsbgLayout* msbg_layout(double broadening) noexcept {
    // Steps between MSBG's lowest channels (ERB-number units, from the bottom up), to 0.01.
    static const MsbgLayout mild{
        23,
        {0.75, 0.86, 0.96, 1.04, 1.10, 1.14, 1.17, 1.18, 1.18, 1.17, 1.16, 1.14},
        {485, 442, 396, 349, 311, 272, 239, 210, 186, 162, 143, 126, 111, 98, 87, 77, 69, 61,
         54,  47,  42,  37,  33,  29,  26,  23,  20,  18,  16,  14,  12,  11,  10, 9,  8,  7},
        14,
        {91.5, 107.7, 123.8, 150.7, 177.6, 209.9, 253.0, 301.5, 366.1, 436.0, 527.6,
         635.2, 769.8, 925.9, 1114.3, 1335.1, 1598.8, 1900.3, 2239.5, 2605.5, 2977.0, 3294.6},
        5.133590840990304};
    static const MsbgLayout moderate{
        18,
        {0.89, 1.06, 1.21, 1.33, 1.42, 1.47, 1.50, 1.51, 1.51},
        {379, 339, 289, 253, 216, 184, 156, 132, 111, 95, 80, 68, 58, 49,
         42,  36,  30,  26,  22,  19,  16,  13,  11,  10, 8,  7,  6,  5},
        12,
        {123.8, 156.1, 188.4, 236.9, 296.1, 376.8, 473.7, 602.9, 764.4, 969.0, 1227.4, 1550.4, 1943.4, 2411.7,
         2912.4, 3364.6},
        4.967792069637238};
    static const MsbgLayout severe{12,
                                   {1.37, 1.67, 1.90, 2.06, 2.16, 2.22},
                                   {229, 204, 166, 133, 106, 83, 65, 50, 39, 31, 24, 19, 15, 12, 9, 7, 5, 4, 4},
                                   9,
                                   {215.3, 290.7, 398.4, 549.1, 764.4, 1071.3, 1496.6, 2083.3, 2831.6, 3574.5},
                                   4.240378918292534};
    if (broadening == 1.5) return &mild;
    if (broadening == 2.0) return &moderate;
    if (broadening == 3.0) return &severe;
    return nullptr;
}

AuditoryFilterbank design_auditory_filterbank(double fs, double broadening, double spacing_cams,
                                              const MsbgLayout* layout, bool msbg_recombination,
                                              const std::function<std::complex<double>(double)>& post,
                                              bool channels_only) {
    auto post_at = [&post](double f) { return post ? post(f) : std::complex<double>(1.0); };
    AuditoryFilterbank bank;
    bank.sample_rate_hz = fs;
    bank.broadening = broadening;
    bank.spacing_cams = spacing_cams;
    const double top_cams = erb_number(kTopCfHz);
    std::vector<double> cams;
    if (layout) {
        for (std::size_t k = 0; k <= layout->uniform_steps; ++k) cams.push_back(top_cams - double(k) * spacing_cams);
        for (auto it = layout->low_steps.rbegin(); it != layout->low_steps.rend(); ++it) cams.push_back(cams.back() - *it);
        // The flat (no-loss) sum carries on below MSBG's lowest channel (~80 Hz) at its lowest step, so
        // that it stays flat down to 20 Hz (a kick drum keeps its weight).
        if (!msbg_recombination)
            while (erb_number_to_hz(cams.back() - layout->low_steps.front()) >= kFlatLowestCfHz)
                cams.push_back(cams.back() - layout->low_steps.front());
    } else {
        for (double e = top_cams; erb_number_to_hz(e) >= kLowestCfHz; e -= spacing_cams) cams.push_back(e);
    }
    std::vector<double> cfs;
    for (double e : cams)
        if (const double cf = erb_number_to_hz(e); cf < 0.45 * fs) cfs.push_back(cf);
    std::reverse(cfs.begin(), cfs.end());

    const bool msbg_rec = layout != nullptr && msbg_recombination;
    for (double cf : cfs) {
        const std::size_t idx = bank.channels.size();
        AuditoryChannel ch;
        ch.cf_hz = cf;
        ch.bandwidth_hz = broadening * erb_hz(cf);
        const double th = 2.0 * kPi * cf / fs;
        const double r = std::exp(-2.0 * kPi * ch.bandwidth_hz / fs);
        ch.pole_re = r * std::cos(th);
        ch.pole_im = r * std::sin(th);
        ch.section_gain = 1.0;
        ch.section_gain = 1.0 / std::abs(section_response(ch, std::polar(1.0, -th)));
        if (msbg_rec ? idx >= layout->highpass_from : cf >= kHighpassFromHz) {
            const double corner = msbg_rec ? layout->highpass_corners_hz[idx - layout->highpass_from]
                                           : std::max(20.0, cf - kHighpassErbs * erb_hz(cf));
            // Bessel pair: natural frequency sqrt(3) x corner, Q = 1/sqrt(3) (as MSBG's HP sections).
            ch.has_highpass = true;
            ch.highpass = BiquadCoeffs::highpass(std::min(std::sqrt(3.0) * corner, 0.45 * fs), 1.0 / std::sqrt(3.0), fs);
        }
        // Group delay at cf (central difference of the phase) of the channel followed by `post`, rounded:
        // the time the channel is aligned on.
        const double df = 1e-3 * ch.bandwidth_hz;
        const double ph1 = std::arg(ch.response(cf + df, fs) * post_at(cf + df) / (ch.response(cf - df, fs) * post_at(cf - df)));
        const double tau = -ph1 / (2.0 * kPi * 2.0 * df) * fs;
        ch.group_delay_samples = tau;
        ch.peak_samples = static_cast<std::size_t>(std::lround(std::max(0.0, tau)));
        bank.channels.push_back(ch);
    }
    if (msbg_rec) {
        // MSBG's recombination: channels advanced by its table (here: delayed to the largest advance),
        // summed with one gain, no rotation; the sign is chosen so that the main lobe is positive.
        // Its advances align the channels' envelopes, not their phases: the sum's group delay varies by
        // several ms across frequency (low channels early), see docs/model.md "Latency and alignment".
        std::size_t d = 0;
        for (auto& ch : bank.channels) {
            ch.group_delay_samples = layout->advances[std::size_t(&ch - bank.channels.data())] * fs / 44100.0;
            ch.peak_samples = static_cast<std::size_t>(std::lround(ch.group_delay_samples));
            d = std::max(d, ch.peak_samples);
        }
        bank.latency_samples = d;
        if (channels_only) return bank;
        for (auto& ch : bank.channels) {
            ch.delay_samples = d - ch.peak_samples;
            ch.weight = std::pow(10.0, -layout->recombination_db / 20.0);
            // At rates other than 44.1 kHz the advance is not a whole number of samples: the rounding is
            // made good by a small carrier rotation (exactly 0 at 44.1 kHz).
            ch.phase_rad = -2.0 * kPi * ch.cf_hz / fs * (double(ch.peak_samples) - ch.group_delay_samples);
        }
        // impulse response sign at its largest magnitude
        const std::size_t n = d + std::size_t(fs * 0.01);
        std::vector<double> sum(n, 0.0);
        for (const auto& ch : bank.channels) {
            const auto h = impulse_response(ch, n);
            for (std::size_t i = ch.delay_samples; i < n; ++i) sum[i] += ch.weight * h[i - ch.delay_samples];
        }
        std::size_t pk = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (std::fabs(sum[i]) > std::fabs(sum[pk])) pk = i;
        if (sum[pk] < 0)
            for (auto& ch : bank.channels) ch.phase_rad += kPi;
        return bank;
    }
    // From 20 Hz where MSBG's layout is carried on down to 20 Hz (the normal listener), else from 60 Hz
    // (the uniform layout stops at >= 50 Hz).
    const double f_lo = layout ? kFitLowHz : 60.0, f_hi = std::min(17000.0, 0.44 * fs);
    const std::size_t nf = 600;
    std::vector<double> fit_f(nf);
    for (std::size_t k = 0; k < nf; ++k) fit_f[k] = f_lo * std::pow(f_hi / f_lo, double(k) / double(nf - 1));
    std::size_t d = 0;
    for (const auto& ch : bank.channels) d = std::max(d, ch.peak_samples);
    bank.latency_samples = d;
    if (channels_only) return bank;
    for (auto& ch : bank.channels) {
        ch.delay_samples = d - ch.peak_samples;
        // Rotate the carrier so that at cf the delayed channel (followed by `post`) has the phase of a
        // pure delay of D.
        const double w = 2.0 * kPi * ch.cf_hz / fs;
        const double have = std::arg(ch.response(ch.cf_hz, fs) * post_at(ch.cf_hz)) - w * double(ch.delay_samples);
        ch.phase_rad = std::remainder(-w * double(d) - have, 2.0 * kPi);
    }

    // Least-squares complex recombination weights W_c = weight e^{i phase}: the last section's output is
    // Re{W state}, so a complex weight costs nothing. Basis per channel: H_c(W) = Re W B1_c + Im W B2_c.
    // Fit sum_c H_c(W_c) e^{-i w A_c} ~ e^{-i w D} over log-spaced frequencies, with a ridge pulling W_c
    // towards w0 e^{i psi_c} (phase-aligned, uniform gain w0).
    const std::size_t nc = bank.channels.size();
    std::vector<std::array<std::complex<double>, 2>> basis(nc);
    Matrix AtA(2 * nc, 2 * nc), Atb(2 * nc, 1);
    double num = 0, den = 0;
    std::vector<std::complex<double>> a(2 * nc);
    for (std::size_t k = 0; k < nf; ++k) {
        const double f = fit_f[k];
        const double w = 2.0 * kPi * f / fs;
        const std::complex<double> z1 = std::polar(1.0, -w);
        std::complex<double> aligned = 0;
        const std::complex<double> after = post_at(f);
        for (std::size_t c = 0; c < nc; ++c) {
            const AuditoryChannel& ch = bank.channels[c];
            const std::complex<double> p(ch.pole_re, ch.pole_im);
            const std::complex<double> s1 = section_response(ch, z1);
            std::complex<double> common = s1 * s1 * s1 * ch.section_gain * 0.5 *
                                          std::polar(1.0, -w * double(ch.delay_samples));
            if (ch.has_highpass) common *= ch.highpass.response(f, fs);
            common *= after;
            const std::complex<double> pa = 1.0 / (1.0 - p * z1), pb = 1.0 / (1.0 - std::conj(p) * z1);
            a[2 * c] = common * (pa + pb);
            a[2 * c + 1] = common * std::complex<double>(0, 1) * (pa - pb);
            aligned += a[2 * c] * std::cos(ch.phase_rad) + a[2 * c + 1] * std::sin(ch.phase_rad);
        }
        // The whole path (bank and `post`) a flat pure delay.
        const std::complex<double> target = std::polar(1.0, -w * double(d));
        num += (std::conj(aligned) * target).real();
        den += std::norm(aligned);
        for (std::size_t i = 0; i < 2 * nc; ++i) {
            Atb(i, 0) += (std::conj(a[i]) * target).real();
            for (std::size_t j = 0; j < 2 * nc; ++j) AtA(i, j) += (std::conj(a[i]) * a[j]).real();
        }
    }
    const double w0 = num / den;
    double mean_diag = 0;
    for (std::size_t i = 0; i < 2 * nc; ++i) mean_diag += AtA(i, i);
    mean_diag /= double(2 * nc);
    const double lambda = 0.1 * mean_diag;  // flat within +-1 dB; weights stay within about 2x of each other
    for (std::size_t c = 0; c < nc; ++c) {
        const double psi = bank.channels[c].phase_rad;
        AtA(2 * c, 2 * c) += lambda;
        AtA(2 * c + 1, 2 * c + 1) += lambda;
        Atb(2 * c, 0) += lambda * w0 * std::cos(psi);
        Atb(2 * c + 1, 0) += lambda * w0 * std::sin(psi);
    }
    cholesky_solve(AtA, Atb);
    for (std::size_t c = 0; c < nc; ++c) {
        const std::complex<double> W(Atb(2 * c, 0), Atb(2 * c + 1, 0));
        bank.channels[c].weight = std::abs(W);
        bank.channels[c].phase_rad = std::arg(W);
    }
    return bank;
}

}  // namespace earshot
