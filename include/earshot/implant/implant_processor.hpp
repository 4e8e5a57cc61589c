#pragma once
// One implanted ear, streaming: what the listener hears through the implant, at the host's rate.
//   input (host rate, digital scale) -> calibration to the strategy's scale (a full-scale sine = 95 dB SPL)
//   -> resampler to the strategy's audio rate -> coding strategy, one frame per hop -> pulses (timed on the
//   stream; envelope carriers: a frame's slots at the frame's time, an idle slot for each electrode n-of-m
//   dropped) -> auraliser at the host rate -> back to the input's digital scale -> mix with the original by
//   `intensity` (the original delayed by the latency, so the mix is aligned).
// process() is real-time safe (no allocation, locks, I/O or exceptions). Mono: one instance per ear.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "earshot/dsp/delay_line.hpp"
#include "earshot/dsp/resampler.hpp"
#include "earshot/core/calibration.hpp"
#include "earshot/implant/auraliser.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot {

class ImplantProcessor {
public:
    ImplantProcessor(ImplantParams params, Calibration calibration);  ///< validates; throws ConfigError
    ~ImplantProcessor();

    void prepare(double sample_rate_hz, std::size_t max_block_frames);  ///< allocates; rate 16..96 kHz
    void process(const float* in, float* out, std::size_t n) noexcept;  ///< mono, in may equal out
    void reset() noexcept;
    /// Whole samples from an input event to the middle of its sound (see latency_s()).
    std::size_t latency_samples() const noexcept { return latency_samples_; }
    /// Resampler + one host sample + analysis delay (from the hop's end back to its centre; CIS: the slowest
    /// band's, the others' pulses rendered later by the difference) + half a frame of hold (envelope
    /// carriers, which render every slot of a frame at the frame's time; pulse carriers instead keep the
    /// interleaved slots and count the mean one, (S - 1)/2 periods) + the auraliser's synthesis delay, in
    /// seconds. Each band's sound comes out after this latency (tests/analytic/test_alignment_implant.cpp).
    double latency_s() const noexcept { return latency_s_; }

    const ImplantParams& params() const noexcept { return p_; }
    const CodingStrategy& strategy() const noexcept { return *strategy_; }
    const AuralisationParams& auralisation() const noexcept { return aural_params_; }
    /// The strategy's input gain: digital scale -> the toolbox scale (full-scale sine = 95 dB SPL).
    double input_gain() const noexcept { return gain_in_; }
    /// 0 = the original sound, 1 = the implant sound only; ramps over the next block. Real-time safe.
    void set_intensity(double intensity) noexcept { intensity_ = float(intensity < 0 ? 0 : intensity > 1 ? 1 : intensity); }

    /// Output gain that makes a flat stimulus as loud as the flat sound it stands for (set in prepare()).
    double output_gain() const noexcept { return out_gain_; }

private:
    double level_correction() const;
    ImplantParams p_;
    Calibration cal_;
    std::unique_ptr<CodingStrategy> strategy_;
    AuralisationParams aural_params_;
    Auraliser aural_;
    Resampler rs_;
    double fs_ = 0, fs_a_ = 0, gain_in_ = 1, period_s_ = 0, slot_spacing_s_ = 0, pulse_offset_s_ = 0, latency_s_ = 0;
    float intensity_ = 1, intensity_now_ = 1;
    double out_gain_ = 1;
    bool bypass_rs_ = false;
    std::size_t latency_samples_ = 0, max_block_ = 0, shift_ = 0, hop_fill_ = 0;
    std::int64_t host_pos_ = 0, hop_count_ = 0;
    std::vector<float> scaled_, rs_out_, hop_;
    DelayLine dry_;
    std::vector<PulseSlot> slots_;
    std::vector<double> electrode_lag_s_;  // per electrode (1-based): band delay shortfall, seconds
    std::vector<StimulusPulse> queue_;
    bool end_dropped_ = false;             // envelope carriers: idle slots end electrodes n-of-m dropped
    std::vector<char> pulsed_, pulsed_now_;  // per electrode (1-based): pulsed in the last / this frame
    std::size_t queue_size_ = 0;
};

/// Offline: the electrodogram of a whole (mono) signal at any rate, calibrated as the processor does.
Electrodogram electrodogram_of(const ImplantParams& params, const std::vector<float>& x, double sample_rate_hz,
                               const Calibration& calibration);

}  // namespace earshot
