#include "earshot/implant/ace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "earshot/core/error.hpp"

namespace earshot {
namespace {
constexpr int kFft = 128;
constexpr double kRfClockHz = 5e6;  // CIC4 RF clock: pulse periods are whole ticks of 0.2 us

// H(d): the periodic Hann window / 2 seen d bins away from a bin centre (what bin k gives for a unit-
// amplitude cosine at k + d, its negative-frequency image aside). H(0) = 32, H(1) = -16.
std::complex<double> window_response_direct(double d_bins) {
    std::complex<double> acc = 0;
    for (int n = 0; n < kFft; ++n) {
        const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * n / kFft);
        acc += 0.5 * w * std::polar(1.0, 2.0 * std::numbers::pi * d_bins * n / kFft);
    }
    return acc;
}

// The same, tabulated at 1/256-bin steps over +-64 bins (the band normalisers sample it on that grid).
std::complex<double> window_response(double d_bins) {
    constexpr int kSteps = 256, kSpan = 64;
    static const std::vector<std::complex<double>> table = [] {
        std::vector<std::complex<double>> t(2 * kSpan * kSteps + 1);
        for (std::size_t i = 0; i < t.size(); ++i) t[i] = window_response_direct(double(int(i) - kSpan * kSteps) / kSteps);
        return t;
    }();
    const double pos = d_bins * kSteps;
    const double r = std::round(pos);
    if (std::fabs(pos - r) > 1e-9 || std::fabs(d_bins) > kSpan) return window_response_direct(d_bins);
    return table[std::size_t(long(r) + kSpan * kSteps)];
}
}  // namespace

void AceParams::validate() const {
    if (!(audio_rate_hz >= 8000 && audio_rate_hz <= 48000))
        throw ConfigError(fmt::format("audio_rate_hz: {} is out of range [8000, 48000] Hz", audio_rate_hz));
    if (fat_edges_hz.empty() && (bands < 1 || bands > 22)) throw ConfigError(fmt::format("bands: {} is out of range [1, 22]", bands));
    const int nb = fat_edges_hz.empty() ? bands : int(fat_edges_hz.size()) - 1;
    if (maxima < 1 || maxima > nb) throw ConfigError(fmt::format("maxima: {} is out of range [1, bands = {}]", maxima, nb));
    if (!(channel_rate_pps >= 100 && channel_rate_pps <= audio_rate_hz / 2))
        throw ConfigError(fmt::format("channel_rate_pps: {} is out of range [100, {}] pps", channel_rate_pps, audio_rate_hz / 2));
    if (!(gain_db >= -20 && gain_db <= 80)) throw ConfigError(fmt::format("gain_db: {} is out of range [-20, 80] dB", gain_db));
    if (!(lgf_q > 0 && lgf_q < 100)) throw ConfigError(fmt::format("lgf_q: {} is out of range (0, 100)", lgf_q));
    if (!(sat_level > 0 && sat_level <= 10)) throw ConfigError(fmt::format("sat_level: {} is out of range (0, 10]", sat_level));
    if (!(base_level > 0 && base_level < sat_level))
        throw ConfigError(fmt::format("base_level: {} is out of range (0, sat_level = {})", base_level, sat_level));
    for (const auto* v : {&t_level, &c_level}) {
        const char* key = v == &t_level ? "t_level" : "c_level";
        if (v->size() != 1 && v->size() != 22)
            throw ConfigError(fmt::format("{}: {} values; give one or one per electrode (22)", key, v->size()));
        for (double l : *v)
            if (!(l >= 0 && l <= 255)) throw ConfigError(fmt::format("{}: {} is out of range [0, 255] current levels", key, l));
    }
    for (std::size_t e = 0; e < 22; ++e) {
        const double t = t_level.size() == 1 ? t_level[0] : t_level[e], c = c_level.size() == 1 ? c_level[0] : c_level[e];
        if (!(c > t)) throw ConfigError(fmt::format("c_level: {} must be above t_level ({}) on electrode {}", c, t, e + 1));
    }
    if (!(phase_width_us >= 9.6 && phase_width_us <= 400))
        throw ConfigError(fmt::format("phase_width_us: {} is out of range [9.6, 400] us", phase_width_us));
    if (!(phase_gap_us >= 6 && phase_gap_us <= 58))
        throw ConfigError(fmt::format("phase_gap_us: {} is out of range [6, 58] us", phase_gap_us));
    for (int e : deactivated)
        if (e < 1 || e > 22) throw ConfigError(fmt::format("deactivated: electrode {} is out of range [1, 22]", e));
    std::vector<int> d = deactivated;
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
    if (d.size() >= 22) throw ConfigError("deactivated: all 22 electrodes are deactivated; at least one must stay active");
    if (!electrodes.empty()) {
        if (int(electrodes.size()) != nb)
            throw ConfigError(fmt::format("electrodes: {} given for {} bands; give one per band", electrodes.size(), nb));
        for (int e : electrodes)
            if (e < 1 || e > 22 || std::binary_search(d.begin(), d.end(), e))
                throw ConfigError(fmt::format("electrodes: {} is out of range [1, 22] or deactivated", e));
    }
}

