// The hearing-loss model as a streaming processor. Signal path per audio channel (see hearing_loss.hpp
// and docs/model.md):
//   x * g_in (digital -> MSBG's cochlear scale, RMS 1 = 120 dB SPL)
//   -> smearing (if the degree of loss calls for it; ear filter folded into its matrix)
//   -> auditory filterbank (complex one-pole form of MSBG's real-part resonators, SIMD across channels)
//   -> per channel: envelope (|y| averaged over K samples, 2nd-order elliptic low-pass at fs/K),
//      gain = (e * level_c / e_max)^(ER_c - 1), linearly interpolated back to fs
//   -> delay lines: signal by A_c (phase alignment + envelope look-ahead), gain by G_c
//   -> weighted sum, 18 kHz low-pass, / g_in.
#include "earshot/hearing/hearing_loss.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numbers>
#include <optional>
#ifdef __AVX__
#include <immintrin.h>
#endif

#include "earshot/core/denormals.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/dsp/biquad.hpp"
#include "earshot/dsp/elliptic.hpp"
#include "earshot/dsp/erb.hpp"
#include "earshot/dsp/fast_math.hpp"
#include "earshot/dsp/fft.hpp"
#include "earshot/dsp/min_phase.hpp"
#include "earshot/dsp/partitioned_convolver.hpp"
#include "earshot/hearing/auditory_filterbank.hpp"
#include "earshot/hearing/ear_filter.hpp"
#include "earshot/hearing/hearing_grade.hpp"
#include "earshot/hearing/loss_degree.hpp"
#include "earshot/hearing/recruitment.hpp"
#include "earshot/hearing/smearing.hpp"
#include "../dsp/simd8.hpp"

namespace earshot {
namespace {

using simd::kLanes;
using simd::splat;
using simd::transpose8;
using simd::v8f;
constexpr std::size_t kChunk = 256;          // internal block
constexpr double kMsbgRmsOneDbSpl = 120.0;   // MSBG: a signal of RMS 1 is 120 dB SPL
constexpr double kEnvelopeRateHz = 2756.25;  // gain update rate (envelopes are below 75 Hz)
constexpr double kLowpassHz = 18000.0;
constexpr double kAlignmentLevelDbSpl = 65.0;  // level of the static gains the phase correction uses, unless
                                               // the ear's loss is complete (alignment_level_db_spl)
constexpr double kStaticGainRange = 0.1;       // -20 dB


// Group delay at DC of a biquad, in its own samples.
double dc_group_delay(const BiquadCoeffs& c) {
    const double nb = c.b0 + c.b1 + c.b2, na = 1.0 + c.a1 + c.a2;
    return (c.b1 + 2.0 * c.b2) / nb - (c.a1 + 2.0 * c.a2) / na;
}

// Everything derived from one ear's hearing at one rate; immutable once built.
struct EarModel {
    DegreeParams degree;
    AuditoryFilterbank bank;
    std::size_t nch = 0, nvec = 0;
    // Filterbank coefficients, padded to nvec * kLanes lanes.
    std::vector<v8f> pr, pi, gain, rot_c, rot_s, hb0, hb1, hb2, ha1, ha2;
    // Per channel.
    std::vector<float> er_minus_1;  // expansion ratio - 1
    std::vector<float> level;       // ear filter x conductive / e_max: envelope -> relative level
    std::vector<float> out_weight;  // recombination weight x conductive attenuation
    std::vector<BiquadCoeffs> env_lp;
    std::vector<v8f> eb0, eb1, eb2, ea1, ea2, level_v, erm1_v;  // the same, 8 channels per vector
    std::vector<std::size_t> sig_delay, gain_delay;
    std::size_t decim = 16;  // K
    std::size_t ring = 0;    // delay ring length (power of two)
    std::size_t align_latency = 0;
    std::shared_ptr<const SmearingDesign> smear;
    std::vector<float> inverse_ear;  // post-recombination FIR: phase correction (x inverse ear filter if smeared)
    std::size_t inverse_ear_block = 64;
    bool lowpass = false;
    BiquadCoeffs lp1, lp2;
    std::size_t latency = 0;
};

// The sensorineural audiogram (drives the cochlear stages): the air conduction less the air-bone gap.
Audiogram sensorineural(const EarHearing& ear) {
    Audiogram sn = ear.air;
    if (!ear.bone.empty())
        for (std::size_t i = 0; i < sn.freqs_hz.size(); ++i) sn.hl_db[i] = ear.sensorineural_db(sn.freqs_hz[i]);
    return sn;
}

// What follows the recombination: the 18 kHz low-pass (when below 0.45 fs), as a response.
std::complex<double> post_response(const EarModel& m, double f, double fs) {
    std::complex<double> h = 1.0;
    if (m.lowpass) h *= m.lp1.response(f, fs) * m.lp2.response(f, fs);
    return h;
}

// The smearing design, the 18 kHz low-pass and the filterbank (with its SIMD lanes, zeroed).
void design_stages(EarModel& m, const HearingLossOptions& opt, double fs, bool classes, bool smeared) {
    if (smeared)
        m.smear = std::make_shared<const SmearingDesign>(design_smearing(fs, m.degree.smear_lower, m.degree.smear_upper, opt.field));
    if (kLowpassHz < 0.45 * fs) {
        m.lowpass = true;  // 4th-order Butterworth
        m.lp1 = BiquadCoeffs::lowpass(kLowpassHz, 1.0 / (2.0 * std::cos(std::numbers::pi / 8.0)), fs);
        m.lp2 = BiquadCoeffs::lowpass(kLowpassHz, 1.0 / (2.0 * std::cos(3.0 * std::numbers::pi / 8.0)), fs);
    }
    // The flat (no-loss) fit absorbs the low-pass's phase and makes good its magnitude (-1.4 dB at 16 kHz), so
    // that the normal listener is flat to 16 kHz.
    const auto post = [&m, fs](double f) { return post_response(m, f, fs); };
    m.bank = design_auditory_filterbank(fs, m.degree.broadening, m.degree.spacing_cams,
                                        classes ? msbg_layout(m.degree.broadening) : nullptr,
                                        classes && m.degree.class_name != "none", post);
    m.nch = m.bank.channels.size();
    m.nvec = (m.nch + kLanes - 1) / kLanes;
    for (auto* v : {&m.pr, &m.pi, &m.gain, &m.rot_c, &m.rot_s, &m.hb0, &m.hb1, &m.hb2, &m.ha1, &m.ha2})
        v->assign(m.nvec, splat(0.f));
    m.decim = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(fs / kEnvelopeRateHz)));
}

