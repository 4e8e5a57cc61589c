#pragma once
// A Description: what to simulate, as plain data, the one form every front end fills (CLI flags, listener /
// implant / scene files through io/description_io.hpp, later Python keyword arguments and plugin parameters).
// compose() is the one place it is validated and turned into what the models are built from; its errors are
// one line naming the field (in the CLI flag form of params::*, core/param.hpp) and the accepted range.
//
// Composition rules (formerly in cli/cmd_render.cpp):
//  * a scene names its listeners: no listener or implant beside it; its default degree of loss is
//    continuous (broadening and smearing follow the audiogram smoothly through a transition);
//  * an implant alone: both ears deaf (preset sudden-profound) apart from the implant; an implant with a
//    listener: electric-acoustic (the ear's residual hearing stays), split at crossover_hz when given;
//  * the implant goes on the ears in ImplantFitting::ears (left/right: bimodal);
//  * a hearing aid (NAL-R) aids every acoustic ear without an implant;
//  * a mono input is heard by both ears when both_ears is set, or when the ears differ (a scene: when any
//    keyframe or event is ear-specific).
// Calibration (core/calibration.hpp): absolute (full_scale_db_spl, dB SPL of a 0 dBFS sine), or "present
// at L dB SPL" (present_at_db_spl) from the input's measured level: MSBG's active level (10 ms frames within
// 12 dB of the overall RMS, all channels pooled) or the overall RMS (the Nucleus toolbox), in dBFS re a
// full-scale sine. The measurement itself is LevelMeter below; the engine never reads files.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/calibration.hpp"
#include "earshot/hearing/active_level.hpp"
#include "earshot/hearing/hearing_aid.hpp"
#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/hearing/listener.hpp"
#include "earshot/scene/scene.hpp"

namespace earshot {

struct ImplantParams;

enum class LevelMeasure { active, rms };

/// An implant and where it sits.
struct ImplantFitting {
    std::shared_ptr<const ImplantParams> params;  ///< a preset or an implant file, resolved (required)
    EarSel ears = EarSel::both;                   ///< left / right: bimodal with the other ear's hearing
    std::optional<double> intensity;              ///< params::intensity, 0..1; unset: the implant's own
    std::optional<double> crossover_hz;           ///< params::crossover_hz, 100..4000 Hz (needs a listener)
};

struct CalibrationSpec {
    double full_scale_db_spl = 100.0;          ///< params::full_scale_db_spl, 60..140 dB SPL; absolute calibration
    std::optional<double> present_at_db_spl;   ///< params::level_db_spl, 0..130 dB SPL; set: present the input at it
    LevelMeasure measure = LevelMeasure::active;
    /// The input's level (dBFS, by `measure`), needed with present_at_db_spl; filled by whoever has the input
    /// (render_file's first pass, render_offline, a host that knows its material).
    std::optional<double> measured_level_dbfs;
};

/// Continuous controls: changed while running without a rebuild (Engine::set smooths them).
struct Controls {
    double output_gain_db = 0.0;  ///< -60..+24 dB, applied after the model (before the limiter)
    /// Mix of the simulated (1) and the unprocessed input (0), delayed to the engine's latency; a scene's own
    /// point of view is applied inside the scene first.
    double pov = 1.0;
    double body_gain_db = 0.0;    ///< -60..+24 dB on the body side input (scenes)
    /// Implant intensity on every implanted ear (0..1), smoothed per block; unset: the description's. Not for
    /// scenes (their keyframes carry the intensities).
    std::optional<double> implant_intensity;
};

struct Description {
    /// The listener (a preset, a listener file or an inline audiogram with bone conduction, resolved: see
    /// io/description_io.hpp). Unset with an implant: deaf apart from the implant.
    std::optional<Listener> listener;
    std::optional<ImplantFitting> implant;
    HearingAidRule hearing_aid = HearingAidRule::none;
    std::shared_ptr<const Scene> scene;  ///< a scene (docs/scene-files.md); then no listener or implant
    CalibrationSpec calibration;
    SoundField field = SoundField::free_field;
    std::optional<LossDegree> degree;    ///< unset: classes, continuous for a scene
    bool smearing = true;
    std::optional<Ear> ear;              ///< every channel through this ear (a mono input stays mono)
    bool both_ears = false;              ///< a mono input is heard by both ears (stereo out)
    std::optional<double> limit_dbfs;    ///< params::limit_dbfs, -60..0 dBFS sample-peak ceiling; unset: none
    std::optional<std::uint64_t> seed;   ///< the implants' auralisation seed; unset: each implant's own
    Controls controls;
};

/// What compose() makes of a description: the data the models are built from.
struct Composition {
    Listener listener;                   ///< unused with a scene
    std::shared_ptr<const Scene> scene;
    HearingLossOptions hearing;
    bool mono_to_both_ears = false;      ///< a mono input is heard by both ears (stereo out)
    bool ears_differ = false;            ///< ...because the ears differ (render_file notes it)
    std::optional<double> limit_dbfs;
    Controls controls;
};

/// Validates `d` (one-line ConfigError naming the field and range) and applies the composition rules.
Composition compose(const Description& d);
/// The calibration of `spec`: absolute, or present_at_db_spl - measured_level_dbfs (full_scale_for_level's
/// range check, naming `input`). ConfigError when present_at is set without a measured level.
Calibration resolve_calibration(const CalibrationSpec& spec, std::string_view input);
/// Validates the continuous controls (one line naming the control and range).
void check_controls(const Controls& c);

/// The listener's two ears differ (audiograms or devices).
bool ears_differ(const Listener& listener) noexcept;

/// The input level for CalibrationSpec, streaming: add() blocks of any channel count (all channels pooled,
/// the same count every call), then level_dbfs(): MSBG's active level or the overall RMS, dBFS re a
/// full-scale sine; -inf for no signal.
class LevelMeter {
public:
    LevelMeter(double sample_rate_hz, LevelMeasure measure);
    void add(AudioView<const float> block);
    double level_dbfs() const;

private:
    LevelMeasure measure_;
    ActiveLevelMeter active_;
    double sum_sq_ = 0, count_ = 0;
};

}  // namespace earshot