AceStrategy::~AceStrategy() = default;

AceStrategy::AceStrategy(AceParams params) : p_(std::move(params)) {
    p_.validate();
    const double fs = p_.audio_rate_hz;
    shift_ = static_cast<std::size_t>(std::ceil(fs / p_.channel_rate_pps - 1e-9));
    // Bands and the electrodes they drive: deactivated electrodes are taken out and the bands reallocated
    // over the remaining ones (fewer bands if fewer electrodes remain), as clinical fitting software does.
    std::vector<int> active;  // apical (22) first
    for (int e = 22; e >= 1; --e)
        if (std::find(p_.deactivated.begin(), p_.deactivated.end(), e) == p_.deactivated.end()) active.push_back(e);
    if (p_.fat_edges_hz.empty()) {
        int nb = p_.bands;
        if (nb > int(active.size())) {
            notes_.push_back(fmt::format("bands: {} reduced to {}, the number of active electrodes", nb, active.size()));
            nb = int(active.size());
        }
        bands_ = fft_bands_from_table(nb);
    } else {
        bands_ = fft_bands_from_edges(p_.fat_edges_hz, fs);
        if (bands_.size() > active.size())
            throw ConfigError(fmt::format("fat_edges_hz: {} bands but only {} active electrodes", bands_.size(), active.size()));
    }
    const int nb = int(bands_.size());
    maxima_ = std::min(p_.maxima, nb);
    if (!p_.electrodes.empty()) {
        electrode_of_band_ = p_.electrodes;
    } else if (nb == int(active.size())) {
        electrode_of_band_ = active;
    } else {
        // Fewer bands than electrodes: spread the bands evenly over the active electrodes, apex to base.
        for (int b = 0; b < nb; ++b) {
            const double pos = nb == 1 ? 0.5 * double(active.size() - 1) : double(b) * double(active.size() - 1) / double(nb - 1);
            electrode_of_band_.push_back(active[std::size_t(std::lround(pos))]);
        }
    }
    const double implant_rate = channel_rate_pps() * maxima_;
    period_us_ = std::round(kRfClockHz / implant_rate) * 1e6 / kRfClockHz;
    if (period_us_ < 2 * p_.phase_width_us + p_.phase_gap_us + 12.0)
        throw ConfigError(fmt::format("channel_rate_pps: {} x {} maxima leaves a pulse period of {} us, shorter than two phases, "
                                      "the gap and 12 us ({} us)", p_.channel_rate_pps, maxima_, period_us_,
                                      2 * p_.phase_width_us + p_.phase_gap_us + 12.0));
    map_ = LoudnessMap(p_.lgf_q, p_.base_level, p_.sat_level, p_.t_level, p_.c_level);
    // Equalisation, so that a tone gives its amplitude as envelope: vector sum, the band's peak gain
    // |sum_k w_k (-1)^k H(f - k)| over the band; power sum, the tone at the band centre: for the built-in
    // tables NMT's |H(0)|^2 (1 bin), 2 |H(1/2)|^2 (2 bins), |H(0)|^2 + 2 |H(1)|^2 (3 or more); for custom
    // tables sum_k w_k |H(fc - k)|^2 at the band's weighted centre fc.
    for (const FftBand& band : bands_) {
        const int w = int(band.weights.size());
        centre_hz_.push_back(band.centre_hz(fs / kFft));
        if (p_.envelope == EnvelopeMethod::power_sum) {
            if (band.integer_table) {
                const double h0 = std::norm(window_response(0)), h1 = std::norm(window_response(1)),
                             hh = std::norm(window_response(0.5));
                norm_.push_back(w == 1 ? h0 : w == 2 ? 2 * hh : h0 + 2 * h1);
            } else {
                const double fc = centre_hz_.back() / (fs / kFft);
                double s = 0;
                for (int i = 0; i < w; ++i) s += band.weights[std::size_t(i)] * std::norm(window_response(fc - (band.first_bin + i)));
                norm_.push_back(s);
            }
            continue;
        }
        double best = 0;
        for (double f = band.first_bin - 0.5; f <= band.first_bin + w - 0.5 + 1e-9; f += 1.0 / 256.0) {
            std::complex<double> s = 0;
            for (int i = 0; i < w; ++i) {
                const int k = band.first_bin + i;
                s += band.weights[std::size_t(i)] * (k % 2 ? -1.0 : 1.0) * window_response(f - k);
            }
            best = std::max(best, std::abs(s));
        }
        norm_.push_back(best);
    }
    win_.resize(kFft);
    for (int i = 0; i < kFft; ++i) win_[std::size_t(i)] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / kFft);
    hist_.assign(kFft, 0.0);
    buf_.assign(kFft, 0.f);
    spec_.assign(kFft / 2 + 1, {});
    env_.assign(std::size_t(nb), 0.0);
    selected_.assign(std::size_t(nb), 0);
    rank_.assign(std::size_t(nb), 0);
    fft_ = std::make_unique<RealFft>(kFft);
    gain_ = std::pow(10.0, p_.gain_db / 20.0);
    front_.prepare(p_.front_end, p_.agc, fs);
    reset();
}

