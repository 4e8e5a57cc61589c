#pragma once
// A scene: hearing that changes over the time of an input (docs/scene-files.md). It is a timeline of
//  * keyframes: the listener state at a time (a listener with per-ear implants, implant on/off and
//    intensity, processor off, a severity macro), each reached from the previous one by a transition
//    (a duration ending at the keyframe's time, and a curve);
//  * events: tinnitus (tone, narrowband noise, ring-out) and the "pop" of a sudden onset;
//  * a point-of-view mix between "inside" (the simulated listener) and "outside" (the unprocessed input);
//  * the gain of the body bus, a second input (breathing, heartbeat, contact microphones) mixed after the
//    simulation, so the hearing loss never removes it.
// Times are seconds from the start of the input. Every element keeps the line of the scene file it came
// from, so a renderer can name it in messages ("scene.toml:12: keyframe 2: ...").
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/core/param.hpp"
#include "earshot/hearing/listener.hpp"
#include "earshot/scene/tinnitus.hpp"

namespace earshot {

/// How a change proceeds over its duration; x runs 0 -> 1 over the duration.
enum class Curve {
    linear,    ///< x
    ease_in,   ///< x^2: starts slowly
    ease_out,  ///< 1 - (1 - x)^2: starts fast
    smooth,    ///< (1 - cos(pi x)) / 2: slow at both ends
    step,      ///< 0 until the end of the duration, then 1 (a cut exactly at the end time)
};

/// "linear", "ease_in", "ease_out", "smooth", "step".
std::string_view curve_name(Curve c) noexcept;
/// The curve with this name, or nullopt.
std::optional<Curve> curve_from_name(std::string_view name) noexcept;
/// Every curve name, comma separated (for messages and docs).
std::string_view curve_names() noexcept;
/// The curve at x (clamped to [0, 1]; NaN counts as 0): monotone, 0 at 0, 1 at 1.
double curve_value(Curve c, double x01) noexcept;

/// Which ear(s) an event or an ear table applies to.
enum class EarSel { left, right, both };
std::string_view ear_sel_name(EarSel e) noexcept;
/// Whether `sel` includes ear `e`.
constexpr bool includes(EarSel sel, Ear e) noexcept {
    return sel == EarSel::both || (sel == EarSel::left) == (e == Ear::left);
}

/// How a keyframe is reached from the previous one: the change runs over [time_s - duration_s, time_s].
struct Transition {
    double duration_s = 0.0;  ///< 0: the state changes at the keyframe's time
    Curve curve = Curve::linear;
};

/// The per-ear switches of a keyframe (the ear's hearing and implant are in Keyframe::listener).
struct EarState {
    bool implant_on = false;     ///< the ear's implant (Keyframe::listener's device) is switched on
    double intensity = 1.0;      ///< implant sound mix, 0 = the original sound .. 1 = the implant only
    bool processor_off = false;  ///< the ear hears nothing from outside (not even through its residual
                                 ///< hearing); the body bus is still heard. Not the same as a profound loss,
                                 ///< through which very loud sounds still pass.
};

/// The listener state at one time.
struct Keyframe {
    double time_s = 0.0;
    std::string listener_label;  ///< what the file named: preset id, listener file, "inline audiogram", ...
    Listener listener;           ///< audiograms as given (severity not applied) and implants per ear
    EarState left;
    EarState right;
    double severity = 1.0;                  ///< every dB HL is multiplied by this (0..2; 1 = as given)
    std::optional<Transition> transition;   ///< none on the first keyframe
    int line = 0;                           ///< of its [[keyframe]] header