// Per channel: the filter's lanes, the expansion ratio, the level scale (ear filter x conductive / e_max), the
// recombination weight, the envelope low-pass; returns each channel's envelope lag (samples) in `lag` and the
// largest threshold met.
double design_channels(EarModel& m, const EarHearing& ear, const Audiogram& sn, double fs, bool smeared,
                       const EarFilterResponse& fwd, std::vector<double>& lag) {
    const auto& chans = m.bank.channels;
    const double env_fs = fs / double(m.decim);
    const double e_max = std::pow(10.0, (kCatchUpDbSpl - kMsbgRmsOneDbSpl) / 20.0);
    double max_hl = -1e9;
    lag.assign(m.nch, 0.0);
    for (std::size_t c = 0; c < m.nch; ++c) {
        const AuditoryChannel& ch = chans[c];
        const std::size_t v = c / kLanes, l = c % kLanes;
        m.pr[v][l] = float(ch.pole_re);
        m.pi[v][l] = float(ch.pole_im);
        m.gain[v][l] = float(ch.section_gain);
        m.rot_c[v][l] = float(std::cos(ch.phase_rad));
        m.rot_s[v][l] = float(std::sin(ch.phase_rad));
        const BiquadCoeffs hp = ch.has_highpass ? ch.highpass : BiquadCoeffs{};
        m.hb0[v][l] = float(hp.b0), m.hb1[v][l] = float(hp.b1), m.hb2[v][l] = float(hp.b2);
        m.ha1[v][l] = float(hp.a1), m.ha2[v][l] = float(hp.a2);

        const double hl = sn.at(ch.cf_hz);
        max_hl = std::max(max_hl, hl);
        m.er_minus_1.push_back(float(expansion_ratio(hl) - 1.0));
        // Power-weighted ear-filter gain over the channel's response (see ear_filter.hpp).
        double num = 0, den = 0;
        for (int k = 1; k <= 2000; ++k) {
            const double f = 0.5 * fs * k / 2001.0;
            const double h2 = std::norm(ch.response(f, fs));
            const double e = fwd.gain(f);
            num += h2 * e * e;
            den += h2;
        }
        const double cond = std::pow(10.0, -ear.conductive_db(ch.cf_hz) / 20.0);
        m.level.push_back(float((smeared ? 1.0 : std::sqrt(num / den)) * cond / e_max));
        m.out_weight.push_back(float(ch.weight * cond));
        const double fc = 0.75 * std::min(100.0, erb_hz(ch.cf_hz));
        m.env_lp.push_back(elliptic2_lowpass(fc, 0.25, 35.0, env_fs).coeffs);
        // Envelope lag: boxcar (K-1)/2 + low-pass group delay + linear interpolation (K).
        lag[c] = 0.5 * double(m.decim - 1) + 2.0 * double(m.decim) * dc_group_delay(m.env_lp.back()) + double(m.decim);
    }
    return max_hl;
}

// Delays: all channels meet at D; each gain is looked ahead by min(lag, cap) samples. Sizes the delay ring.
void align_channels(EarModel& m, const std::vector<double>& lag, double cap) {
    const auto& chans = m.bank.channels;
    double d = 0;
    for (std::size_t c = 0; c < m.nch; ++c) d = std::max(d, double(chans[c].peak_samples) + std::min(lag[c], cap));
    m.align_latency = static_cast<std::size_t>(std::ceil(d));
    std::size_t max_delay = 0;
    for (std::size_t c = 0; c < m.nch; ++c) {
        const std::size_t a = m.align_latency - chans[c].peak_samples;
        const double g = double(a) - lag[c];
        m.sig_delay.push_back(a);
        m.gain_delay.push_back(g > 0 ? static_cast<std::size_t>(std::lround(g)) : 0);
        max_delay = std::max({max_delay, a, m.gain_delay.back()});
    }
    m.ring = std::bit_ceil(max_delay + kChunk + 1);
}

