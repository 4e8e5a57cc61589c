#pragma once
// A linear hearing aid for the acoustic ear of a bimodal listener (or any aided ear): the NAL-R prescription
// (Byrne & Dillon 1986) from the ear's air-conduction audiogram, realised as a minimum-phase FIR at the
// running rate and applied before the hearing-loss model.
//   X = 0.05 (H500 + H1000 + H2000);  G(f) = X + 0.31 H(f) + k(f),  gains below 0 dB set to 0
//   k: 250 Hz -17, 500 -8, 750 -3, 1000 +1, 1500 +1, 2000 -1, 3000 -2, 4000 -2, 6000 -2, 8000 -2 dB
// No compression, no NAL-RP profound-loss correction, no feedback or noise reduction: an approximation.
#include <cstddef>
#include <vector>

#include "earshot/dsp/partitioned_convolver.hpp"
#include "earshot/hearing/audiogram.hpp"

namespace earshot {

enum class HearingAidRule { none, nal_r };

/// NAL-R insertion gain in dB at freq_hz (interpolated in log frequency between the prescription points).
double nal_r_gain_db(const Audiogram& air, double freq_hz);

class HearingAid {
public:
    void prepare(const Audiogram& air, double sample_rate_hz, std::size_t max_block_frames);  ///< allocates
    void process(const float* in, float* out, std::size_t n) noexcept;                       ///< in may equal out
    void reset() noexcept;
    std::size_t latency_samples() const noexcept { return conv_.latency_samples(); }
    /// The realised filter's gain in dB at freq_hz (for tests and reports).
    double realised_gain_db(double freq_hz) const;

private:
    PartitionedConvolver conv_;
    std::vector<float> taps_;
    double fs_ = 0;
};

}  // namespace earshot
