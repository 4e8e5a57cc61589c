// The auraliser's driver: parameters, the spread matrix, pulse timing (output sample floor(time_s fs)) and
// each electrode's pulse rate; the carriers themselves are in carriers/ (one engine each, carriers/engine.hpp).
// A block is cut into chunks of at most Design::chunk samples. Every pulse in a chunk is handed to the engine
// first (envelope carriers: a hold with its time-out; pulse carriers: the pulse and its electrode's rate),
// then the chunk is rendered in one loop. Engines keep events indexed by stream sample, so nothing depends on
// where blocks or chunks begin: any block sizes give the same output.
#include "earshot/implant/auraliser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "carriers/engine.hpp"
#include "earshot/core/error.hpp"

namespace earshot {
namespace {

constexpr int kMaxElectrodes = 24;
constexpr double kSpreadFloorDb = -60.0;
constexpr double kMaxPlaceFraction = 0.45;  // of the output rate
constexpr double kDefaultIntervalS = 1.0 / 900.0;
constexpr double kTimeoutIntervals = 1.5;
constexpr int kRateEpoch = 256;  // pulses per epoch of the shortest-interval estimate


// Output sample of a pulse time (floor, with a little slack for times computed as k / fs).
std::int64_t sample_of(double time_s, double fs, std::int64_t fallback) noexcept {
    const double x = std::floor(time_s * fs + 1e-6);
    if (!(x > -9.0e18 && x < 9.0e18)) return fallback;
    return std::int64_t(x);
}

// Shortest interval between an electrode's pulses over its last kRateEpoch..2 kRateEpoch pulses.
struct IntervalEstimate {
    double last_s = std::numeric_limits<double>::quiet_NaN();
    double cur_min = std::numeric_limits<double>::infinity(), prev_min = std::numeric_limits<double>::infinity();
    int count = 0;
    /// Returns true when the estimate is (now) known.
    bool observe(double t) noexcept {
        const double d = t - last_s;
        last_s = t;
        if (d > 1e-9) {
            cur_min = std::min(cur_min, d);
            if (++count == kRateEpoch) prev_min = cur_min, cur_min = std::numeric_limits<double>::infinity(), count = 0;
        }
        return known();
    }
    bool known() const noexcept { return std::isfinite(std::min(cur_min, prev_min)); }
    double interval_s() const noexcept { return std::min(cur_min, prev_min); }
};

}  // namespace

void AuralisationParams::validate() const {
    const int c = int(carrier);
    if (c < int(Carrier::noise) || c > int(Carrier::gammatone_pulse))
        throw ConfigError(fmt::format("carrier: {} is not one of noise, sine, multitone, get, gammatone_pulse", c));
    const std::size_t n = place_freq_hz.size();
    if (n < 1 || n > std::size_t(kMaxElectrodes))
        throw ConfigError(fmt::format("place_freq_hz: {} electrodes is out of range [1, {}] (one place frequency per electrode)", n, kMaxElectrodes));
    for (std::size_t e = 0; e < n; ++e)
        if (!(place_freq_hz[e] >= 20.0 && place_freq_hz[e] <= 24000.0))
            throw ConfigError(fmt::format("place_freq_hz: electrode {}: {} Hz is out of range [20, 24000] Hz", e + 1, place_freq_hz[e]));
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = a + 1; b < n; ++b)
            if (std::fabs(std::log2(place_freq_hz[a] / place_freq_hz[b])) < 0.01)
                throw ConfigError(fmt::format("place_freq_hz: electrodes {} and {} ({} and {} Hz) are closer than 1/100 octave; "
                                              "place frequencies must differ", a + 1, b + 1, place_freq_hz[a], place_freq_hz[b]));
    if (!(spread_db_per_mm >= 0.25))  // +inf passes
        throw ConfigError(fmt::format("spread_db_per_mm: {} is out of range [0.25, inf] dB/mm", spread_db_per_mm));
    if (!(contact_depth_mm.empty() && std::isinf(spread_db_per_mm))) {
        if (contact_depth_mm.size() != n)
            throw ConfigError(fmt::format("contact_depth_mm: {} values for {} electrodes; give one depth per electrode "
                                          "(or none when spread_db_per_mm is inf)", contact_depth_mm.size(), n));
        for (std::size_t e = 0; e < n; ++e)
            if (!(contact_depth_mm[e] >= 0.0 && contact_depth_mm[e] <= 50.0))
                throw ConfigError(fmt::format("contact_depth_mm: electrode {}: {} mm is out of range [0, 50] mm", e + 1, contact_depth_mm[e]));
    }
    if (!(multitone_spread_db_per_oct >= -60.0 && multitone_spread_db_per_oct <= -1.0))
        throw ConfigError(fmt::format("multitone_spread_db_per_oct: {} is out of range [-60, -1] dB/octave", multitone_spread_db_per_oct));
    if (multitone_carriers < 8 || multitone_carriers > 400)
        throw ConfigError(fmt::format("multitone_carriers: {} is out of range [8, 400]", multitone_carriers));
    if (!(envelope_cutoff_hz >= 20.0 && envelope_cutoff_hz <= 2000.0))
        throw ConfigError(fmt::format("envelope_cutoff_hz: {} is out of range [20, 2000] Hz", envelope_cutoff_hz));
    if (!(get_cycles >= 1.0 && get_cycles <= 20.0))
        throw ConfigError(fmt::format("get_cycles: {} is out of range [1, 20] cycles", get_cycles));
}

