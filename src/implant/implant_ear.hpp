#pragma once
// Internal (not installed): one implanted ear, mono, streaming - the per-channel state of ImplantProcessor
// (earshot/implant/implant_processor.hpp documents the model). latency_s() is the exact (fractional) delay the
// processor rounds to its latency_samples(); it is kept here for the processor, not in the public interface.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "earshot/core/calibration.hpp"
#include "earshot/dsp/delay_line.hpp"
#include "earshot/dsp/resampler.hpp"
#include "earshot/implant/auraliser.hpp"
#include "earshot/implant/coding_strategy.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot {

class ImplantEar {
public:
    ImplantEar(ImplantParams params, Calibration calibration);  ///< validates; throws ConfigError
    ~ImplantEar();

    void prepare(double sample_rate_hz, std::size_t max_block_frames);  ///< allocates; rate 16..96 kHz
    void process(const float* in, float* out, std::size_t n) noexcept;  ///< mono, in may equal out
    void reset() noexcept;
    /// Whole samples from an input event to the middle of its sound (see latency_s()).
    std::size_t latency_samples() const noexcept { return latency_samples_; }
    /// The exact delay in seconds (ImplantProcessor::latency_samples() lists its parts).
    double latency_s() const noexcept { return latency_s_; }

    const ImplantParams& params() const noexcept { return p_; }
    const CodingStrategy& strategy() const noexcept { return *strategy_; }
    const AuralisationParams& auralisation() const noexcept { return aural_params_; }
    /// The strategy's input gain: digital scale -> the toolbox scale (full-scale sine = 95 dB SPL).
    double input_gain() const noexcept { return gain_in_; }
    /// A new calibration (between blocks): the input gain as the constructor computes it.
    void set_calibration(const Calibration& calibration) noexcept;
    /// 0 = the original sound, 1 = the implant sound only; ramps over the next block. Real-time safe.
    void set_intensity(double intensity) noexcept { intensity_ = float(intensity < 0 ? 0 : intensity > 1 ? 1 : intensity); }
    float intensity() const noexcept { return intensity_; }

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

}  // namespace earshot