// The channels' static expansion gains at a level the ear hears (align_db overall, spread evenly over the
// channels), held within kStaticGainRange of the largest: the weights of the phase correction's path.
// Where neighbouring gains differ (severe losses) the summed phase follows the louder channel; channels further
// down hardly shape the waveform, and weighting them fully lets far skirts set the phase there (a longer FIR
// for nothing).
// The level: conversational 65 dB SPL, except for a complete loss (WHO 2021: PTA4 >= 95 dB HL, e.g. Bisgaard
// N7: 90-105 dB HL, expansion ratios 7-21), which hears nothing below about 100 dB SPL -- at 65 dB SPL its
// render is 316-415 dB below the input, and a correction designed for the weighting there (the lowest
// channels only) is off where it hears (16 kHz white noise at 105 dB SPL: 2 samples early, inverted). For it
// the catch-up level kCatchUpDbSpl, where MSBG's recruitment meets normal loudness (docs/model.md, "Latency
// and alignment").
double alignment_level_db_spl(const Audiogram& sn) {
    return pta4_db(sn) >= kWhoGrades.back().from_db ? kCatchUpDbSpl : kAlignmentLevelDbSpl;
}
std::vector<double> static_gains(const EarModel& m, double align_db, bool smeared, const EarFilterResponse& fwd) {
    const auto& chans = m.bank.channels;
    std::vector<double> static_gain(m.nch, 1.0);
    const double band_db = align_db - 10.0 * std::log10(double(m.nch));
    const double rms = std::pow(10.0, (band_db - kMsbgRmsOneDbSpl) / 20.0);
    for (std::size_t c = 0; c < m.nch; ++c) {
        const double e = rms * std::sqrt(2.0 / std::numbers::pi) * (smeared ? fwd.gain(chans[c].cf_hz) : 1.0);
        const double lv = m.level[c];
        const double x = std::clamp(e * lv, 1e-9 * lv, 1.0);
        static_gain[c] = std::pow(x, double(m.er_minus_1[c]));
    }
    const double gmax = *std::max_element(static_gain.begin(), static_gain.end());
    for (auto& g : static_gain) g = std::max(g, kStaticGainRange * gmax);
    return static_gain;
}

// Post-recombination FIR (the "phase correction"). MSBG's recombination (listeners with a loss) lines up the
// channels' envelopes, not their phases, and the smeared ears' inverse ear filter was minimum phase: either
// leaves the output early or late by frequency. The FIR is designed from the built linear path H (bank,
// recombination delays and weights, tail high-passes, 18 kHz low-pass) as an all-pass F = e^{-j(wL + arg H)},
// so that H F = |H| e^{-jwL}: linear phase, positive, bulk delay L. MSBG's inter-channel phases (which set its
// band levels) are untouched. Smeared ears fold the inverse ear filter's magnitude into it (MSBG's realised
// "cochlea to source" magnitude, held flat above 16 kHz instead of boosting by up to 50 dB where only the
// 18 kHz low-pass follows): one FIR.
void design_phase_correction(EarModel& m, const std::vector<double>& static_gain, const HearingLossOptions& opt,
                             double fs, bool smeared) {
    const auto& chans = m.bank.channels;
    const double scale = fs / 44100.0;
    const std::size_t n = std::bit_ceil(static_cast<std::size_t>(std::lround(8192.0 * scale)));
    std::vector<std::complex<double>> h(n / 2 + 1);
    for (std::size_t k = 0; k <= n / 2; ++k) {
        const double f = double(k) * fs / double(n), w = 2.0 * std::numbers::pi * f / fs;
        std::complex<double> sum = 0;
        for (std::size_t c = 0; c < m.nch; ++c)
            sum += double(m.out_weight[c]) * static_gain[c] * chans[c].response(f, fs) * std::polar(1.0, -w * double(m.sig_delay[c]));
        h[k] = sum * post_response(m, f, fs);
    }
    const EarFilterResponse& bwd = ear_filter_response(fs, opt.field, true);
    const double top = std::min(16000.0, 0.45 * fs);
    const auto mag = [&bwd, top, smeared](double f) { return smeared ? bwd.gain(std::min(f, top)) : 1.0; };
    m.inverse_ear = phase_correction_fir(h, mag, fs, static_cast<std::size_t>(std::lround(4096.0 * scale))).taps;
    m.inverse_ear_block = std::bit_floor(static_cast<std::size_t>(std::lround(64.0 * scale)));
}

// The envelope stage's coefficients, 8 channels per vector.
void pack_envelope_lanes(EarModel& m) {
    for (auto* v : {&m.eb0, &m.eb1, &m.eb2, &m.ea1, &m.ea2, &m.erm1_v}) v->assign(m.nvec, splat(0.f));
    m.level_v.assign(m.nvec, splat(1.f));
    for (std::size_t c = 0; c < m.nch; ++c) {
        const std::size_t v = c / kLanes, l = c % kLanes;
        const BiquadCoeffs& e = m.env_lp[c];
        m.eb0[v][l] = float(e.b0), m.eb1[v][l] = float(e.b1), m.eb2[v][l] = float(e.b2);
        m.ea1[v][l] = float(e.a1), m.ea2[v][l] = float(e.a2);
        m.level_v[v][l] = m.level[c];
        m.erm1_v[v][l] = m.er_minus_1[c];
    }
}