struct Auraliser::Impl {
    aural::Design d;
    std::unique_ptr<aural::Engine> engine;
    bool envelope = false;
    std::int64_t pos = 0;
    std::vector<IntervalEstimate> rate;
    double last_interval_s = kDefaultIntervalS;  // the latest known estimate of any electrode
    // Pulses given with a block whose sample (floor(time_s fs)) lies beyond it — times at a block boundary
    // that rounding put on the other side — are kept for the next call, so that the block sizes never
    // move a pulse.
    std::vector<StimulusPulse> pending, pending_next;
    std::size_t npending = 0;

    void reset() noexcept {
        engine->reset();
        pos = 0;
        std::fill(rate.begin(), rate.end(), IntervalEstimate{});
        last_interval_s = kDefaultIntervalS;
        npending = 0;
    }

    double interval_s(int e) const noexcept {
        const IntervalEstimate& r = rate[std::size_t(e)];
        return r.known() ? r.interval_s() : last_interval_s;
    }

    void on_pulse(const StimulusPulse& p, std::int64_t s) noexcept {
        const int e = p.electrode - 1;
        if (e < 0 || e >= d.electrodes) return;
        const float amp = p.amplitude > 0.f && std::isfinite(p.amplitude) ? p.amplitude : 0.f;
        if (rate[std::size_t(e)].observe(p.time_s)) last_interval_s = rate[std::size_t(e)].interval_s();
        const double interval = interval_s(e);
        if (envelope)  // held until the next pulse, or for more than 1.5 intervals without one: 0
            engine->hold(s, e, amp, s + std::int64_t(std::floor(kTimeoutIntervals * interval * d.fs)) + 1);
        else if (amp > 0.f)
            engine->pulse(s, e, amp, 1.0 / interval);
    }
};

Auraliser::Auraliser() = default;
Auraliser::~Auraliser() = default;
Auraliser::Auraliser(Auraliser&&) noexcept = default;
Auraliser& Auraliser::operator=(Auraliser&&) noexcept = default;

