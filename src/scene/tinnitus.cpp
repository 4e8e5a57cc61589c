#include "earshot/scene/tinnitus.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <utility>

#include "earshot/core/denormals.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"

namespace earshot {

namespace {

constexpr double kMinLevelDbSpl = -20.0, kMaxLevelDbSpl = 130.0;
constexpr double kFloorRangeDb = 120.0;      // a finite floor lies at most this far below the level
constexpr double kSilenceRel = 1e-6;         // ring_out to silence ends 120 dB below its level
constexpr double kLevelSmoothingS = 0.02;    // set_level_db_at: linear in dB over this time
constexpr double kRunInTimeConstants = 25.0; // noise run-in, in units of 1 / bandwidth_hz (> -120 dB settled)

constexpr ParamSpec kFreq{"freq_hz", "Hz", 20.0, 20000.0, 4000.0, "tinnitus frequency"};
constexpr ParamSpec kLevel{"level_db", "dB", -20.0, 130.0, 40.0, "tinnitus level"};
constexpr ParamSpec kThreshold{"threshold_db_spl", "dB SPL", -20.0, 140.0, 0.0, "threshold at freq_hz"};
constexpr ParamSpec kAttack{"attack_s", "s", 0.0, 60.0, 0.05, "attack ramp"};
constexpr ParamSpec kRelease{"release_s", "s", 0.0, 60.0, 0.2, "release ramp"};
constexpr ParamSpec kDecay{"decay_s", "s", 0.001, 3600.0, 1.0, "ring-out amplitude time constant"};
constexpr ParamSpec kRate{"sample_rate_hz", "Hz", 8000.0, 192000.0, 48000.0, "sample rate"};

double resolve(double db, const TinnitusParams& p) noexcept {
    return p.level_ref == LevelRef::db_sl ? db + p.threshold_db_spl : db;
}

double amplitude_of(double level_db_spl, const Calibration& cal) noexcept {
    return std::pow(10.0, (level_db_spl - cal.full_scale_db_spl) / 20.0);  // full-scale sine: amplitude 1
}

template <std::size_t N>
double cascade(Biquad (&sections)[N], double x) noexcept {
    for (auto& s : sections) x = s(x);
    return x;
}

}  // namespace

double TinnitusParams::level_db_spl() const noexcept { return resolve(level_db, *this); }
double TinnitusParams::floor_db_spl() const noexcept { return std::isinf(floor_db) ? floor_db : resolve(floor_db, *this); }

void validate(const TinnitusParams& p, std::string_view where) {
    const std::string w(where);
    kFreq.check(p.freq_hz, w + ".freq_hz");
    if (p.kind == TinnitusKind::narrowband_noise) {
        const ParamSpec bw{"bandwidth_hz", "Hz", 10.0, p.freq_hz, 400.0, "noise bandwidth"};
        bw.check(p.bandwidth_hz, w + ".bandwidth_hz");
    }
    kLevel.check(p.level_db, w + ".level_db");
    if (p.level_ref == LevelRef::db_sl) kThreshold.check(p.threshold_db_spl, w + ".threshold_db_spl");
    const double level = p.level_db_spl();
    if (level < kMinLevelDbSpl || level > kMaxLevelDbSpl)
        throw ConfigError(fmt::format("{}.level_db: {} dB SL above a {} dB SPL threshold is {} dB SPL, out of range "
                                      "[{}, {}] dB SPL",
                                      w, p.level_db, p.threshold_db_spl, level, kMinLevelDbSpl, kMaxLevelDbSpl));
    kAttack.check(p.attack_s, w + ".attack_s");
    kRelease.check(p.release_s, w + ".release_s");
    if (p.kind == TinnitusKind::ring_out) {
        kDecay.check(p.decay_s, w + ".decay_s");
        if (!(p.floor_db == -std::numeric_limits<double>::infinity())) {
            const ParamSpec floor{"floor_db", "dB (or -inf: ring out to silence)", p.level_db - kFloorRangeDb,
                                  p.level_db, 0.0, "ring-out floor"};
            floor.check(p.floor_db, w + ".floor_db");
        }
    }
}

TinnitusGenerator::TinnitusGenerator(const TinnitusParams& params, Calibration calibration)
    : params_(params), calibration_(calibration) {
    validate(params);
}

void TinnitusGenerator::prepare(const ProcessSpec& spec) {
    const TinnitusParams params = params_;
    const Calibration calibration = calibration_;
    const double sample_rate_hz = spec.sample_rate_hz;
    kRate.check(sample_rate_hz, "tinnitus: sample_rate_hz");
    const double nyquist_limit = 0.45 * sample_rate_hz;
    const double top_hz =
        params.freq_hz + (params.kind == TinnitusKind::narrowband_noise ? params.bandwidth_hz / 2.0 : 0.0);
    if (top_hz >= nyquist_limit)
        throw ConfigError(fmt::format("tinnitus.freq_hz: {} Hz (top of the sound {} Hz) is out of range: it must lie "
                                      "below 0.45 x the sample rate ({} Hz)",
                                      params.freq_hz, top_hz, nyquist_limit));
    rate_hz_ = sample_rate_hz;
    attack_n_ = static_cast<std::size_t>(std::lround(params.attack_s * sample_rate_hz));
    release_n_ = static_cast<std::size_t>(std::lround(params.release_s * sample_rate_hz));
    smooth_n_ = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(kLevelSmoothingS * sample_rate_hz)));
    phase_inc_ = params.freq_hz / sample_rate_hz;
    decay_per_sample_ = std::exp(-1.0 / (params.decay_s * sample_rate_hz));
    const double floor_spl = params.floor_db_spl();
    floor_rel_ = std::isinf(floor_spl) ? 0.0 : std::pow(10.0, (floor_spl - params.level_db_spl()) / 20.0);
    prepared_amp_ = amplitude_of(params.level_db_spl(), calibration);

    noise_start_ = {};
    noise_scale_ = 1.0;
    if (params.kind == TinnitusKind::narrowband_noise) {
        // 8th-order Butterworth low-pass at bandwidth / 2 for I and Q (pole pairs at Q = 1 / (2 sin((2k-1) pi / 16))).
        const double fc = params.bandwidth_hz / 2.0;
        for (int k = 0; k < kSections; ++k) {
            const double q = 1.0 / (2.0 * std::sin((2.0 * k + 1.0) * std::numbers::pi / (4.0 * kSections)));
            noise_start_.lp_i[k].c = noise_start_.lp_q[k].c = BiquadCoeffs::lowpass(fc, q, sample_rate_hz);
        }
        const auto run_in = static_cast<std::size_t>(std::ceil(kRunInTimeConstants / params.bandwidth_hz * sample_rate_hz));
        // Noise power gain of the low-pass (sum of its squared impulse response); uniform [-1, 1) has variance 1/3.
        Biquad probe[kSections];
        std::copy(std::begin(noise_start_.lp_i), std::end(noise_start_.lp_i), std::begin(probe));
        double gain = 0.0;
        for (std::size_t i = 0; i < run_in; ++i) {
            const double h = cascade(probe, i == 0 ? 1.0 : 0.0);
            gain += h * h;
        }
        noise_scale_ = 1.0 / std::sqrt(2.0 * gain / 3.0);  // x = I cos - Q sin has the power of I; RMS 1/sqrt 2
        // PCG32 seeding as in the reference implementation (stream constant fixed).
        Pcg32 rng(params.seed);
        for (std::size_t i = 0; i < run_in; ++i) {
            cascade(noise_start_.lp_i, rng.symmetric());
            cascade(noise_start_.lp_q, rng.symmetric());
        }
        noise_start_.rng = rng;
    }
    reset();
}