    const EarState& ear(Ear e) const noexcept { return e == Ear::left ? left : right; }
};

/// "tone" (a sine at freq_hz), "narrowband_noise" (noise of bandwidth_hz around freq_hz), "ring_out" (a sine
/// whose level decays exponentially with time constant decay_s); TinnitusKind is the generator's (tinnitus.hpp).
std::string_view tinnitus_kind_name(TinnitusKind k) noexcept;

/// A phantom sound added after the simulation (it is heard, not filtered by the loss); the fields map onto the
/// generator's TinnitusParams (tinnitus.hpp), the start and end onto its start_at/stop_at.
struct TinnitusEvent {
    double start_s = 0.0;                     ///< the attack begins
    /// The release begins (silent release_s later); infinity: it sounds to the end of the input (a ring-out
    /// falls silent by itself once it has decayed by 120 dB).
    double end_s = std::numeric_limits<double>::infinity();
    TinnitusKind kind = TinnitusKind::tone;
    double freq_hz = 4000.0;
    double bandwidth_hz = 0.0;                ///< narrowband_noise only
    std::optional<double> level_db_spl;       ///< exactly one of the two levels is set
    std::optional<double> level_db_sl;        ///< dB above each ear's threshold at freq_hz in the state at start_s
    double attack_s = 0.05;                   ///< raised-cosine fade-in from start_s
    double release_s = 0.2;                   ///< raised-cosine fade-out from end_s
    double decay_s = 0.0;                     ///< ring_out only: amplitude e-folding time (8.686 dB per decay_s)
    EarSel ear = EarSel::both;
    int line = 0;
};

/// The "pop" of a sudden onset: a short low-frequency thump/click at time_s.
struct PopEvent {
    double time_s = 0.0;
    double level_db_spl = 100.0;  ///< peak sound pressure level (PopParams::peak_db_spl)
    EarSel ear = EarSel::both;
    int line = 0;
};

/// One point of an automation curve: the value reached at time_s, approached from the previous point
/// along `curve` (the first point's curve is unused).
struct AutomationPoint {
    double time_s = 0.0;
    double value = 0.0;
    Curve curve = Curve::linear;
    int line = 0;
};

/// The value of an automation at time_s: piecewise along each point's curve, constant before the first and
/// after the last point. Points must be strictly increasing in time; no points -> 0.
double automation_at(const std::vector<AutomationPoint>& points, double time_s) noexcept;

struct Scene {
    std::string name;                 ///< default: the file name without extension
    std::string description;
    std::optional<double> duration_s; ///< none: the input's length
    std::vector<Keyframe> keyframes;  ///< at least one; strictly increasing in time_s
    std::vector<TinnitusEvent> tinnitus;  ///< sorted by start_s
    std::vector<PopEvent> pops;           ///< sorted by time_s
    std::vector<AutomationPoint> pov;     ///< inside (1 = the listener, 0 = outside); none: 1 throughout
    std::vector<AutomationPoint> body_gain_db;  ///< body bus gain in dB; none: 0 dB throughout
    std::string file;                 ///< the scene file as given, for messages

