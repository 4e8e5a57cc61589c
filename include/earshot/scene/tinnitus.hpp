#pragma once
// Tinnitus: a calibrated, streaming event sound added on top of what the listener hears (scene events;
// Sound of Metal's onset is a pop, a high ringing, then muffled voices: ../shared/research/validation.md §7).
//
// Kinds
//   tone              a sine at freq_hz.
//   narrowband_noise  seeded noise band-limited around freq_hz: I(t) cos(2 pi f t) - Q(t) sin(2 pi f t), I and Q
//                     independent uniform white noise through an 8th-order Butterworth low-pass at
//                     bandwidth_hz / 2 (so the band's -3 dB edges are freq_hz +- bandwidth_hz / 2; ~96 % of the
//                     power lies between them). The noise filters are run in during prepare(), so the noise is
//                     stationary from its first sample.
//   ring_out          a tone that reaches level_db at the end of the attack, then decays exponentially in
//                     amplitude with time constant decay_s (8.686 dB per decay_s) down to floor_db, where it
//                     stays until stopped. floor_db = -inf rings out to silence: the generator falls silent (and
//                     inactive) when the decay reaches -120 dB re level_db.
// Level (calibration.hpp: a full-scale sine is full_scale_db_spl): a tone of L dB SPL has amplitude
// 10^((L - full_scale_db_spl) / 20); noise of L dB SPL has the RMS of that tone. In dB SL mode the level is
// threshold_db_spl + level_db, threshold_db_spl being the listener's threshold at freq_hz in dB SPL (for an
// audiogram in dB HL: hl_to_free_field_db_spl below).
// Envelope, sample-exact (k counts samples from the event's sample, which is k = 0):
//   attack   E(k) = e0 + (1 - e0) (1 - cos(pi (k + 1) / (Na + 1))) / 2, k = 0..Na, Na = round(attack_s fs):
//            the event's sample is the first non-zero one, the level is reached exactly attack_s after it;
//            e0 = the envelope just before (0 from silence; a restart while sounding continues from there).
//   release  E(k) = e1 (1 + cos(pi (k + 1) / (Nr + 1))) / 2 for k < Nr, e1 the envelope before the stop;
//            exactly 0 from k = Nr (release_s after the stop) on, and the generator is inactive.
// A tone starting from silence starts in cosine phase (its first sample is non-zero).
// Level changes (set_level_db_at) move linearly in dB over 20 ms (amplitude ratio constant per sample).
// Events are scheduled at a sample offset counted from the first sample of the next process() call; an offset
// beyond that block carries over to the following ones. Up to kMaxPending events wait at a time (a scheduler
// returns false and drops the event when full); events on the same sample fire in the order they were
// scheduled (stop then start = a retrigger). Output is identical whatever the block sizes.
// Block-processor contract (earshot/core/processor.hpp): process(in, out) writes in + the generator into out,
// the same generated signal added to every channel (one generator per distinct ear); latency_samples() = 0 (the
// event's sample is the first sounding one). process(), the schedulers and reset() are noexcept and do not
// allocate; process() flushes denormals (and restores the caller's mode).
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "earshot/dsp/biquad.hpp"
#include "earshot/core/audio_view.hpp"
#include "earshot/core/calibration.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/dsp/random.hpp"
#include "earshot/core/calibration.hpp"
#include "earshot/hearing/standards.hpp"  // iso389_7_free_field_db_spl, hl_to_free_field_db_spl (were declared here)

namespace earshot {

enum class TinnitusKind { tone, narrowband_noise, ring_out };
/// What level_db and floor_db are relative to: 20 uPa (dB SPL) or the listener's threshold (dB SL).
enum class LevelRef { db_spl, db_sl };

struct TinnitusParams {
    TinnitusKind kind = TinnitusKind::tone;
    double freq_hz = 4000.0;          ///< [20, 20000] Hz and below 0.45 x the sample rate
    double bandwidth_hz = 400.0;      ///< narrowband_noise: [10, freq_hz] Hz, upper edge below 0.45 x the rate
    double level_db = 40.0;           ///< steady level (tone, noise) or the peak a ring_out decays from
    LevelRef level_ref = LevelRef::db_spl;
    double threshold_db_spl = 0.0;    ///< db_sl only: threshold at freq_hz, [-20, 140] dB SPL
    double attack_s = 0.05;           ///< [0, 60] s
    double release_s = 0.2;           ///< [0, 60] s
    double decay_s = 1.0;             ///< ring_out: amplitude time constant, [0.001, 3600] s
    double floor_db = -std::numeric_limits<double>::infinity();  ///< ring_out: same reference as level_db
    std::uint64_t seed = 1;           ///< narrowband_noise