// Latency: where the linear path (rotated channels, weights, delays, low-pass) puts an impulse's peak, found by
// running it once; plus the smearing frame and the FIR's partition.
std::size_t measured_latency(const EarModel& m, const std::vector<double>& static_gain, const EarFilterResponse& fwd,
                             double fs, bool smeared) {
    const auto& chans = m.bank.channels;
    const std::size_t len = m.align_latency + std::size_t(0.005 * fs) + 16 + m.inverse_ear.size();
    std::vector<double> sum(len, 0.0), h(len);
    for (std::size_t c = 0; c < m.nch; ++c) {
        const AuditoryChannel& ch = chans[c];
        std::fill(h.begin(), h.end(), 0.0);
        h[m.sig_delay[c]] = 1.0;
        const std::complex<double> p(ch.pole_re, ch.pole_im), rot = std::polar(1.0, ch.phase_rad);
        for (int sct = 0; sct < 4; ++sct) {
            std::complex<double> st = 0;
            for (auto& v : h) {
                st = v + p * st;
                v = ch.section_gain * (sct == 3 ? (rot * st).real() : st.real());
            }
        }
        Biquad hp{ch.has_highpass ? ch.highpass : BiquadCoeffs{}};
        for (std::size_t i = 0; i < len; ++i) sum[i] += m.out_weight[c] * static_gain[c] * hp(h[i]);
    }
    if (!m.inverse_ear.empty()) {
        // The post FIR; smeared ears also the ear filter's magnitude (zero phase, inside smearing): apply
        // |E| x FIR in the frequency domain.
        const std::size_t nfft = std::bit_ceil(2 * (len + m.inverse_ear.size()));
        RealFft fft(nfft);
        std::vector<float> a(nfft, 0.f), b(nfft, 0.f);
        for (std::size_t i = 0; i < len; ++i) a[i] = float(sum[i]);
        std::copy(m.inverse_ear.begin(), m.inverse_ear.end(), b.begin());
        std::vector<std::complex<float>> A(nfft / 2 + 1), B(nfft / 2 + 1);
        fft.forward(a.data(), A.data());
        fft.forward(b.data(), B.data());
        for (std::size_t k = 0; k < A.size(); ++k) A[k] *= B[k] * float(smeared ? fwd.gain(double(k) * fs / double(nfft)) : 1.0);
        fft.inverse(A.data(), a.data());
        for (std::size_t i = 0; i < len; ++i) sum[i] = a[i];
    }
    if (m.lowpass) {
        Biquad a{m.lp1}, b{m.lp2};
        for (auto& v : sum) v = b(a(v));
    }
    std::size_t peak = 0;
    for (std::size_t i = 0; i < len; ++i)
        if (std::fabs(sum[i]) > std::fabs(sum[peak])) peak = i;
    return peak + (m.smear ? m.smear->frame - 1 : 0) + (m.inverse_ear.empty() ? 0 : m.inverse_ear_block);
}

// One ear's model at one rate: the stages above, in order.
std::shared_ptr<const EarModel> build_ear(const EarHearing& ear, const HearingLossOptions& opt, double fs,
                                          std::vector<std::string>& warnings, std::string_view ear_name) {
    auto m = std::make_shared<EarModel>();
    const Audiogram sn = sensorineural(ear);
    m->degree = degree_params(sn, opt.degree);
    // MSBG's classes use its channel layout; listeners with a loss also its recombination (advances,
    // high-passes, one gain: what makes band levels match MSBG's), the no-loss class the fitted flat sum
    // (so that the normal listener returns the input within 1 dB in every third-octave band).
    const bool classes = opt.degree == LossDegree::classes;
    // With smearing, the ear filter is applied to the spectrum inside the smearing stage (its output is
    // the smeared signal at the cochlea, as in MSBG) and undone after recombination by the post FIR
    // (below). Without smearing the path is linear up to the expansion, so the ear filter only scales each
    // channel's level (power-weighted over the channel) and costs nothing.
    const bool smeared = opt.smearing && m->degree.smearing;
    design_stages(*m, opt, fs, classes, smeared);
    const EarFilterResponse& fwd = ear_filter_response(fs, opt.field, false);
    std::vector<double> lag;
    const double max_hl = design_channels(*m, ear, sn, fs, smeared, fwd, lag);
    if (max_hl > kMaxRecruitmentHlDb)
        warnings.push_back(fmt::format("{} ear: thresholds above {} dB HL (up to {:.0f}) are clamped to {} dB HL "
                                       "(recruitment catch-up at {} dB SPL); such regions render as near-silence",
                                       ear_name, kMaxRecruitmentHlDb, max_hl, kMaxRecruitmentHlDb, kCatchUpDbSpl));
    align_channels(*m, lag, opt.envelope_lookahead_ms * 1e-3 * fs);
    const std::vector<double> static_gain = static_gains(*m, alignment_level_db_spl(sn), smeared, fwd);
    const bool msbg_sum = classes && m->degree.class_name != "none";
    if (smeared || msbg_sum) design_phase_correction(*m, static_gain, opt, fs, smeared);
    pack_envelope_lanes(*m);
    m->latency = measured_latency(*m, static_gain, fwd, fs, smeared);
    return m;
}