void TinnitusGenerator::reset() noexcept {
    noise_ = noise_start_;
    phase_ = 0.0;
    stage_ = Stage::idle;
    k_ = 0;
    e_from_ = env_ = 0.0;
    decay_ = 1.0;
    level_amp_ = level_target_ = prepared_amp_;
    level_ratio_ = 1.0;
    smooth_left_ = 0;
    num_pending_ = 0;
}

bool TinnitusGenerator::active() const noexcept {
    if (stage_ != Stage::idle) return true;
    for (std::size_t i = 0; i < num_pending_; ++i)
        if (pending_[i].what == What::start) return true;
    return false;
}

bool TinnitusGenerator::schedule(Pending event) noexcept {
    if (num_pending_ == kMaxPending) return false;
    std::size_t at = num_pending_;
    while (at > 0 && pending_[at - 1].offset > event.offset) {
        pending_[at] = pending_[at - 1];
        --at;
    }
    pending_[at] = event;
    ++num_pending_;
    return true;
}

bool TinnitusGenerator::start_at(std::size_t offset) noexcept { return schedule({offset, What::start}); }
bool TinnitusGenerator::stop_at(std::size_t offset) noexcept { return schedule({offset, What::stop}); }

bool TinnitusGenerator::set_level_db_at(double level_db, std::size_t offset) noexcept {
    const double spl = std::clamp(resolve(level_db, params_), kMinLevelDbSpl, kMaxLevelDbSpl);
    return schedule({offset, What::level, amplitude_of(spl, calibration_)});
}

void TinnitusGenerator::fire_start() noexcept {
    if (stage_ == Stage::idle) {
        phase_ = 0.0;  // cosine phase: the first sample is non-zero
        e_from_ = 0.0;
    } else {
        e_from_ = env_;
    }
    stage_ = Stage::attack;
    k_ = 0;
}

