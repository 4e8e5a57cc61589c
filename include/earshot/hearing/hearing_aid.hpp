#pragma once
// A linear hearing aid for the acoustic ear of a bimodal listener (or any aided ear): the NAL-R prescription
// (Byrne & Dillon 1986) from the ear's air-conduction audiogram, realised as a minimum-phase FIR at the
// running rate and applied before the hearing-loss model.
//   X = 0.05 (H500 + H1000 + H2000);  G(f) = X + 0.31 H(f) + k(f),  gains below 0 dB set to 0
//   k: 250 Hz -17, 500 -8, 750 -3, 1000 +1, 1500 +1, 2000 -1, 3000 -2, 4000 -2, 6000 -2, 8000 -2 dB
// Gain cap (earshot's, not part of NAL-R): every band's insertion gain is limited to kNalRMaxGainDb = 40 dB,
// and the realised filter is scaled so that its gain nowhere exceeds it either. NAL-R was derived for mild to
// severe losses; on a severe-to-profound audiogram the formula asks for 45-50 dB (N7: 48.8 dB at 1 kHz), which
// a linear model applied to a full-scale recording turns into +30..+40 dBFS peaks. 40 dB is the order of a
// power behind-the-ear aid's full-on insertion gain. A render that the aid still drives above full scale
// warns (src/io/render.cpp).
// No compression, no NAL-RP profound-loss correction, no feedback or noise reduction: an approximation.
// Block-processor contract (earshot/core/processor.hpp): every channel gets the same filter (one aid per ear:
// one instance per audiogram); latency_samples() is the convolver's, 0 at any block size.
#include <cstddef>
#include <utility>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/dsp/partitioned_convolver.hpp"
#include "earshot/hearing/audiogram.hpp"

namespace earshot {

enum class HearingAidRule { none, nal_r };

inline constexpr double kNalRMaxGainDb = 40.0;  ///< insertion-gain cap per band and overall, dB

/// NAL-R insertion gain in dB at freq_hz, each prescription point capped at kNalRMaxGainDb (interpolated in log frequency between the prescription points).
double nal_r_gain_db(const Audiogram& air, double freq_hz);

class HearingAid {
public:
    explicit HearingAid(Audiogram air) : air_(std::move(air)) {}  ///< the aided ear's air-conduction audiogram
    void prepare(const ProcessSpec& spec);  ///< allocates; designs the filter at spec.sample_rate_hz
    void process(AudioView<const float> in, AudioView<float> out) noexcept;  ///< in may equal out
    void reset() noexcept;
    std::size_t latency_samples() const noexcept { return conv_.empty() ? 0 : conv_.front().latency_samples(); }
    /// The realised filter's gain in dB at freq_hz (for tests and reports).
    double realised_gain_db(double freq_hz) const;
    /// The realised filter's largest gain from 50 Hz to 0.45 fs, dB (<= kNalRMaxGainDb).
    double max_gain_db() const noexcept { return max_gain_db_; }

private:
    Audiogram air_;
    std::vector<PartitionedConvolver> conv_;  // [channel]
    std::vector<float> taps_;
    double fs_ = 0;
    double max_gain_db_ = 0;
};
static_assert(BlockProcessor<HearingAid>);

}  // namespace earshot
