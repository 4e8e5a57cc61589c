#pragma once
// The engine: a Description (engine/description.hpp) compiled into a model, itself a BlockProcessor
// (core/processor.hpp), for any description: a listener (ListenerProcessor: hearing loss, implants, EAS,
// bimodal, hearing aid) or a scene (ScenePlayer). The one processor every front end drives; render_file
// (io/render.hpp) and render_offline (engine/offline.hpp) are loops over it.
//
// Signal flow per block (times in samples at the prepared rate; L = latency_samples()):
//   model(s)   the current model, delayed by L - its own latency (so every model lines up at L);
//              during a change two models: out = (1 - f) old + f new
//   pov        out = pov x out + (1 - pov) x (the input delayed by L)        [only when pov != 1]
//   gain       out *= 10^(output_gain_db / 20)                               [only when != 0 dB]
// Side inputs (set before process(), from the audio thread): the body bus (scenes; scaled by body_gain_db) and
// the inside tap (receives the model's output before pov and gain; a scene's inside bus).
//
// Changes while running (issue 9):
//  * set(description), control thread: composes and validates at once (throws ConfigError, nothing changes),
//    then builds and prepares the new model off the audio thread -- in maintain(), coalesced: while a model is
//    waiting to be taken over or fading in, further descriptions replace the waiting one (latest wins, never
//    more than one build per change the audio thread takes over). The model is handed over lock-free (one atomic
//    pointer, single producer / single consumer), as an immutable snapshot of the description.
//  * the audio thread takes a waiting model over at a block start, runs it unheard for warmup_s (its filters
//    and envelopes settle; a new scene's timeline starts at the take-over), then crossfades over crossfade_s
//    with the raised-cosine amplitude-complementary pair f = 0.5 - 0.5 cos(pi x), 1 - f (the gains sum to 1:
//    the same sound through two similar models keeps its level; the slopes are continuous at both ends);
//  * the model faded out is handed back through a second atomic pointer and freed by the control thread in
//    maintain()/set(); the audio thread never allocates, frees, locks or waits;
//  * set_controls(): the continuous controls (Controls: output gain, pov, body gain, implant intensity) change
//    without a rebuild, as linear ramps over control_ramp_s (implant intensity: per block, ImplantProcessor).
//    Severity and every other field change the model's structure: set() (crossfaded).
// Threads: process()/reset()/set_body()/set_inside_tap() on the audio thread; set(), set_controls(), maintain()
// on one control thread; prepare() with neither running, reset() not while maintain() runs (a scene's reset
// and its prepare_ahead must not overlap: ScenePlayer). Offline (one thread): call maintain() between blocks
// (a scene builds the states due next in it: ScenePlayer::prepare_ahead()).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/engine/description.hpp"

namespace earshot {

struct EngineOptions {
    double crossfade_s = 0.03;    ///< 0.001..10 s: a description change fades over this time
    double warmup_s = 0.05;       ///< 0..10 s: a new model runs unheard this long before its fade
    double control_ramp_s = 0.02; ///< 0.001..10 s: continuous controls move linearly over this time
    /// The engine's latency (samples at the prepared rate), fixed for its life: every model is delayed to it.
    /// 0: the first description's model latency (set() then refuses models with a larger latency).
    std::size_t latency_samples = 0;
};

class Engine {
public:
    /// Composes and validates (ConfigError, one line); the model is built by prepare().
    explicit Engine(const Description& description, EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    void prepare(const ProcessSpec& spec);  ///< builds the model; throws ConfigError (rate, latency, ...)
    void process(AudioView<const float> in, AudioView<float> out) noexcept;
    void reset() noexcept;  ///< back to the state after prepare (a fade in progress completes at once)
    std::size_t latency_samples() const noexcept;

    /// Audio thread, before process(): the body bus for the next blocks (1 channel or the spec's; null: none).
    void set_body(const AudioView<const float>* body) noexcept;
    /// Audio thread, before process(): receives the inside bus (same shape as out; null: none).
    void set_inside_tap(const AudioView<float>* inside) noexcept;

    /// Control thread. Throws ConfigError (one line) for an invalid description; else the change is pending.
    /// Returns the description's generation (1, 2, ...; the constructor's is 0).
    std::uint64_t set(const Description& description);
    void set_controls(const Controls& controls);  ///< control thread; validated (one line)
    /// Control thread: builds a pending description's model when the audio thread can take it, frees retired
    /// models, and lets scenes build what they play next. Allocates; never blocks the audio thread.
    void maintain();
    /// Control thread: nothing pending, no fade in progress (the last set() is what is heard).
    bool settled() const noexcept;

    /// Offline hosts (one thread, between blocks, before reset()): the current model takes a new calibration in
    /// place, as if built with it (ListenerProcessor::set_calibration: bit-identical output). Only a listener model
    /// with nothing pending or fading: returns false (and changes nothing) for a scene or during a change.
    bool recalibrate(const Calibration& calibration);

    const Composition& composition() const noexcept;      ///< the last description set (control thread)
    const std::vector<std::string>& warnings() const noexcept;  ///< the first model's set-up notes
    /// The input sample (count since prepare/reset) at which the model now heard was taken over (0: the first).
    std::uint64_t model_start_sample() const noexcept;
    /// Any thread: the generation (set()'s return) of the model now heard (after its fade-in completed).
    std::uint64_t heard_generation() const noexcept;
    std::size_t builds() const noexcept;     ///< models built by maintain() for set() (the first not counted)
    std::size_t coalesced() const noexcept;  ///< descriptions replaced before they were built (latest wins)

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

static_assert(BlockProcessor<Engine>);

}  // namespace earshot
