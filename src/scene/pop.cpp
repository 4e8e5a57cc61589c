#include "earshot/scene/pop.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numbers>
#include <string>

#include "earshot/core/db.hpp"
#include "earshot/core/denormals.hpp"
#include "earshot/core/param.hpp"
#include "earshot/dsp/biquad.hpp"
#include "earshot/dsp/random.hpp"

namespace earshot {

namespace {

constexpr ParamSpec kPeak{"peak_db_spl", "dB SPL", 0.0, 150.0, 110.0, "pop peak level"};
constexpr ParamSpec kDuration{"duration_s", "s", 0.02, 0.2, 0.06, "pop duration"};
constexpr ParamSpec kThump{"thump_hz", "Hz", 30.0, 120.0, 60.0, "pop thump frequency"};
constexpr ParamSpec kClick{"click_db", "dB", -60.0, 0.0, -20.0, "click peak re thump peak"};
constexpr ParamSpec kRate{"sample_rate_hz", "Hz", 8000.0, 192000.0, 48000.0, "sample rate"};

constexpr double kGlideRatio = 0.6;     // the thump starts at (1 + 0.6) x thump_hz
constexpr double kGlideS = 0.006;
constexpr double kRumbleDb = -10.0;     // re the thump's RMS
constexpr double kClickDecayS = 0.0005;
constexpr double kClickLowpassHz = 2500.0;
constexpr double kFadeShare = 0.25;     // half-cosine fade over the last quarter
constexpr double kPeakOfFullScaleDb = kSineRmsDb;  // a full-scale sine's peak re its RMS

double peak_abs(const std::vector<double>& x) {
    double m = 0.0;
    for (double v : x) m = std::max(m, std::fabs(v));
    return m;
}

double rms(const std::vector<double>& x) {
    double e = 0.0;
    for (double v : x) e += v * v;
    return std::sqrt(e / static_cast<double>(x.size()));
}


}  // namespace

void validate(const PopParams& p, std::string_view where) {
    const std::string w(where);
    kPeak.check(p.peak_db_spl, w + ".peak_db_spl");
    kDuration.check(p.duration_s, w + ".duration_s");
    kThump.check(p.thump_hz, w + ".thump_hz");
    kClick.check(p.click_db, w + ".click_db");
}

PopGenerator::PopGenerator(const PopParams& params, Calibration calibration) : params_(params), calibration_(calibration) {
    validate(params);
}

void PopGenerator::prepare(const ProcessSpec& spec) {
    const PopParams& params = params_;
    const Calibration calibration = calibration_;
    const double sample_rate_hz = spec.sample_rate_hz;
    kRate.check(sample_rate_hz, "pop: sample_rate_hz");
    const double fs = sample_rate_hz;
    const auto n = static_cast<std::size_t>(std::lround(params.duration_s * fs));
    const double tp = params.duration_s / 8.0;
    Mt64 rng(params.seed);  // uniform from the raw output: the same pop on every platform

    std::vector<double> g(n), thump(n), rumble(n), click(n);
    double phase = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / fs;
        g[i] = (t / tp) * std::exp(1.0 - t / tp);
        thump[i] = g[i] * std::sin(phase);
        phase += 2.0 * std::numbers::pi * params.thump_hz * (1.0 + kGlideRatio * std::exp(-t / kGlideS)) / fs;
    }
    Biquad rumble_lp{BiquadCoeffs::lowpass(2.0 * params.thump_hz, std::numbers::sqrt2 / 2.0, fs)};
    Biquad click_lp{BiquadCoeffs::lowpass(std::min(kClickLowpassHz, 0.4 * fs), std::numbers::sqrt2 / 2.0, fs)};
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / fs;
        rumble[i] = rumble_lp(rng.symmetric()) * g[i];
        click[i] = click_lp(rng.symmetric() * std::exp(-t / kClickDecayS));
    }
    const double thump_peak = peak_abs(thump);
    const double rumble_gain = std::pow(10.0, kRumbleDb / 20.0) * rms(thump) / rms(rumble);
    const double click_gain = std::pow(10.0, params.click_db / 20.0) * thump_peak / peak_abs(click);
    std::vector<double> x(n);
    const double fade_from = (1.0 - kFadeShare) * static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double fi = static_cast<double>(i);
        const double fade =
            fi < fade_from ? 1.0 : 0.5 * (1.0 + std::cos(std::numbers::pi * (fi - fade_from) / (static_cast<double>(n) - fade_from)));
        x[i] = (thump[i] + rumble_gain * rumble[i] + click_gain * click[i]) * fade;
    }
    peak_amp_ = std::pow(10.0, (params.peak_db_spl - calibration.full_scale_db_spl - kPeakOfFullScaleDb) / 20.0);
    const double scale = peak_amp_ / peak_abs(x);
    wave_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double v = x[i] * scale;
        wave_[i] = std::fabs(v) < FLT_MIN ? 0.0f : static_cast<float>(v);  // no subnormal samples
    }
    reset();
}

void PopGenerator::reset() noexcept {
    for (auto& v : voices_) v = Voice{};
}

bool PopGenerator::active() const noexcept {
    return std::any_of(voices_.begin(), voices_.end(), [](const Voice& v) { return v.wait != kIdle; });
}

void PopGenerator::trigger_at(std::size_t offset) noexcept {
    // A free voice, else the oldest (the one furthest into its pop, or the soonest pending).
    Voice* slot = nullptr;
    for (auto& v : voices_) {
        if (v.wait == kIdle) {
            slot = &v;
            break;
        }
        const auto age = [](const Voice& u) { return static_cast<double>(u.pos) - static_cast<double>(u.wait); };
        if (slot == nullptr || age(v) > age(*slot)) slot = &v;
    }
    slot->wait = std::min(offset, kIdle - 1);
    slot->pos = 0;
}

void PopGenerator::add_to(float* out, std::size_t n) noexcept {
    ScopedNoDenormals no_denormals;
    const std::size_t len = wave_.size();
    for (auto& v : voices_) {
        if (v.wait == kIdle) continue;
        const std::size_t skip = std::min(v.wait, n);
        v.wait -= skip;
        const std::size_t m = std::min(n - skip, len - v.pos);
        const float* src = wave_.data() + v.pos;
        for (std::size_t i = 0; i < m; ++i) out[skip + i] += src[i];
        v.pos += m;
        if (v.pos == len) v = Voice{};
    }
}

void PopGenerator::process(AudioView<const float> in, AudioView<float> out) noexcept {
    const std::size_t n = in.num_frames(), nc = in.num_channels();
    const std::array<Voice, kMaxVoices> before = voices_;
    for (std::size_t c = 0; c < nc; ++c) {  // the same pops in every channel, each rendered as for a mono stream
        if (in.channel(c) != out.channel(c)) std::copy(in.channel(c), in.channel(c) + n, out.channel(c));
        voices_ = before;
        add_to(out.channel(c), n);
    }
}

}  // namespace earshot
