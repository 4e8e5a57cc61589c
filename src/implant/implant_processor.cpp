#include "earshot/implant/implant_processor.hpp"

#include "implant_ear.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "earshot/core/denormals.hpp"
#include "earshot/core/error.hpp"

namespace earshot {
namespace {
constexpr double kToolboxFullScaleDbSpl = 95.0;  // NMT: a full-scale sine is 95 dB SPL
}

ImplantEar::ImplantEar(ImplantParams params, Calibration calibration) : p_(std::move(params)), cal_(calibration) {
    p_.validate(p_.name);
    strategy_ = make_strategy(p_);
    aural_params_ = build_auralisation(p_, *strategy_);
    aural_params_.validate();
    gain_in_ = std::pow(10.0, (cal_.full_scale_db_spl - kToolboxFullScaleDbSpl) / 20.0);
    intensity_ = float(p_.intensity);
}

ImplantEar::~ImplantEar() = default;

void ImplantEar::set_calibration(const Calibration& calibration) noexcept {
    cal_ = calibration;
    gain_in_ = std::pow(10.0, (cal_.full_scale_db_spl - kToolboxFullScaleDbSpl) / 20.0);
}

void ImplantEar::prepare(double fs, std::size_t max_block) {
    if (!(fs >= 16000 && fs <= 96000)) throw ConfigError(fmt::format("sample_rate_hz: {} is out of range [16000, 96000] Hz", fs));
    fs_ = fs;
    max_block_ = std::max<std::size_t>(max_block, 1);
    fs_a_ = strategy_->audio_rate_hz();
    shift_ = strategy_->block_shift();
    period_s_ = strategy_->period_us() * 1e-6;
    // The implant's input resampler: 70 dB, flat to 0.42 of the strategy rate (6.7 kHz at 16 kHz; the top
    // band's upper half is in the transition, as a processor's own anti-aliasing filter would have it):
    // 1.3 ms instead of 3.6 ms of delay.
    bypass_rs_ = fs_ == fs_a_;  // a host at the strategy's own rate needs no resampler
    rs_.prepare(fs_, fs_a_, max_block_, ResamplerDesign{70.0, 0.42, 0.5});
    scaled_.assign(max_block_, 0.f);
    rs_out_.assign(std::max(rs_.max_output(max_block_), max_block_) + 4, 0.f);
    hop_.assign(shift_, 0.f);
    slots_.assign(strategy_->max_slots_per_frame(), {});
    // Pulses waiting to be rendered: at most the frames of two blocks plus a few.
    const std::size_t frames_per_block = rs_out_.size() / shift_ + 2;
    // (Envelope carriers: up to twice the slots, with the idle slots that end dropped electrodes.)
    queue_.assign((2 * frames_per_block + 4) * 2 * slots_.size(), {});
    aural_.prepare(aural_params_, fs_, max_block_, queue_.size());
    const Carrier c = aural_params_.carrier;
    const bool held = c == Carrier::noise || c == Carrier::sine || c == Carrier::multitone;
    slot_spacing_s_ = held ? 0.0 : period_s_;  // see the latency below
    end_dropped_ = held;
    pulsed_.assign(std::size_t(strategy_->num_electrodes()) + 1, 0);
    pulsed_now_.assign(pulsed_.size(), 0);
    out_gain_ = level_correction();
    // Resampler output n stands for the input at (n - L) / fs_a (L = its delay) and needs the input up to
    // (n - L) / fs_a + half its kernel <= n / fs_a (L is the half kernel rounded up): a hop's last sample j is
    // available once the input has reached j / fs_a. Its pulses start one host sample after that, so they
    // are always rendered in the block that made them or later, and the resampler's delay L is in the hop's
    // content, counted once in the latency. (Before, the pulses were also put L later: the delay counted
    // twice, 1.75 ms at 44.1-96 kHz for the 16 kHz strategies, which came out that much late.)
    const double rs_delay_s = bypass_rs_ ? 0.0 : double(rs_.latency_samples()) / fs_a_;
    pulse_offset_s_ = 1.0 / fs_;
    // Envelope carriers hold each pulse's amplitude until that electrode's next pulse, one frame later: a
    // zero-order hold of one frame, whose delay is half a frame (pulse carriers have none).
    const double hold_s = held ? 0.5 * double(shift_) / fs_a_ : 0.0;
    // Where a frame's slots are rendered. The strategy interleaves them (slot k at k x period after the
    // frame, base to apex), but every slot carries the same analysis frame: the interleaving is when each
    // electrode samples the frame, not a delay of its band. Envelope carriers render every slot of a frame
    // at the frame's time, so that every band's envelope comes out after the same latency (rendered at their
    // slots, the bands were staggered by -S/2..+S/2 periods about the latency: the highest band of SPEAK
    // 2.0 ms early, of nucleus-ace 0.6 ms; measured with tone bursts per band). Pulse carriers keep the
    // interleaved timing (their pulses are the point); their latency counts the mean slot, (S - 1)/2 periods
    // (it counted S/2, half a period too many).
    const double slot_s = held ? 0.0 : 0.5 * double(slots_.size() - 1) * period_s_;
    latency_s_ = rs_delay_s + 1.0 / fs_ + strategy_->latency_samples() / fs_a_ + slot_s + hold_s + aural_.latency_samples() / fs_;
    // Each electrode's pulses are rendered its band's delay shortfall later (CIS bands: 0 for the slowest).
    electrode_lag_s_.assign(std::size_t(strategy_->num_electrodes()) + 1, 0.0);
    for (int e = 1; e <= strategy_->num_electrodes(); ++e)
        electrode_lag_s_[std::size_t(e)] =
            std::max(0.0, strategy_->latency_samples() - strategy_->electrode_latency_samples(e)) / fs_a_;
    latency_samples_ = std::size_t(std::lround(latency_s_ * fs_));
    dry_.prepare(latency_samples_);
    reset();
}

// Output level: a flat stimulus (every band's electrode pulsed at amplitude A in every frame, at the
// strategy's slot timing) should sound as loud as the flat sound it stands for, sum over bands of A^2/2,
// counting only places the output rate can carry. Current spread and the carriers' own normalisation (a
// pulse train's level depends on its rate for pulse carriers) otherwise change the loudness with the
// parameters, which would make an A/B comparison with the original (or the intensity mix) jump in level.
double ImplantEar::level_correction() const {
    Auraliser probe;
    const double seconds = 0.6, a = 0.05;
    const std::size_t frames = std::size_t(seconds * fs_a_ / double(shift_));
    const auto& electrodes = strategy_->band_electrodes();
    std::vector<StimulusPulse> pulses;
    double expected = 0;
    for (int e : electrodes)
        if (aural_params_.place_freq_hz[std::size_t(e - 1)] < 0.45 * fs_) expected += 0.5 * a * a;
    if (expected <= 0) return 1.0;
    for (std::size_t m = 0; m < frames; ++m)
        for (std::size_t k = 0; k < electrodes.size(); ++k)
            pulses.push_back({double(m * shift_) / fs_a_ + double(k % slots_.size()) * slot_spacing_s_, electrodes[k], float(a)});
    const std::vector<float> y = auralise(pulses, seconds, aural_params_, fs_);
    double e = 0;
    std::size_t n = 0;
    for (std::size_t i = y.size() / 3; i < y.size(); ++i) e += double(y[i]) * y[i], ++n;
    if (!(e > 0)) return 1.0;
    return std::clamp(std::sqrt(expected / (e / double(n))), 0.1, 10.0);
}

void ImplantEar::reset() noexcept {
    rs_.reset();
    strategy_->reset();
    aural_.reset();
    hop_fill_ = 0, host_pos_ = 0, hop_count_ = 0, queue_size_ = 0;
    std::fill(pulsed_.begin(), pulsed_.end(), char(0));
    std::fill(pulsed_now_.begin(), pulsed_now_.end(), char(0));
    intensity_now_ = intensity_;
    dry_.reset();
}

void ImplantEar::process(const float* in, float* out, std::size_t n) noexcept {
    ScopedNoDenormals no_denormals;
    while (n > max_block_) {  // defensive: callers respect max_block
        process(in, out, max_block_);
        in += max_block_, out += max_block_, n -= max_block_;
    }
    const float g = float(gain_in_);
    for (std::size_t i = 0; i < n; ++i) scaled_[i] = in[i] * g;
    // Dry path (delayed by the latency) before out may be overwritten (in may alias out).

    std::size_t r = n;
    if (bypass_rs_) std::copy(scaled_.data(), scaled_.data() + n, rs_out_.data());
    else r = rs_.process(scaled_.data(), n, rs_out_.data());
    for (std::size_t i = 0; i < r; ++i) {
        hop_[hop_fill_++] = rs_out_[i];
        if (hop_fill_ < shift_) continue;
        hop_fill_ = 0;
        const std::size_t c = strategy_->frame(hop_.data(), slots_.data());
        const double t_hop = double((hop_count_ + 1) * std::int64_t(shift_) - 1) / fs_a_ + pulse_offset_s_;
        ++hop_count_;
        auto push = [&](const StimulusPulse& pulse) {
            if (queue_size_ >= queue_.size()) return;
            // Kept in time order (per-electrode lags can put a pulse before ones already queued).
            std::size_t j = queue_size_++;
            for (; j > 0 && queue_[j - 1].time_s > pulse.time_s; --j) queue_[j] = queue_[j - 1];
            queue_[j] = pulse;
        };
        auto lag_of = [&](int e) {
            return e >= 0 && std::size_t(e) < electrode_lag_s_.size() ? electrode_lag_s_[std::size_t(e)] : 0.0;
        };
        for (std::size_t k = 0; k < c; ++k) {
            const int e = slots_[k].electrode;
            push({t_hop + double(k) * slot_spacing_s_ + lag_of(e), e, slots_[k].amplitude});
            if (end_dropped_ && e >= 0 && std::size_t(e) < pulsed_now_.size()) pulsed_now_[std::size_t(e)] = 1;
        }
        if (end_dropped_) {
            // n-of-m: an electrode pulsed in the last frame and not in this one gets an idle slot now, so its
            // held envelope ends after one frame (without it the auraliser's time-out held it 1.5 frames,
            // which made offsets late: SPEAK's white-noise envelope came out +0.35 ms late).
            for (std::size_t e = 1; e < pulsed_.size(); ++e) {
                if (pulsed_[e] && !pulsed_now_[e]) push({t_hop + lag_of(int(e)), int(e), 0.f});
                pulsed_[e] = pulsed_now_[e];
                pulsed_now_[e] = 0;
            }
        }
    }
    // Pulses of this block (queue is in time order).
    const double t_end = double(host_pos_ + std::int64_t(n)) / fs_;
    std::size_t take = 0;
    while (take < queue_size_ && queue_[take].time_s < t_end) ++take;
    // Keep the dry samples before writing out.
    float* dry_tmp = scaled_.data();  // reuse: scaled_ is consumed
    std::copy(in, in + n, dry_tmp);
    dry_.process(dry_tmp, n);
    aural_.process(std::span<const StimulusPulse>(queue_.data(), take), out, n);
    std::move(queue_.begin() + std::ptrdiff_t(take), queue_.begin() + std::ptrdiff_t(queue_size_), queue_.begin());
    queue_size_ -= take;
    // Intensity changes ramp linearly over the block (no zipper noise).
    const float from = intensity_now_, to = intensity_, step = (to - from) / float(n), inv_g = float(out_gain_) / g;
    for (std::size_t i = 0; i < n; ++i) {
        const float k = from + step * float(i + 1);
        out[i] = out[i] * k * inv_g + dry_tmp[i] * (1.f - k);
    }
    intensity_now_ = to;
    host_pos_ += std::int64_t(n);
}

Electrodogram electrodogram_of(const ImplantParams& params, const std::vector<float>& x, double fs, const Calibration& cal) {
    params.validate(params.name);
    auto strategy = make_strategy(params);
    std::vector<float> y = fs == strategy->audio_rate_hz() ? x : resample(x, fs, strategy->audio_rate_hz());
    const float g = float(std::pow(10.0, (cal.full_scale_db_spl - kToolboxFullScaleDbSpl) / 20.0));
    for (float& v : y) v *= g;
    return run_strategy(*strategy, y);
}

// The multichannel processor: one ImplantEar per channel, all alike.
ImplantProcessor::ImplantProcessor(ImplantParams params, Calibration calibration) : params_(std::move(params)), cal_(calibration) {
    ears_.push_back(std::make_unique<ImplantEar>(params_, cal_));
}
ImplantProcessor::~ImplantProcessor() = default;

void ImplantProcessor::set_calibration(const Calibration& calibration) noexcept {
    cal_ = calibration;
    for (auto& ear : ears_) ear->set_calibration(calibration);
}
ImplantProcessor::ImplantProcessor(ImplantProcessor&&) noexcept = default;
ImplantProcessor& ImplantProcessor::operator=(ImplantProcessor&&) noexcept = default;

void ImplantProcessor::prepare(const ProcessSpec& spec) {
    if (spec.num_channels < 1) throw ConfigError(fmt::format("num_channels: {} is out of range [1, ...] channels", spec.num_channels));
    const float intensity = ears_.front()->intensity();
    ears_.resize(1);
    while (ears_.size() < spec.num_channels) ears_.push_back(std::make_unique<ImplantEar>(params_, cal_));
    for (auto& ear : ears_) {
        ear->set_intensity(intensity);
        ear->prepare(spec.sample_rate_hz, spec.max_block_frames);
    }
}

void ImplantProcessor::process(AudioView<const float> in, AudioView<float> out) noexcept {
    for (std::size_t c = 0; c < ears_.size() && c < in.num_channels(); ++c)
        ears_[c]->process(in.channel(c), out.channel(c), in.num_frames());
}

void ImplantProcessor::reset() noexcept {
    for (auto& ear : ears_) ear->reset();
}

std::size_t ImplantProcessor::latency_samples() const noexcept { return ears_.front()->latency_samples(); }
const ImplantParams& ImplantProcessor::params() const noexcept { return ears_.front()->params(); }
const CodingStrategy& ImplantProcessor::strategy() const noexcept { return ears_.front()->strategy(); }
const AuralisationParams& ImplantProcessor::auralisation() const noexcept { return ears_.front()->auralisation(); }
double ImplantProcessor::input_gain() const noexcept { return ears_.front()->input_gain(); }
double ImplantProcessor::output_gain() const noexcept { return ears_.front()->output_gain(); }
void ImplantProcessor::set_intensity(double intensity) noexcept {
    for (auto& ear : ears_) ear->set_intensity(intensity);
}

}  // namespace earshot