    double level_db_spl() const noexcept;  ///< level_db resolved to dB SPL
    double floor_db_spl() const noexcept;  ///< floor_db resolved to dB SPL (-inf stays -inf)
};

/// Throws ConfigError "<where>.<field>: <value> is out of range [min, max] <unit>" (one line) for a field out
/// of range; the resolved level must lie in [-20, 130] dB SPL, a finite floor in [level - 120, level].
/// Rate-dependent limits (0.45 x the sample rate) are checked by prepare().
void validate(const TinnitusParams& params, std::string_view where = "tinnitus");

class TinnitusGenerator {
public:
    TinnitusGenerator() = default;  ///< the default TinnitusParams
    /// Throws ConfigError for parameters out of range (validate(params)).
    TinnitusGenerator(const TinnitusParams& params, Calibration calibration);
    /// May allocate and throw (the 0.45 x rate limits; sample_rate_hz in [8000, 192000]; any block size).
    void prepare(const ProcessSpec& spec);

    static constexpr std::size_t kMaxPending = 16;

    bool start_at(std::size_t offset) noexcept;  ///< attack begins offset samples into the next process()
    bool stop_at(std::size_t offset) noexcept;   ///< release begins there
    /// New level (same reference as params.level_db; clamped to [-20, 130] dB SPL), reached 20 ms after offset.
    /// A ring_out's decay and floor move with it.
    bool set_level_db_at(double level_db, std::size_t offset) noexcept;

    /// out = in + the generator, every channel (in may equal out).
    void process(AudioView<const float> in, AudioView<float> out) noexcept;
    std::size_t latency_samples() const noexcept { return 0; }
    /// Back to the state right after prepare() (silent, nothing pending, the prepared level).
    void reset() noexcept;
    /// True while sounding or while a start is pending.
    bool active() const noexcept;

    std::size_t attack_samples() const noexcept { return attack_n_; }
    std::size_t release_samples() const noexcept { return release_n_; }
    /// Digital amplitude of a tone at the current target level (noise: sqrt 2 x its RMS).
    double amplitude() const noexcept { return level_target_; }

private:
    enum class Stage { idle, attack, decay, sustain, release };

    void add_to(float* out, std::size_t n) noexcept;  // adds n samples of the generator into out (mono)
    void render(float* out, std::size_t n) noexcept;
    double envelope_step() noexcept;
    double carrier_step() noexcept;
    enum class What { start, stop, level };
    struct Pending {
        std::size_t offset = 0;  // samples from the current position
        What what = What::start;
        double amp = 0.0;        // level: the new amplitude
    };
    bool schedule(Pending event) noexcept;
    void fire_start() noexcept;
    void fire_stop() noexcept;
    void fire_level(double amp) noexcept;

    // Set by prepare().
    TinnitusParams params_;
    Calibration calibration_;
    double rate_hz_ = 48000.0;
    std::size_t attack_n_ = 0, release_n_ = 0, smooth_n_ = 1;
    double phase_inc_ = 0.0;      // cycles per sample
    double decay_per_sample_ = 1.0;
    double floor_rel_ = 0.0;      // ring_out floor amplitude re the level (0: ring out to silence)
    double noise_scale_ = 1.0;    // 1 / sqrt(2 x noise power gain of the low-pass)
    double prepared_amp_ = 0.0;
    static constexpr int kSections = 4;
    struct NoiseState {
        Biquad lp_i[kSections], lp_q[kSections];
        Pcg32 rng;
    };
    NoiseState noise_start_;      // after the run-in, restored by reset()

    // Running state.
    NoiseState noise_;
    double phase_ = 0.0;          // cycles, [0, 1)
    Stage stage_ = Stage::idle;
    std::size_t k_ = 0;           // samples into the current stage
    double e_from_ = 0.0;         // envelope at the start of an attack / release
    double env_ = 0.0;            // last envelope value
    double decay_ = 1.0;          // ring_out decay factor
    double level_amp_ = 0.0;      // current amplitude (smoothed)
    double level_target_ = 0.0;
    double level_ratio_ = 1.0;
    std::size_t smooth_left_ = 0;
    std::array<Pending, kMaxPending> pending_{};  // sorted by offset, scheduling order within an offset
    std::size_t num_pending_ = 0;
};
static_assert(BlockProcessor<TinnitusGenerator>);

}  // namespace earshot
