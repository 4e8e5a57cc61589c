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
// process() is real-time safe: no allocation, locks, I/O or exceptions.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/process_spec.hpp"
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

    /// Allocates and prepares every state (may take a moment: one listener model per state).
    void prepare(const ProcessSpec& spec);
    /// in: the outside sound (spec.num_channels); body: the body bus (same channels, or null for none); out may
    /// alias in. Blocks up to spec.max_block_frames.
    /// inside (optional, same shape as out): also receives the inside bus alone (before the POV mix), for figures.
    void process(AudioView<const float> in, const AudioView<const float>* body, AudioView<float> out,
                 const AudioView<float>* inside = nullptr) noexcept;
    void reset() noexcept;
    std::size_t latency_samples() const noexcept;

    std::size_t num_states() const noexcept;           ///< keyframes + intermediate states
    const std::vector<std::string>& notes() const noexcept;        ///< warnings of the listener models, one line each
    const std::vector<std::string>& transitions() const noexcept;  ///< how each transition is rendered, one line each

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace earshot
