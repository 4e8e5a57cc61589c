#pragma once
// HearingLoss: the MSBG-equivalent hearing-loss model as a causal block processor, at any rate
// 16..96 kHz, any number of channels (each channel is rendered through one ear's audiogram).
//
// Model (Moore, Stone, Baer & Glasberg simulator as described in docs/model.md; re-derived, not ported):
//   calibration -> conductive attenuation -> outer/middle-ear filter -> Baer & Moore spectral smearing
//   -> 4th-order gammatone filterbank broadened with the degree of loss -> envelope expansion
//   (recruitment, ER = 105 / (105 - HL), identity at 105 dB SPL) -> recombination -> inverse ear
//   filter and phase correction (one FIR that makes the linear path linear phase, so that the output
//   is aligned with the input; docs/model.md "Latency and alignment") -> 18 kHz low-pass -> back to the
//   input's digital scale.
// Real-time contract: see earshot/core/processor.hpp.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/core/calibration.hpp"
#include "earshot/hearing/listener.hpp"

namespace earshot {

/// Where the sound reaches the listener from (selects the outer-ear transfer function):
/// free field (frontal), diffuse field, ear reference point (ITU-T P.58, e.g. a telephone or
/// headphone-equalised recording), or already at the eardrum (no head/outer-ear correction).
enum class SoundField { free_field = 0, diffuse_field = 1, ear_reference_point = 2, eardrum = 3 };

/// How broadening and smearing follow the loss: MSBG's discrete classes (default, comparable with
/// MSBG; mean HL 2-8 kHz > 15 mild, > 35 moderate, > 56 severe) or continuously (no jump at 35/56 dB).
enum class LossDegree { classes, continuous };

struct HearingLossOptions {
    SoundField field = SoundField::free_field;
    LossDegree degree = LossDegree::classes;
    bool smearing = true;    ///< Baer & Moore spectral smearing (when the degree of loss calls for it)
    /// How far each channel's recruitment gain may look ahead to cancel the causal envelope filter's lag
    /// (MSBG filters envelopes forwards and backwards, i.e. with no lag). More look-ahead = more latency
    /// for the low channels; 5 ms keeps MSBG's band levels within 1.5 dB (docs/model.md).
    double envelope_lookahead_ms = 5.0;
    std::optional<Ear> ear;  ///< render every channel through this ear; default: channel 0 left,
                             ///< 1 right, then alternating
};

struct HearingLossConfig {
    Listener listener;
    Calibration calibration;
    HearingLossOptions options;
};

class HearingLoss {
public:
    explicit HearingLoss(HearingLossConfig config);  ///< validates; throws ConfigError
    ~HearingLoss();
    HearingLoss(HearingLoss&&) noexcept;
    HearingLoss& operator=(HearingLoss&&) noexcept;

    void prepare(const ProcessSpec& spec);  ///< throws ConfigError for a rate outside 16..96 kHz
    void process(AudioView<const float> in, AudioView<float> out) noexcept;
    void reset() noexcept;
    /// Samples (at the prepared rate) by which the output lags the input: the peak of the built linear
    /// path's impulse response, plus the smearing frame and the FIR's partition.
    std::size_t latency_samples() const noexcept;

    const HearingLossConfig& config() const noexcept;
    /// A new calibration for the prepared model, between blocks (not while process() runs; it does not
    /// allocate): the calibration's one effect, the input gain g_in, computed as prepare() computes it, so the
    /// output is bit-identical to a model built with `calibration` (a batch reuses one model across files
    /// presented at their own levels: engine/model_cache.hpp). Throws ConfigError outside
    /// params::full_scale_db_spl's range.
    void set_calibration(const Calibration& calibration);
    /// One-line notes from set-up, e.g. thresholds clamped below the 105 dB catch-up level.
    const std::vector<std::string>& warnings() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};
static_assert(BlockProcessor<HearingLoss>);

/// An upper bound on a model's latency_samples() and the warnings its prepare() gives, found without building
/// it: the filterbank and envelope filters are designed (the channels' common delay), the phase-correcting FIR
/// and the smearing matrix are not (its length, frame and partition bound the rest). About 1 ms instead of the
/// model's 20-150 ms; what a scene pads its states to (scene_player.hpp). Throws what the model would (ConfigError).
struct LatencyBound {
    std::size_t samples = 0;
    std::vector<std::string> warnings;
};
LatencyBound hearing_loss_latency_bound(const HearingLossConfig& config, double sample_rate_hz, std::size_t num_channels);

}  // namespace earshot
