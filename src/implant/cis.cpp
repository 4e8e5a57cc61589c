#include "earshot/implant/cis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "earshot/core/error.hpp"
#include "earshot/dsp/butterworth.hpp"
#include "earshot/implant/greenwood.hpp"

namespace earshot {
namespace {
// MED-EL 12-channel default centre frequencies, apical to basal (validation.md §3.4, from a clinical tool
// citing the MAESTRO manual; ci-anchors §4).
constexpr double kMedelCentresHz[12] = {120, 235, 384, 579, 836, 1175, 1624, 2222, 3019, 4084, 5507, 7410};
}  // namespace

void CisParams::validate() const {
    if (!(audio_rate_hz >= 16000 && audio_rate_hz <= 48000))
        throw ConfigError(fmt::format("audio_rate_hz: {} is out of range [16000, 48000] Hz", audio_rate_hz));
    if (!(num_electrodes >= 1 && num_electrodes <= 24))
        throw ConfigError(fmt::format("num_electrodes: {} is out of range [1, 24]", num_electrodes));
    const int nb = fat_edges_hz.empty() ? bands : int(fat_edges_hz.size()) - 1;
    if (nb < 1 || nb > 24) throw ConfigError(fmt::format("bands: {} is out of range [1, 24]", nb));
    if (!fat_edges_hz.empty()) {
        for (std::size_t i = 0; i < fat_edges_hz.size(); ++i) {
            if (!(fat_edges_hz[i] >= 20 && fat_edges_hz[i] < 0.48 * audio_rate_hz))
                throw ConfigError(fmt::format("fat_edges_hz: {} Hz is out of range [20, {}) Hz", fat_edges_hz[i], 0.48 * audio_rate_hz));
            if (i > 0 && !(fat_edges_hz[i] > fat_edges_hz[i - 1]))
                throw ConfigError(fmt::format("fat_edges_hz: edges must ascend ({} Hz after {} Hz)", fat_edges_hz[i], fat_edges_hz[i - 1]));
        }
    } else {
        if (!(low_freq_hz >= 20 && low_freq_hz < high_freq_hz))
            throw ConfigError(fmt::format("low_freq_hz: {} is out of range [20, high_freq_hz = {}) Hz", low_freq_hz, high_freq_hz));
        if (!(high_freq_hz < 0.48 * audio_rate_hz))
            throw ConfigError(fmt::format("high_freq_hz: {} is out of range (low_freq_hz, {}) Hz at audio_rate_hz {}", high_freq_hz,
                                          0.48 * audio_rate_hz, audio_rate_hz));
    }
    if (filter_order < 1 || filter_order > 8) throw ConfigError(fmt::format("filter_order: {} is out of range [1, 8]", filter_order));
    if (!(envelope_cutoff_hz >= 20 && envelope_cutoff_hz <= 1000))
        throw ConfigError(fmt::format("envelope_cutoff_hz: {} is out of range [20, 1000] Hz", envelope_cutoff_hz));
    if (!(channel_rate_pps >= 100 && channel_rate_pps <= audio_rate_hz / 2))
        throw ConfigError(fmt::format("channel_rate_pps: {} is out of range [100, {}] pps", channel_rate_pps, audio_rate_hz / 2));
    if (!(gain_db >= -20 && gain_db <= 80)) throw ConfigError(fmt::format("gain_db: {} is out of range [-20, 80] dB", gain_db));
    if (!(lgf_q > 0 && lgf_q < 100)) throw ConfigError(fmt::format("lgf_q: {} is out of range (0, 100)", lgf_q));
    if (!(sat_level > 0 && sat_level <= 10)) throw ConfigError(fmt::format("sat_level: {} is out of range (0, 10]", sat_level));
    if (!(base_level > 0 && base_level < sat_level))
        throw ConfigError(fmt::format("base_level: {} is out of range (0, sat_level = {})", base_level, sat_level));
    for (const auto* v : {&t_level, &c_level}) {
        const char* key = v == &t_level ? "t_level" : "c_level";
        if (v->size() != 1 && int(v->size()) != num_electrodes)
            throw ConfigError(fmt::format("{}: {} values; give one or one per electrode ({})", key, v->size(), num_electrodes));
        for (double l : *v)
            if (!(l >= 0 && l <= 255)) throw ConfigError(fmt::format("{}: {} is out of range [0, 255] current levels", key, l));
    }
    for (int e = 0; e < num_electrodes; ++e) {
        const double t = t_level.size() == 1 ? t_level[0] : t_level[std::size_t(e)];
        const double c = c_level.size() == 1 ? c_level[0] : c_level[std::size_t(e)];
        if (!(c > t)) throw ConfigError(fmt::format("c_level: {} must be above t_level ({}) on electrode {}", c, t, e + 1));
    }
    if (!(phase_width_us >= 9.6 && phase_width_us <= 400))
        throw ConfigError(fmt::format("phase_width_us: {} is out of range [9.6, 400] us", phase_width_us));
    if (!(phase_gap_us >= 0 && phase_gap_us <= 58))
        throw ConfigError(fmt::format("phase_gap_us: {} is out of range [0, 58] us", phase_gap_us));
    int off = 0;
    for (int e : deactivated) {
        if (e < 1 || e > num_electrodes)
            throw ConfigError(fmt::format("deactivated: electrode {} is out of range [1, {}]", e, num_electrodes));
        ++off;
    }
    std::vector<int> d = deactivated;
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
    if (int(d.size()) >= num_electrodes)
        throw ConfigError(fmt::format("deactivated: all {} electrodes are deactivated; at least one must stay active", num_electrodes));
}

CisStrategy::CisStrategy(CisParams params) : p_(std::move(params)) {
    p_.validate();
    const double fs = p_.audio_rate_hz;
    shift_ = static_cast<std::size_t>(std::ceil(fs / p_.channel_rate_pps - 1e-9));
    // Band edges.
    if (!p_.fat_edges_hz.empty()) {
        edges_hz_ = p_.fat_edges_hz;
    } else if (p_.bands == 12 && p_.medel_centres) {
        edges_hz_.push_back(p_.low_freq_hz);
        for (int i = 0; i + 1 < 12; ++i) edges_hz_.push_back(std::sqrt(kMedelCentresHz[i] * kMedelCentresHz[i + 1]));
        edges_hz_.push_back(p_.high_freq_hz);
    } else {
        const double a = greenwood_place_from_apex_mm(p_.low_freq_hz), b = greenwood_place_from_apex_mm(p_.high_freq_hz);
        for (int i = 0; i <= p_.bands; ++i) edges_hz_.push_back(greenwood_freq_hz(a + (b - a) * i / p_.bands));
        edges_hz_.front() = p_.low_freq_hz, edges_hz_.back() = p_.high_freq_hz;
    }
    const int nb = int(edges_hz_.size()) - 1;
    for (int b = 0; b < nb; ++b) centre_hz_.push_back(std::sqrt(edges_hz_[std::size_t(b)] * edges_hz_[std::size_t(b) + 1]));
    // Electrodes: active contacts apical first (the highest number is the most apical), bands spread over them.
    std::vector<int> active;
    for (int e = p_.num_electrodes; e >= 1; --e)
        if (std::find(p_.deactivated.begin(), p_.deactivated.end(), e) == p_.deactivated.end()) active.push_back(e);
    if (nb > int(active.size()))
        throw ConfigError(fmt::format("bands: {} bands but only {} active electrodes", nb, active.size()));
    for (int b = 0; b < nb; ++b) {
        const double pos = nb == 1 ? 0.5 * double(active.size() - 1) : double(b) * double(active.size() - 1) / double(nb - 1);
        electrode_of_band_.push_back(active[std::size_t(std::lround(pos))]);
    }
    period_us_ = 1e6 / (channel_rate_pps() * nb);
    if (period_us_ < 2 * p_.phase_width_us + p_.phase_gap_us)
        throw ConfigError(fmt::format("channel_rate_pps: {} x {} channels leaves a pulse period of {:.1f} us, shorter than two phases "
                                      "and the gap ({} us)", p_.channel_rate_pps, nb, period_us_, 2 * p_.phase_width_us + p_.phase_gap_us));
    map_ = LoudnessMap(p_.lgf_q, p_.base_level, p_.sat_level, p_.t_level, p_.c_level);
    gain_ = std::pow(10.0, p_.gain_db / 20.0);
    rect_scale_ = p_.rectifier == Rectifier::full_wave ? std::numbers::pi / 2 : std::numbers::pi;
    const auto env_lp = butterworth_sections(2, p_.envelope_cutoff_hz, fs, false);
    band_delay_.clear();
    for (int b = 0; b < nb; ++b) {
        std::vector<Biquad> chain;
        for (const auto& c : butterworth_sections(p_.filter_order, edges_hz_[std::size_t(b)], fs, true)) chain.push_back({c});
        for (const auto& c : butterworth_sections(p_.filter_order, edges_hz_[std::size_t(b) + 1], fs, false)) chain.push_back({c});
        env_section_.push_back(chain.size());
        // Equalisation: a tone at the band centre gives envelope = its amplitude (the skirts of narrow bands
        // overlap the centre).
        std::complex<double> h = 1.0;
        for (const auto& s : chain) h *= s.c.response(centre_hz_[std::size_t(b)], fs);
        eq_.push_back(1.0 / std::abs(h));
        // The band-pass's group delay at the band centre (numerically from the phase).
        const double fc = centre_hz_[std::size_t(b)], df = 0.5;
        double ph1 = 0, ph2 = 0;
        for (const auto& s : chain) ph1 += std::arg(s.c.response(fc - df, fs)), ph2 += std::arg(s.c.response(fc + df, fs));
        double dph = ph2 - ph1;
        while (dph > std::numbers::pi) dph -= 2 * std::numbers::pi;
        while (dph < -std::numbers::pi) dph += 2 * std::numbers::pi;
        band_delay_.push_back(-dph / (2 * std::numbers::pi * 2 * df) * fs);
        for (const auto& c : env_lp) chain.push_back({c});
        bank_.push_back(std::move(chain));
    }
    // Envelope low-pass group delay at DC (2nd-order Butterworth: sqrt(2)/w_c) plus each band-pass's; the
    // analysis delay is the largest (the narrowest, lowest band's). (It was the mean over the bands: a
    // broadband sound's pulses, led by the wider, faster high bands, then came out up to 1.2 ms early.)
    const double lp_delay = std::sqrt(2.0) / (2 * std::numbers::pi * p_.envelope_cutoff_hz) * fs;
    delay_ = 0;
    for (double& d : band_delay_) d += lp_delay, delay_ = std::max(delay_, d);
    env_.assign(std::size_t(nb), 0.0);
    front_.prepare(p_.front_end, p_.agc, fs);
    reset();
}

double CisStrategy::electrode_latency_samples(int electrode) const noexcept {
    for (std::size_t b = 0; b < electrode_of_band_.size(); ++b)
        if (electrode_of_band_[b] == electrode) return band_delay_[b];
    return delay_;
}

void CisStrategy::reset() noexcept {
    for (auto& chain : bank_)
        for (auto& s : chain) s.reset();
    front_.reset();
    std::fill(env_.begin(), env_.end(), 0.0);
}

std::size_t CisStrategy::frame(const float* hop, PulseSlot* out) noexcept {
    const std::size_t nb = bank_.size();
    for (std::size_t i = 0; i < shift_; ++i) {
        const double v = front_(hop[i]);
        for (std::size_t b = 0; b < nb; ++b) {
            auto& chain = bank_[b];
            const std::size_t ne = env_section_[b];
            double y = v;
            for (std::size_t s = 0; s < ne; ++s) y = chain[s](y);
            y = p_.rectifier == Rectifier::full_wave ? std::fabs(y) : std::max(y, 0.0);
            for (std::size_t s = ne; s < chain.size(); ++s) y = chain[s](y);
            env_[b] = y;
        }
    }
    for (std::size_t i = 0; i < nb; ++i) {
        const std::size_t b = p_.order == PulseOrder::base_to_apex ? nb - 1 - i : i;
        PulseSlot& s = out[i];
        s.electrode = electrode_of_band_[b];
        const double e = std::max(env_[b], 0.0) * rect_scale_ * eq_[b] * gain_;
        s.current_level = map_.current_level(e, s.electrode);
        s.amplitude = float(map_.envelope_for_level(s.current_level, s.electrode) / gain_);
    }
    return nb;
}

}  // namespace earshot