void AceStrategy::reset() noexcept {
    std::fill(hist_.begin(), hist_.end(), 0.0);
    front_.reset();
}

std::size_t AceStrategy::frame(const float* hop, PulseSlot* out) noexcept {
    const std::size_t shift = shift_;
    // History: the last 128 samples after the front end and AGC (frame m covers samples m*shift - (128 - shift)
    // .. m*shift + shift - 1, zeros before the start, as MATLAB's buffer()).
    std::move(hist_.begin() + std::ptrdiff_t(shift), hist_.end(), hist_.begin());
    for (std::size_t i = 0; i < shift; ++i) hist_[kFft - shift + i] = front_(hop[i]);
    for (int i = 0; i < kFft; ++i) buf_[std::size_t(i)] = float(hist_[std::size_t(i)] * win_[std::size_t(i)]);
    fft_->forward(buf_.data(), spec_.data());
    const int nb = int(bands_.size());
    for (int b = 0; b < nb; ++b) {
        const FftBand& band = bands_[std::size_t(b)];
        const int w = int(band.weights.size());
        double e;
        if (p_.envelope == EnvelopeMethod::vector_sum) {
            std::complex<double> s = 0;
            for (int i = 0; i < w; ++i) {
                const int k = band.first_bin + i;
                s += band.weights[std::size_t(i)] * (k % 2 ? -1.0 : 1.0) * std::complex<double>(spec_[std::size_t(k)]);
            }
            e = std::abs(s) / norm_[std::size_t(b)] * gain_;
        } else {
            double s = 0;
            for (int i = 0; i < w; ++i)
                s += band.weights[std::size_t(i)] * std::norm(std::complex<double>(spec_[std::size_t(band.first_bin + i)]));
            e = std::sqrt(s / norm_[std::size_t(b)]) * gain_;
        }
        env_[std::size_t(b)] = e;
        selected_[std::size_t(b)] = 1;
    }
    // n-of-m: reject the smallest one at a time, the lowest band first on ties; i.e. rank the bands by
    // (envelope, band) ascending and reject the first nb - maxima.
    if (maxima_ < nb) {
        for (int b = 0; b < nb; ++b) rank_[std::size_t(b)] = b;
        const double* e = env_.data();
        std::nth_element(rank_.begin(), rank_.begin() + (nb - maxima_ - 1), rank_.begin() + nb,
                         [e](int a, int b) { return e[a] < e[b] || (e[a] == e[b] && a < b); });
        for (int r = 0; r < nb - maxima_; ++r) selected_[std::size_t(rank_[std::size_t(r)])] = 0;
    }
    std::size_t count = 0;
    for (int i = 0; i < nb; ++i) {
        // Base to apex = highest band first.
        const int b = p_.order == PulseOrder::base_to_apex ? nb - 1 - i : i;
        if (!selected_[std::size_t(b)]) continue;
        PulseSlot& s = out[count++];
        s.electrode = electrode_of_band_[std::size_t(b)];
        s.current_level = map_.current_level(env_[std::size_t(b)], s.electrode);
        s.amplitude = float(map_.envelope_for_level(s.current_level, s.electrode) / gain_);
    }
    return count;
}

Electrodogram AceStrategy::process(const std::vector<float>& x, std::vector<std::vector<double>>* envelopes) {
    if (envelopes) envelopes->clear();
    return run_strategy(*this, x, [&] {
        if (envelopes) envelopes->push_back(env_);
    });
}

Electrodogram run_strategy(CodingStrategy& s, const std::vector<float>& x, const std::function<void()>& after_frame) {
    s.reset();
    const std::size_t shift = s.block_shift(), n = x.size(), frames = (n + shift - 1) / shift;
    std::vector<float> hop(shift);
    std::vector<PulseSlot> slots(s.max_slots_per_frame());
    Electrodogram out;
    out.num_electrodes = s.num_electrodes();
    out.pulses.reserve(frames * slots.size());
    std::size_t index = 0;
    for (std::size_t m = 0; m < frames; ++m) {
        for (std::size_t i = 0; i < shift; ++i) hop[i] = m * shift + i < n ? x[m * shift + i] : 0.f;
        const std::size_t c = s.frame(hop.data(), slots.data());
        if (after_frame) after_frame();
        for (std::size_t k = 0; k < c; ++k, ++index)
            out.pulses.push_back({double(index) * s.period_us(), slots[k].electrode, slots[k].current_level, s.phase_width_us(),
                                  s.phase_gap_us()});
    }
    return out;
}

}  // namespace earshot