    /// The latest time the scene names (keyframes, event starts and finite ends, automation points).
    double last_time_s() const noexcept;
};

/// Where a time falls among the keyframes: the state is from + weight (to - from), `from` being the last
/// keyframe at or before the time. weight is 0 until `to`'s transition starts, then its curve's value, reaching
/// 1 at `to`'s time (where the next span, from = to, begins); no transition: 0 until that time (a cut). Before
/// the first keyframe from == to == 0 (weight 0); from the last one on from == to (weight 1). Indices into
/// Scene::keyframes.
struct KeyframeSpan {
    std::size_t from = 0;
    std::size_t to = 0;
    double weight = 0.0;
};
/// A scene without keyframes gives {0, 0, 0}.
KeyframeSpan span_at(const Scene& scene, double time_s) noexcept;

/// POV mix at a time (1 = inside, 0 = outside), 1 when the scene has no POV automation.
double pov_inside_at(const Scene& scene, double time_s) noexcept;
/// Body bus gain in dB at a time, 0 when the scene has no body automation.
double body_gain_db_at(const Scene& scene, double time_s) noexcept;

/// The listener a keyframe's state describes, for a ListenerProcessor: severity applied to every air and bone
/// threshold (clamped to [-10, 120] dB HL), switched-off implants removed (the ear hears acoustically
/// through its audiogram), each implant's intensity set from the ear state. processor_off is not
/// representable in a Listener: a renderer mutes that ear's outside sound.
Listener keyframe_listener(const Keyframe& k);

/// Caps on the work a scene file may ask for (docs/scene-files.md, "Limits"). Far beyond any real scene (a
/// keyframe a second for close to three hours; a hundred tinnitus tones and pops at the same instant), they keep
/// a hostile or generated file from asking for hours of set-up or gigabytes of memory.
namespace scene_limits {
inline constexpr std::size_t max_keyframes = 10000;
inline constexpr std::size_t max_events = 1000000;       ///< tinnitus + pops
inline constexpr std::size_t max_sounding_events = 128;  ///< events sounding at the same time
/// A smooth transition is rendered through at most this many steps (intermediate states + 1); beyond it the
/// steps are simply more than 3 dB apart (not an error).
inline constexpr int max_transition_steps = 32;
}  // namespace scene_limits

/// When an event is heard, in seconds of input time: [start, end); end is +infinity for a tone or noise without
/// an end. A tinnitus ends release_s after end_s; a ring-out without an end falls silent 120 dB down
/// (attack_s + decay_s ln 10^6 after its start); a pop lasts PopParams{}.duration_s.
double sounding_end_s(const TinnitusEvent& e) noexcept;
double sounding_end_s(const PopEvent& e) noexcept;

/// Throws ConfigError, one line naming `file` (and the element's line), when the scene exceeds a cap of
/// scene_limits: more keyframes or events than allowed, or more events sounding at one time. Costs
/// O(E log E) for E events. Called by the scene reader and by ScenePlayer.
void check_scene_limits(const Scene& scene, const std::string& file);

/// Ranges of the scene-file values (docs/scene-files.md).
namespace scene_params {
inline constexpr ParamSpec time_s{"time_s", "s", 0.0, 86400.0, 0.0, "time from the start of the input"};
inline constexpr ParamSpec duration_s{"duration_s", "s", 0.001, 86400.0, 60.0, "length of the scene"};
inline constexpr ParamSpec transition_s{"duration_s", "s", 0.0, 86400.0, 0.0, "transition length"};
inline constexpr ParamSpec severity{"severity", "", 0.0, 2.0, 1.0, "scales every dB HL (1 = as given)"};
inline constexpr ParamSpec tinnitus_level_db_spl{"level_db_spl", "dB SPL", 0.0, 120.0, 40.0, "tinnitus level"};
inline constexpr ParamSpec tinnitus_level_db_sl{"level_db_sl", "dB SL", -10.0, 80.0, 10.0,
    "tinnitus level above the listener's threshold at freq_hz"};
inline constexpr ParamSpec event_freq_hz{"freq_hz", "Hz", 20.0, 20000.0, 4000.0, "tinnitus frequency"};
inline constexpr ParamSpec bandwidth_hz{"bandwidth_hz", "Hz", 10.0, 20000.0, 0.0,
    "narrowband noise width (at most freq_hz)"};
inline constexpr ParamSpec ramp_s{"ramp_s", "s", 0.0, 60.0, 0.05, "attack or release ramp"};
inline constexpr ParamSpec decay_s{"decay_s", "s", 0.001, 3600.0, 1.0, "ring-out decay time constant"};
inline constexpr ParamSpec pop_level_db_spl{"level_db_spl", "dB SPL", 0.0, 140.0, 100.0, "pop peak level"};
inline constexpr ParamSpec inside{"inside", "", 0.0, 1.0, 1.0, "POV mix: 1 = the listener, 0 = outside"};
inline constexpr ParamSpec body_gain_db{"gain_db", "dB", -120.0, 24.0, 0.0, "body bus gain"};
}  // namespace scene_params

}  // namespace earshot