// An upper bound on build_ear()'s latency and its warnings, from what build_ear() designs before the
// phase-correcting FIR (the filterbank and the envelope low-passes; the same calls with the same arguments, so
// the channels' delays D are the same): the FIR-and-impulse search puts the peak inside [0, len) with
// len = D + 0.005 fs + 16 + taps and taps <= max_taps, and the smearing frame and the FIR's partition are added
// as build_ear() adds them. A latency query beside the model (scene set-up: tests/unit/test_latency_bound.cpp
// checks it against every built model); it must follow build_ear() when that changes.
std::size_t ear_latency_bound(const EarHearing& ear, const HearingLossOptions& opt, double fs,
                              std::vector<std::string>& warnings, std::string_view ear_name) {
    const Audiogram sn = sensorineural(ear);
    const DegreeParams degree = degree_params(sn, opt.degree);
    const bool classes = opt.degree == LossDegree::classes;
    const bool smeared = opt.smearing && degree.smearing;
    const bool lowpass = kLowpassHz < 0.45 * fs;
    const BiquadCoeffs lp1 = BiquadCoeffs::lowpass(kLowpassHz, 1.0 / (2.0 * std::cos(std::numbers::pi / 8.0)), fs);
    const BiquadCoeffs lp2 = BiquadCoeffs::lowpass(kLowpassHz, 1.0 / (2.0 * std::cos(3.0 * std::numbers::pi / 8.0)), fs);
    const auto post = [&](double f) {
        std::complex<double> h = 1.0;
        if (lowpass) h *= lp1.response(f, fs) * lp2.response(f, fs);
        return h;
    };
    const AuditoryFilterbank bank =
        design_auditory_filterbank(fs, degree.broadening, degree.spacing_cams, classes ? msbg_layout(degree.broadening) : nullptr,
                                   classes && degree.class_name != "none", post, /*channels_only=*/true);
    const std::size_t decim = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(fs / kEnvelopeRateHz)));
    const double env_fs = fs / double(decim);
    const double cap = opt.envelope_lookahead_ms * 1e-3 * fs;
    double max_hl = -1e9, d = 0;
    for (const AuditoryChannel& ch : bank.channels) {
        max_hl = std::max(max_hl, sn.at(ch.cf_hz));
        const double fc = 0.75 * std::min(100.0, erb_hz(ch.cf_hz));
        const double lag = 0.5 * double(decim - 1) +
                           2.0 * double(decim) * dc_group_delay(elliptic2_lowpass(fc, 0.25, 35.0, env_fs).coeffs) + double(decim);
        d = std::max(d, double(ch.peak_samples) + std::min(lag, cap));
    }
    if (max_hl > kMaxRecruitmentHlDb)
        warnings.push_back(fmt::format("{} ear: thresholds above {} dB HL (up to {:.0f}) are clamped to {} dB HL "
                                       "(recruitment catch-up at {} dB SPL); such regions render as near-silence",
                                       ear_name, kMaxRecruitmentHlDb, max_hl, kMaxRecruitmentHlDb, kCatchUpDbSpl));
    const std::size_t align = static_cast<std::size_t>(std::ceil(d));
    const bool fir = smeared || (classes && degree.class_name != "none");
    const double scale = fs / 44100.0;
    const std::size_t taps = fir ? static_cast<std::size_t>(std::lround(4096.0 * scale)) : 0;
    const std::size_t len = align + std::size_t(0.005 * fs) + 16 + taps;
    return (len - 1) + (smeared ? smearing_frame(fs) - 1 : 0) +
           (fir ? std::bit_floor(static_cast<std::size_t>(std::lround(64.0 * scale))) : 0);
}

// State of one audio channel.
struct ChannelState {
    std::shared_ptr<const EarModel> m;
    std::size_t extra_delay = 0;  // to give every channel the processor's latency
    std::optional<Smearer> smearer;
    PartitionedConvolver inverse_ear;
    std::vector<v8f> re, im, hs1, hs2, ks1, ks2;
    std::vector<float> yring, gring;  // [nch][ring]
    std::vector<float> delay_line;  // extra_delay samples of output
    std::size_t delay_pos = 0;
    std::size_t wpos = 0, phase = 0;
    Biquad lp1, lp2;

    void allocate(std::shared_ptr<const EarModel> model, std::size_t extra) {
        m = std::move(model);
        extra_delay = extra;
        if (m->smear) {
            smearer.emplace(m->smear);
            smearer->prepare(ProcessSpec{m->smear->sample_rate_hz, kChunk, 1});
        }
        if (!m->inverse_ear.empty()) inverse_ear.prepare(m->inverse_ear, m->inverse_ear_block);
        for (auto* v : {&re, &im, &hs1, &hs2, &ks1, &ks2}) v->assign(m->nvec, splat(0.f));
        yring.assign(m->nch * m->ring, 0.f);
        gring.assign(m->nch * m->ring, 0.f);
        delay_line.assign(extra_delay + 1, 0.f);
        ybank_.assign(kChunk * m->nvec, splat(0.f));
        scratch_.assign(m->ring, 0.f);
        gbank_.assign(kChunk * m->nvec, splat(0.f));
        boxv_.assign(m->nvec, splat(0.f));
        gprev_v_.assign(m->nvec, splat(0.f));
        gcur_v_.assign(m->nvec, splat(0.f));
        for (auto* e : {&ev1_, &ev2_, &ev3_, &ev4_}) e->assign(m->nvec, splat(0.f));
        lp1.c = m->lp1;
        lp2.c = m->lp2;
        reset();
    }