void TinnitusGenerator::fire_stop() noexcept {
    if (stage_ == Stage::idle) return;
    e_from_ = env_;
    stage_ = Stage::release;
    k_ = 0;
}

void TinnitusGenerator::fire_level(double amp) noexcept {
    level_target_ = amp;
    if (stage_ == Stage::idle || level_amp_ <= 0.0) {
        level_amp_ = level_target_;
        smooth_left_ = 0;
        return;
    }
    level_ratio_ = std::pow(level_target_ / level_amp_, 1.0 / static_cast<double>(smooth_n_));
    smooth_left_ = smooth_n_;
}

double TinnitusGenerator::envelope_step() noexcept {
    switch (stage_) {
        case Stage::idle: return 0.0;
        case Stage::attack:
            if (k_ >= attack_n_) {
                env_ = 1.0;
                decay_ = 1.0;
                stage_ = params_.kind == TinnitusKind::ring_out ? Stage::decay : Stage::sustain;
            } else {
                const double x = std::numbers::pi * static_cast<double>(k_ + 1) / static_cast<double>(attack_n_ + 1);
                env_ = e_from_ + (1.0 - e_from_) * 0.5 * (1.0 - std::cos(x));
                ++k_;
            }
            return env_;
        case Stage::decay:
            decay_ *= decay_per_sample_;
            if (decay_ <= floor_rel_) {
                decay_ = floor_rel_;
                stage_ = Stage::sustain;
            } else if (floor_rel_ == 0.0 && decay_ < kSilenceRel) {
                stage_ = Stage::idle;
                return env_ = 0.0;
            }
            return env_ = decay_;
        case Stage::sustain: return env_;
        case Stage::release:
            if (k_ >= release_n_) {
                stage_ = Stage::idle;
                return env_ = 0.0;
            } else {
                const double x = std::numbers::pi * static_cast<double>(k_ + 1) / static_cast<double>(release_n_ + 1);
                ++k_;
                return env_ = e_from_ * 0.5 * (1.0 + std::cos(x));
            }
    }
    return 0.0;
}

double TinnitusGenerator::carrier_step() noexcept {
    const double w = 2.0 * std::numbers::pi * phase_;
    double c;
    if (params_.kind == TinnitusKind::narrowband_noise) {
        const double i = cascade(noise_.lp_i, noise_.rng.symmetric());
        const double q = cascade(noise_.lp_q, noise_.rng.symmetric());
        c = (i * std::cos(w) - q * std::sin(w)) * noise_scale_;
    } else {
        c = std::cos(w);
    }
    phase_ += phase_inc_;
    if (phase_ >= 1.0) phase_ -= 1.0;
    return c;
}

void TinnitusGenerator::render(float* out, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
        if (stage_ == Stage::idle) return;
        const double e = envelope_step();
        const double c = carrier_step();
        if (smooth_left_ > 0) {
            level_amp_ *= level_ratio_;
            if (--smooth_left_ == 0) level_amp_ = level_target_;
        }
        out[i] += static_cast<float>(level_amp_ * e * c);
    }
}

void TinnitusGenerator::add_to(float* out, std::size_t n) noexcept {
    ScopedNoDenormals no_denormals;
    std::size_t i = 0;
    while (i < n) {
        const std::size_t seg = num_pending_ > 0 ? std::min(pending_[0].offset, n - i) : n - i;
        render(out + i, seg);
        i += seg;
        for (std::size_t k = 0; k < num_pending_; ++k) pending_[k].offset -= seg;
        std::size_t fired = 0;
        for (; fired < num_pending_ && pending_[fired].offset == 0; ++fired) {
            switch (pending_[fired].what) {
                case What::start: fire_start(); break;
                case What::stop: fire_stop(); break;
                case What::level: fire_level(pending_[fired].amp); break;
            }
        }
        if (fired > 0) {
            std::copy(pending_.begin() + long(fired), pending_.begin() + long(num_pending_), pending_.begin());
            num_pending_ -= fired;
        }
    }
}

void TinnitusGenerator::process(AudioView<const float> in, AudioView<float> out) noexcept {
    const std::size_t n = in.num_frames(), nc = in.num_channels();
    if (nc == 0) return;
    // Every channel gets the same samples, computed as for a mono stream: the channels before the last from a
    // copy of the state (the generator holds no heap memory: copying it allocates nothing), the last advancing it.
    for (std::size_t c = 0; c < nc; ++c) {
        if (in.channel(c) != out.channel(c)) std::copy(in.channel(c), in.channel(c) + n, out.channel(c));
        if (c + 1 < nc) {
            TinnitusGenerator replay = *this;
            replay.add_to(out.channel(c), n);
        } else {
            add_to(out.channel(c), n);
        }
    }
}

}  // namespace earshot