void Auraliser::prepare(const AuralisationParams& p, double output_rate_hz, std::size_t max_block_frames,
                        std::size_t max_pulses_per_block) {
    p.validate();
    if (!(output_rate_hz >= 16000.0 && output_rate_hz <= 96000.0))
        throw ConfigError(fmt::format("output_rate_hz: {} is out of range [16000, 96000] Hz", output_rate_hz));
    if (max_block_frames < 1) throw ConfigError("max_block_frames: 0 is out of range [1, inf) frames");
    if (max_pulses_per_block < 1) throw ConfigError("max_pulses_per_block: 0 is out of range [1, inf) pulses");
    auto im = std::make_unique<Impl>();
    aural::Design& d = im->d;
    d.params = p;
    d.fs = output_rate_hz;
    d.electrodes = int(p.place_freq_hz.size());
    d.nvec = (std::size_t(d.electrodes) + aural::kLanes - 1) / aural::kLanes;
    d.chunk = 256;
    d.audible.resize(std::size_t(d.electrodes));
    for (int e = 0; e < d.electrodes; ++e) d.audible[std::size_t(e)] = p.place_freq_hz[std::size_t(e)] < kMaxPlaceFraction * d.fs;
    // Spread: 10^(-s |depth_e - depth_j| / 20), 0 below -60 dB; to audible lanes only.
    d.spread.assign(std::size_t(d.electrodes) * d.lanes(), 0.f);
    for (int e = 0; e < d.electrodes; ++e)
        for (int j = 0; j < d.electrodes; ++j) {
            if (!d.audible[std::size_t(j)]) continue;
            double w = e == j ? 1.0 : 0.0;
            if (e != j && std::isfinite(p.spread_db_per_mm)) {
                const double db = p.spread_db_per_mm * std::fabs(p.contact_depth_mm[std::size_t(e)] - p.contact_depth_mm[std::size_t(j)]);
                w = db > -kSpreadFloorDb ? 0.0 : std::pow(10.0, -db / 20.0);
            }
            d.spread[std::size_t(e) * d.lanes() + std::size_t(j)] = float(w);
        }
    switch (p.carrier) {
        case Carrier::noise: im->engine = aural::make_noise_engine(d); break;
        case Carrier::sine: im->engine = aural::make_sine_engine(d); break;
        case Carrier::multitone: im->engine = aural::make_multitone_engine(d); break;
        case Carrier::get: im->engine = aural::make_get_engine(d); break;
        case Carrier::gammatone_pulse: im->engine = aural::make_gammatone_engine(d); break;
    }
    im->envelope = im->engine->envelope_driven();
    im->rate.resize(std::size_t(d.electrodes));
    im->pending.resize(max_pulses_per_block + 64);
    im->pending_next.resize(max_pulses_per_block + 64);
    im->reset();
    impl_ = std::move(im);
}

void Auraliser::process(std::span<const StimulusPulse> pulses, float* out, std::size_t n) noexcept {
    Impl* im = impl_.get();
    if (!im) {
        std::fill(out, out + n, 0.f);
        return;
    }
    if (n == 0) return;
    const double fs = im->d.fs;
    const std::size_t np = im->npending, total = np + pulses.size();
    auto at = [&](std::size_t k) -> const StimulusPulse& { return k < np ? im->pending[k] : pulses[k - np]; };
    const std::int64_t block_end = im->pos + std::int64_t(n);
    std::size_t k = 0, done = 0, deferred = 0;
    while (done < n) {
        const std::size_t m = std::min(im->d.chunk, n - done);
        const std::int64_t end = im->pos + std::int64_t(m);
        for (; k < total; ++k) {
            const StimulusPulse& p = at(k);
            std::int64_t s = sample_of(p.time_s, fs, im->pos);
            if (s >= end) {
                if (end < block_end) break;  // a later chunk of this block
                if (deferred < im->pending_next.size()) {
                    im->pending_next[deferred++] = p;
                    continue;
                }
                s = end - 1;  // no room: render it now
            }
            im->on_pulse(p, std::max(s, im->pos));
        }
        im->engine->render(im->pos, out + done, m);
        im->pos = end;
        done += m;
    }
    std::swap(im->pending, im->pending_next);
    im->npending = deferred;
}

void Auraliser::reset() noexcept {
    if (impl_) impl_->reset();
}

double Auraliser::latency_samples() const noexcept { return impl_ ? impl_->engine->latency_s() * impl_->d.fs : 0.0; }

std::vector<float> auralise(std::span<const StimulusPulse> pulses, double duration_s, const AuralisationParams& p,
                            double output_rate_hz) {
    constexpr std::size_t kBlock = 4096;
    Auraliser a;
    a.prepare(p, output_rate_hz, kBlock, 1);
    if (!(duration_s >= 0.0 && std::isfinite(duration_s)))
        throw ConfigError(fmt::format("duration_s: {} is out of range [0, inf) s", duration_s));
    const std::size_t total = std::size_t(std::llround(duration_s * output_rate_hz));
    std::vector<float> out(total);
    std::size_t k = 0;
    for (std::size_t i = 0; i < total; i += kBlock) {
        const std::size_t n = std::min(kBlock, total - i);
        const std::int64_t end = std::int64_t(i + n);
        std::size_t k1 = k;
        while (k1 < pulses.size() && sample_of(pulses[k1].time_s, output_rate_hz, 0) < end) ++k1;
        a.process(pulses.subspan(k, k1 - k), out.data() + i, n);
        k = k1;
    }
    return out;
}

}  // namespace earshot
