#pragma once
// The "pop" of a sudden onset (scene event; Sound of Metal's onset scene: a sudden ear pop, then ringing,
// then muffled voices, ../shared/research/validation.md §7): a dull pressure thump in the ear, not a gunshot.
//
// Waveform (computed once in prepare(), t from 0 to duration_s, tp = duration_s / 8):
//   thump   g(t) sin(2 pi integral f), g(t) = (t / tp) e^(1 - t / tp) (peaks at tp), f(t) gliding from
//           1.6 x thump_hz down to thump_hz (time constant 6 ms): the eardrum's low, fast-damped swing;
//   rumble  seeded white noise through a 2nd-order Butterworth low-pass at 2 x thump_hz, times g(t), at
//           -10 dB re the thump's RMS: takes the pitch out of it (a thud rather than a drum);
//   click   seeded white noise decaying with a 0.5 ms time constant through a 2nd-order Butterworth low-pass at
//           2.5 kHz (a muffled tick, no crack), its peak click_db re the thump's peak;
//   the sum faded out by a half cosine over the last quarter, so it ends at exactly zero at duration_s.
// Level: peak_db_spl is the unweighted peak sound pressure level (20 lg(p_peak / 20 uPa)). Under the
// calibration (a full-scale sine, peak 1.0, is full_scale_db_spl RMS) a digital peak of 1.0 is
// full_scale_db_spl + 3.01 dB peak SPL, so the pop's largest |sample| is 10^((peak - full_scale - 3.01) / 20).
// Its energy lies almost all below 500 Hz (measured in tests/analytic/test_tinnitus.cpp).
// Triggers are scheduled at a sample offset counted from the first sample of the next process() call (carried
// over to later blocks); up to kMaxVoices pops overlap (a trigger beyond that replaces the oldest). The event's
// sample is the pop's first sample (non-zero); output is identical whatever the block sizes.
// Block-processor contract (earshot/core/processor.hpp): process(in, out) writes in + the pops into out, the same
// pops added to every channel (one generator per distinct ear); latency_samples() = 0. trigger_at(), process()
// and reset() are noexcept and do not allocate.
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/calibration.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"

namespace earshot {

struct PopParams {
    double peak_db_spl = 110.0;  ///< unweighted peak SPL, [0, 150] dB SPL
    double duration_s = 0.06;    ///< [0.02, 0.2] s; the pop is exactly zero from here on
    double thump_hz = 60.0;      ///< [30, 120] Hz
    double click_db = -20.0;     ///< click peak re thump peak, [-60, 0] dB
    std::uint64_t seed = 1;
};

/// Throws ConfigError "<where>.<field>: <value> is out of range [min, max] <unit>" (one line).
void validate(const PopParams& params, std::string_view where = "pop");

class PopGenerator {
public:
    static constexpr std::size_t kMaxVoices = 8;

    PopGenerator() = default;  ///< the default PopParams
    /// Throws ConfigError for parameters out of range (validate(params)).
    PopGenerator(const PopParams& params, Calibration calibration);
    /// May allocate and throw (sample_rate_hz in [8000, 192000]; any block size): computes the waveform.
    void prepare(const ProcessSpec& spec);

    void trigger_at(std::size_t offset) noexcept;  ///< a pop starts offset samples into the next process()
    /// out = in + the pops, every channel (in may equal out).
    void process(AudioView<const float> in, AudioView<float> out) noexcept;
    std::size_t latency_samples() const noexcept { return 0; }
    void reset() noexcept;                         ///< silent, nothing pending
    bool active() const noexcept;                  ///< a pop is sounding or pending

    /// One pop as add_to() renders it (calibrated digital samples).
    std::span<const float> waveform() const noexcept { return wave_; }
    /// Digital peak |sample| of the pop.
    double peak_amplitude() const noexcept { return peak_amp_; }

private:
    static constexpr std::size_t kIdle = std::numeric_limits<std::size_t>::max();
    void add_to(float* out, std::size_t n) noexcept;  // adds n samples into out (mono)
    struct Voice {
        std::size_t wait = kIdle;  // samples until the pop starts; kIdle: unused
        std::size_t pos = 0;       // samples of the pop already played
    };
    PopParams params_;
    Calibration calibration_;
    std::vector<float> wave_;
    double peak_amp_ = 0.0;
    std::array<Voice, kMaxVoices> voices_{};
};
static_assert(BlockProcessor<PopGenerator>);

}  // namespace earshot