    void reset() noexcept {
        if (m->smear) smearer->reset();
        if (!m->inverse_ear.empty()) inverse_ear.reset();
        for (auto* v : {&re, &im, &hs1, &hs2, &ks1, &ks2}) std::fill(v->begin(), v->end(), splat(0.f));
        std::fill(yring.begin(), yring.end(), 0.f);
        std::fill(gring.begin(), gring.end(), 0.f);
        // Start from the gain of silence, as a filter that has seen zeros forever.
        std::fill(boxv_.begin(), boxv_.end(), splat(0.f));
        for (std::size_t v = 0; v < m->nvec; ++v) gprev_v_[v] = gcur_v_[v] = gain_of(v, splat(0.f));
        for (auto* e : {&ev1_, &ev2_, &ev3_, &ev4_}) std::fill(e->begin(), e->end(), splat(0.f));
        std::fill(delay_line.begin(), delay_line.end(), 0.f);
        delay_pos = wpos = phase = 0;
        lp1.reset();
        lp2.reset();
    }

    // gain = (clamp(e level, 1e-9 level, 1))^(ER - 1) for the 8 channels of vector v: floor as MSBG
    // (envelope 1e-9), ceiling at e_max (gain 1).
    v8f gain_of(std::size_t v, v8f envelope) const noexcept {
        const v8f lv = m->level_v[v];
        v8f x = envelope * lv;
        x = x < 1e-9f * lv ? 1e-9f * lv : x;
        x = x > 1.0f ? splat(1.0f) : x;
        return fast_exp2(m->erm1_v[v] * fast_log2(x));
    }

    void process(const float* in, float* out, std::size_t n, float g_in) noexcept {
        const EarModel& md = *m;
        float x[kChunk];
        float acc[kChunk];
        const std::size_t R = md.ring;
        for (std::size_t start = 0; start < n; start += kChunk) {
            const std::size_t len = std::min(kChunk, n - start);
            for (std::size_t i = 0; i < len; ++i) {
                const float v = in[start + i];
                x[i] = std::isfinite(v) ? v * g_in : 0.f;
            }
            if (md.smear) process_mono(*smearer, x, x, len);
            run_bank(x, len);
            // Recombination: delayed channel times delayed gain.
            std::fill(acc, acc + len, 0.f);
            for (std::size_t c = 0; c < md.nch; ++c) {
                const float* y = yring.data() + c * R;
                const float* g = gring.data() + c * R;
                const float w = md.out_weight[c];
                std::size_t ry = (wpos + R - md.sig_delay[c]) & (R - 1), rg = (wpos + R - md.gain_delay[c]) & (R - 1);
                // Contiguous runs up to the next wrap of either ring.
                for (std::size_t i = 0; i < len;) {
                    const std::size_t run = std::min({len - i, R - ry, R - rg});
                    const float* yy = y + ry;
                    const float* gg = g + rg;
                    float* a = acc + i;
                    for (std::size_t k = 0; k < run; ++k) a[k] += w * yy[k] * gg[k];
                    i += run;
                    ry = (ry + run) & (R - 1);
                    rg = (rg + run) & (R - 1);
                }
            }
            if (!md.inverse_ear.empty()) inverse_ear.process(acc, acc, len);
            const float inv = 1.0f / g_in;
            for (std::size_t i = 0; i < len; ++i) {
                float v = acc[i];
                if (md.lowpass) v = float(lp2(lp1(v)));
                v *= inv;
                if (extra_delay) {
                    delay_line[delay_pos] = v;
                    delay_pos = delay_pos == extra_delay ? 0 : delay_pos + 1;
                    v = delay_line[delay_pos];
                }
                out[start + i] = v;
            }
            wpos = (wpos + len) & (R - 1);
        }
    }

