#pragma once
// Plays a scene (docs/scene-files.md) over an input, streaming, through the same block processors as
// everything else: a ListenerProcessor per listener state, the tinnitus and pop generators, the body bus.
//
// States and transitions:
//  * every keyframe is a state (its listener with severity applied, implants on/off and intensities, and
//    which ears have their processor off);
//  * a transition between two keyframes of the same structure (the same devices per ear) is rendered as a
//    chain of intermediate states whose audiograms are interpolated in dB per frequency (and severity and
//    intensities with them), at most 3 dB apart, crossfaded one into the next along the transition's curve;
//  * a transition that changes the structure (implant switched on, processor off) is one crossfade;
//  * a state runs only while it is audible, started a warm-up (0.5 s) before it is heard, at a sample fixed
//    by the scene (so the output does not depend on the block size).
// Mix per output sample (times are input times; keyframes are exact to the sample):
//   inside  = sum over states of weight x ear gate x state output + tinnitus + pops + body gain x body
//   output  = pov x inside + (1 - pov) x outside        (everything delayed to one latency)
//
// Bounded cost (issue 8): a state's listener model exists only around the time it sounds. prepare() measures the
// latency on built models (one build of each distinct listener) for up to 4 distinct listeners; beyond, it builds
// no model to learn it (only those that sound in the first second): the scene's latency is an upper bound on every
// state's (listener_latency_bound(), ~1 ms per distinct listener: the filterbank designed, the FIR and smearing
// not) and each state, when built, is delayed from its own exact latency to it, so the output stays aligned (the
// bound's slack only adds latency, ~4000 samples at 44.1 kHz, compensated offline). prepare_ahead() -- not real-time: it allocates -- builds each state's model
// 1 s before its warm-up starts and frees the models of the states that have finished sounding; process()
// only runs the states already built and hands the finished ones back. Events (tinnitus, pops) are sorted by
// start; prepare_ahead() builds an event's generators 0.1 s before it starts into one of a fixed number of
// slots (as many as the scene ever needs at once, at most 1024; more is refused by prepare() with one line),
// process() runs only the events in slots, so a block costs the states and events sounding, not the scene's
// length. The renderer calls prepare_ahead() between blocks (the offline renderer before every block); a
// real-time host calls it from another thread: the hand-off is lock-free (one atomic stage per state and per
// event slot, single producer / single consumer), and reset() and prepare() must not run concurrently with it.
// A state or event that was not built in time is silent (or starts late) and counted by late(); it never
// blocks process().
// process() is real-time safe: no allocation, locks, I/O or exceptions.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/scene/scene.hpp"

namespace earshot {

struct ScenePlayerConfig {
    Scene scene;
    Calibration calibration;
    HearingLossOptions hearing;
};

class ScenePlayer {
public:
    explicit ScenePlayer(ScenePlayerConfig config);  ///< builds the states; throws ConfigError naming scene file:line
    ~ScenePlayer();
    ScenePlayer(ScenePlayer&&) noexcept;
    ScenePlayer& operator=(ScenePlayer&&) noexcept;

    /// Measures (up to 4 distinct listeners) or bounds the latency, validates the listeners and the events, allocates the event
    /// slots and builds what sounds in the first second (prepare_ahead()). Throws ConfigError, one line.
    void prepare(const ProcessSpec& spec);
    /// Builds the states and event generators due within the look-ahead of the current position and frees those
    /// that have finished. Allocates: call it between blocks (or from a worker thread), never inside process().
    void prepare_ahead();
    /// Side input: the body bus for the following process() calls (1 channel or spec.num_channels; null: none).
    /// The view (and what it points to) must stay valid until the next process(); set it before each block.
    void set_body(const AudioView<const float>* body) noexcept;
    /// Tap: receives the inside bus alone (before the POV mix; same shape as out; null: none), for figures.
    void set_inside_tap(const AudioView<float>* inside) noexcept;
    /// in: the outside sound (spec.num_channels); out may alias in. Blocks up to spec.max_block_frames.
    void process(AudioView<const float> in, AudioView<float> out) noexcept;
    /// The same as set_body(body); set_inside_tap(inside); process(in, out).
    void process(AudioView<const float> in, const AudioView<const float>* body, AudioView<float> out,
                 const AudioView<float>* inside = nullptr) noexcept;
    void reset() noexcept;
    std::size_t latency_samples() const noexcept;

    std::size_t num_states() const noexcept;           ///< keyframes + intermediate states
    std::size_t built_states() const noexcept;         ///< states whose model exists now
    std::size_t peak_built_states() const noexcept;    ///< the most that existed at once since prepare()
    std::size_t event_slots() const noexcept;          ///< event slots allocated by prepare()
    std::size_t peak_event_slots() const noexcept;     ///< the most in use at once since prepare()
    /// How often something due was not built (prepare_ahead() not called in time): one per block in which a state
    /// that should run had no model, one per event started late. 0 when prepare_ahead() runs before every block.
    std::size_t late() const noexcept;
    const std::vector<std::string>& notes() const noexcept;        ///< warnings of the listener models, one line each
    const std::vector<std::string>& transitions() const noexcept;  ///< how each transition is rendered, one line each

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    const AudioView<const float>* body_ = nullptr;
    const AudioView<float>* inside_ = nullptr;
};

static_assert(BlockProcessor<ScenePlayer>);

}  // namespace earshot
