#pragma once
// One implanted ear, streaming: what the listener hears through the implant, at the host's rate.
//   input (host rate, digital scale) -> calibration to the strategy's scale (a full-scale sine = 95 dB SPL)
//   -> resampler to the strategy's audio rate -> coding strategy, one frame per hop -> pulses (timed on the
//   stream; envelope carriers: a frame's slots at the frame's time, an idle slot for each electrode n-of-m
//   dropped) -> auraliser at the host rate -> back to the input's digital scale -> mix with the original by
//   `intensity` (the original delayed by the latency, so the mix is aligned).
// Block-processor contract (earshot/core/processor.hpp): process() and reset() are real-time safe (no allocation,
// locks, I/O or exceptions). Every channel is an independent ear with the same implant and calibration.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/calibration.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/implant/auraliser.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot {

class ImplantEar;  // one channel (internal: src/implant/implant_ear.hpp)

/// N channels, each an independent implanted ear with the same parameters (one instance per distinct ear).
class ImplantProcessor {
public:
    ImplantProcessor(ImplantParams params, Calibration calibration);  ///< validates; throws ConfigError
    ~ImplantProcessor();
    ImplantProcessor(ImplantProcessor&&) noexcept;
    ImplantProcessor& operator=(ImplantProcessor&&) noexcept;

    /// Allocates; sample rate 16..96 kHz, num_channels >= 1 (each channel its own ear state).
    void prepare(const ProcessSpec& spec);
    /// Planar, spec.num_channels channels; in may equal out.
    void process(AudioView<const float> in, AudioView<float> out) noexcept;
    void reset() noexcept;
    /// A new calibration between blocks (no allocation): the input gain as the constructor computes it, so the
    /// output is bit-identical to a processor built with `calibration`.
    void set_calibration(const Calibration& calibration) noexcept;
    /// Whole host-rate samples from an input event to the middle of its sound: resampler + one host sample +
    /// analysis delay (from the hop's end back to its centre; CIS: the slowest band's, the others' pulses
    /// rendered later by the difference) + half a frame of hold (envelope carriers, which render every slot of
    /// a frame at the frame's time; pulse carriers instead keep the interleaved slots and count the mean one,
    /// (S - 1)/2 periods) + the auraliser's synthesis delay, rounded to the nearest sample. Each band's sound
    /// comes out after this latency (tests/analytic/test_alignment_implant.cpp).
    std::size_t latency_samples() const noexcept;

    const ImplantParams& params() const noexcept;
    const CodingStrategy& strategy() const noexcept;          ///< channel 0's (all channels are alike)
    const AuralisationParams& auralisation() const noexcept;
    /// The strategy's input gain: digital scale -> the toolbox scale (full-scale sine = 95 dB SPL).
    double input_gain() const noexcept;
    /// 0 = the original sound, 1 = the implant sound only; ramps over the next block, every channel. Real-time safe.
    void set_intensity(double intensity) noexcept;
    /// Output gain that makes a flat stimulus as loud as the flat sound it stands for (set in prepare()).
    double output_gain() const noexcept;

private:
    ImplantParams params_;
    Calibration cal_;
    std::vector<std::unique_ptr<ImplantEar>> ears_;  // [channel]; one exists from construction on
};
static_assert(BlockProcessor<ImplantProcessor>);

/// Offline: the electrodogram of a whole (mono) signal at any rate, calibrated as the processor does.
Electrodogram electrodogram_of(const ImplantParams& params, const std::vector<float>& x, double sample_rate_hz,
                               const Calibration& calibration);

}  // namespace earshot