    // Filterbank, envelopes and gains for one chunk, vectorised across channels. Decimation points
    // (every K samples, shared by all channels) split the chunk into segments; at each one the channel
    // envelopes are low-passed and new gains computed. Outputs: per-channel signal and gain rings.
    void run_bank(const float* x, std::size_t len) noexcept {
        const EarModel& md = *m;
        const std::size_t R = md.ring, K = md.decim, nv = md.nvec;
        const v8f inv_k = splat(1.0f / float(K));
        std::size_t s0 = 0;
        while (s0 < len) {
            const std::size_t s1 = std::min(len, s0 + (K - phase));
            const bool boundary = phase + (s1 - s0) == K;
            for (std::size_t v = 0; v < nv; ++v) {
                v8f r1 = sec_re_[v][0], i1 = sec_im_[v][0], r2 = sec_re_[v][1], i2 = sec_im_[v][1];
                v8f r3 = sec_re_[v][2], i3 = sec_im_[v][2], sr = re[v], si = im[v], h1 = hs1[v], h2 = hs2[v];
                v8f k1 = ks1[v], k2 = ks2[v];
                const v8f pr = md.pr[v], pi = md.pi[v], g = md.gain[v], rc = md.rot_c[v], rs = md.rot_s[v];
                const v8f b0 = md.hb0[v], b1 = md.hb1[v], b2 = md.hb2[v], a1 = md.ha1[v], a2 = md.ha2[v];
                v8f bx = boxv_[v];
                const v8f gp = gprev_v_[v], dg = (gcur_v_[v] - gprev_v_[v]) * inv_k;
                v8f* yb = ybank_.data() + v;
                v8f* gb = gbank_.data() + v;
                std::size_t ph = phase;
                for (std::size_t i = s0; i < s1; ++i) {
                    const v8f in = splat(x[i]);
                    v8f t = in + pr * r1 - pi * i1;
                    i1 = pi * r1 + pr * i1;
                    r1 = t;
                    t = g * r1 + pr * r2 - pi * i2;
                    i2 = pi * r2 + pr * i2;
                    r2 = t;
                    t = g * r2 + pr * r3 - pi * i3;
                    i3 = pi * r3 + pr * i3;
                    r3 = t;
                    t = g * r3 + pr * sr - pi * si;
                    si = pi * sr + pr * si;
                    sr = t;
                    // Analysis output (MSBG's real-part resonator) drives the envelope; the carrier-
                    // rotated output (phase-aligned for recombination) is what is heard. Same high-pass.
                    const v8f u0 = g * sr;
                    const v8f u = b0 * u0 + k1;
                    k1 = b1 * u0 - a1 * u + k2;
                    k2 = b2 * u0 - a2 * u;
                    bx += u < 0 ? -u : u;
                    const v8f y0 = g * (rc * sr - rs * si);
                    const v8f y = b0 * y0 + h1;  // high-pass, transposed direct form II
                    h1 = b1 * y0 - a1 * y + h2;
                    h2 = b2 * y0 - a2 * y;
                    yb[i * nv] = y;
                    gb[i * nv] = gp + dg * splat(float(++ph));
                }
                sec_re_[v][0] = r1, sec_im_[v][0] = i1, sec_re_[v][1] = r2, sec_im_[v][1] = i2;
                sec_re_[v][2] = r3, sec_im_[v][2] = i3, re[v] = sr, im[v] = si, hs1[v] = h1, hs2[v] = h2;
                ks1[v] = k1, ks2[v] = k2;
                if (!boundary) {
                    boxv_[v] = bx;
                    continue;
                }
                boxv_[v] = splat(0.f);
                gprev_v_[v] = gcur_v_[v];
                // Envelope low-pass at fs/K (transposed direct form II) and the expansion gain, 8 channels at once.
                const v8f e_in = bx * inv_k;
                // Twice, as MSBG's forward-backward filtfilt applies it (magnitude squared).
                const v8f e1 = md.eb0[v] * e_in + ev1_[v];
                ev1_[v] = md.eb1[v] * e_in - md.ea1[v] * e1 + ev2_[v];
                ev2_[v] = md.eb2[v] * e_in - md.ea2[v] * e1;
                const v8f e = md.eb0[v] * e1 + ev3_[v];
                ev3_[v] = md.eb1[v] * e1 - md.ea1[v] * e + ev4_[v];
                ev4_[v] = md.eb2[v] * e1 - md.ea2[v] * e;
                gcur_v_[v] = gain_of(v, e);
            }
            phase = boundary ? 0 : phase + (s1 - s0);
            s0 = s1;
        }
        // Transpose into the per-channel rings: 8 x 8 blocks (8 samples x 8 channels) where the ring
        // does not wrap inside the block, element by element otherwise.
        for (std::size_t v = 0; v < nv; ++v) {
            const std::size_t lanes = std::min(kLanes, md.nch - v * kLanes);
            float* ys[kLanes];
            float* gs[kLanes];
            for (std::size_t l = 0; l < kLanes; ++l) {
                const std::size_t c = v * kLanes + l;
                ys[l] = l < lanes ? yring.data() + c * R : scratch_.data();  // padding lanes go nowhere
                gs[l] = l < lanes ? gring.data() + c * R : scratch_.data();
            }
            std::size_t i = 0;
#ifdef __AVX__
            for (; i + kLanes <= len; i += kLanes) {
                const std::size_t p = (wpos + i) & (R - 1);
                if (p + kLanes > R) break;
                v8f yt[kLanes], gt[kLanes];
                for (std::size_t k = 0; k < kLanes; ++k) yt[k] = ybank_[(i + k) * nv + v], gt[k] = gbank_[(i + k) * nv + v];
                transpose8(yt);
                transpose8(gt);
                for (std::size_t l = 0; l < kLanes; ++l) {
                    __builtin_memcpy(ys[l] + p, &yt[l], sizeof(v8f));
                    __builtin_memcpy(gs[l] + p, &gt[l], sizeof(v8f));
                }
            }
#endif
            for (; i < len; ++i) {
                const std::size_t p = (wpos + i) & (R - 1);
                const float* yb = reinterpret_cast<const float*>(ybank_.data() + i * nv + v);
                const float* gb = reinterpret_cast<const float*>(gbank_.data() + i * nv + v);
                for (std::size_t l = 0; l < lanes; ++l) ys[l][p] = yb[l], gs[l][p] = gb[l];
            }
        }
    }

    std::vector<v8f> ybank_, gbank_, boxv_, gprev_v_, gcur_v_, ev1_, ev2_, ev3_, ev4_;
    std::vector<float> scratch_;
    // States of sections 1-3 (section 4's state is re/im).
    std::vector<std::array<v8f, 3>> sec_re_, sec_im_;
};

}  // namespace

struct HearingLoss::Impl {
    HearingLossConfig config;
    std::vector<std::string> warnings;
    ProcessSpec spec;
    bool prepared = false;
    float g_in = 1.f;
    std::size_t latency = 0;
    std::vector<ChannelState> channels;
};

HearingLoss::HearingLoss(HearingLossConfig config) : impl_(std::make_unique<Impl>()) {
    config.listener.validate(config.listener.name.empty() ? "listener" : config.listener.name);
    params::full_scale_db_spl.check(config.calibration.full_scale_db_spl, "calibration (full-scale sine level)");
    if (!(config.options.envelope_lookahead_ms >= 0.0 && config.options.envelope_lookahead_ms <= 20.0))
        throw ConfigError(fmt::format("envelope look-ahead: {} is out of range [0, 20] ms",
                                      config.options.envelope_lookahead_ms));
    impl_->config = std::move(config);
}
HearingLoss::~HearingLoss() = default;
HearingLoss::HearingLoss(HearingLoss&&) noexcept = default;
HearingLoss& HearingLoss::operator=(HearingLoss&&) noexcept = default;

void HearingLoss::set_calibration(const Calibration& calibration) {
    params::full_scale_db_spl.check(calibration.full_scale_db_spl, "calibration (full-scale sine level)");
    Impl& im = *impl_;
    im.config.calibration = calibration;
    im.g_in = float(std::pow(10.0, (calibration.rms_one_db_spl() - kMsbgRmsOneDbSpl) / 20.0));
}

void HearingLoss::prepare(const ProcessSpec& spec) {
    params::sample_rate_hz.check(spec.sample_rate_hz, "sample rate");
    if (spec.num_channels == 0) throw ConfigError("channels: 0 is out of range [1, 64]");
    Impl& im = *impl_;
    im.spec = spec;
    im.warnings.clear();
    const auto& cfg = im.config;
    im.g_in = float(std::pow(10.0, (cfg.calibration.rms_one_db_spl() - kMsbgRmsOneDbSpl) / 20.0));
    std::shared_ptr<const EarModel> ears[2];
    auto ear_of = [&](std::size_t c) {
        if (cfg.options.ear) return *cfg.options.ear;
        return c % 2 == 0 ? Ear::left : Ear::right;
    };
    for (std::size_t c = 0; c < spec.num_channels; ++c) {
        const int e = ear_of(c) == Ear::left ? 0 : 1;
        if (!ears[e])
            ears[e] = build_ear(cfg.listener.ear(Ear(e)), cfg.options, spec.sample_rate_hz, im.warnings,
                                e == 0 ? "left" : "right");
    }
    im.latency = 0;
    for (const auto& e : ears)
        if (e) im.latency = std::max(im.latency, e->latency);
    im.channels.clear();
    im.channels.resize(spec.num_channels);
    for (std::size_t c = 0; c < spec.num_channels; ++c) {
        const auto& model = ears[ear_of(c) == Ear::left ? 0 : 1];
        auto& ch = im.channels[c];
        ch.sec_re_.assign(model->nvec, {splat(0.f), splat(0.f), splat(0.f)});
        ch.sec_im_.assign(model->nvec, {splat(0.f), splat(0.f), splat(0.f)});
        ch.allocate(model, im.latency - model->latency);
    }
    im.prepared = true;
}

void HearingLoss::process(AudioView<const float> in, AudioView<float> out) noexcept {
    ScopedNoDenormals no_denormals;
    Impl& im = *impl_;
    const std::size_t n = std::min(in.num_channels(), im.channels.size());
    for (std::size_t c = 0; c < n; ++c) im.channels[c].process(in.channel(c), out.channel(c), in.num_frames(), im.g_in);
}

void HearingLoss::reset() noexcept {
    for (auto& ch : impl_->channels) {
        for (auto& a : ch.sec_re_) a = {splat(0.f), splat(0.f), splat(0.f)};
        for (auto& a : ch.sec_im_) a = {splat(0.f), splat(0.f), splat(0.f)};
        ch.reset();
    }
}

std::size_t HearingLoss::latency_samples() const noexcept { return impl_->latency; }

LatencyBound hearing_loss_latency_bound(const HearingLossConfig& config, double sample_rate_hz, std::size_t num_channels) {
    const HearingLoss validated(config);  // the constructor's checks (cheap: nothing is designed)
    params::sample_rate_hz.check(sample_rate_hz, "sample rate");
    if (num_channels == 0) throw ConfigError("channels: 0 is out of range [1, 64]");
    LatencyBound b;
    bool done[2] = {false, false};
    for (std::size_t c = 0; c < num_channels; ++c) {
        const int e = config.options.ear ? (*config.options.ear == Ear::left ? 0 : 1) : int(c % 2);
        if (done[e]) continue;
        done[e] = true;
        b.samples = std::max(b.samples, ear_latency_bound(config.listener.ear(Ear(e)), config.options, sample_rate_hz,
                                                          b.warnings, e == 0 ? "left" : "right"));
    }
    return b;
}
const HearingLossConfig& HearingLoss::config() const noexcept { return impl_->config; }
const std::vector<std::string>& HearingLoss::warnings() const noexcept { return impl_->warnings; }

}  // namespace earshot
