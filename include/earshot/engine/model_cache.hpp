#pragma once
// Built engines kept for reuse across the files of a batch: set-up (filter design, smearing matrices, the
// implant's tables) is paid once per (description, stream) and worker instead of once per file. A hit is the
// cached Engine after reset() -- by Engine's contract the state right after prepare() -- and, for a listener
// model, Engine::recalibrate() with this file's calibration (a file presented at its own level has its own
// full-scale level; the calibration's only effect is the models' input gain, set exactly as when built), so
// a file rendered with a cached engine is bit-identical to one rendered with a fresh engine
// (tests/cli/test_cli_batch.cpp checks it for listeners, implants, EAS, scenes and several rates). Scenes are
// kept per calibration (their models are built while they play).
// The caller names the description by a key (equal keys: equal descriptions apart from the measured level,
// e.g. the render's parameters as text); the cache adds the ProcessSpec (and a scene's calibration).
// Least recently used first out beyond `capacity`. One cache per thread: not thread-safe, and an engine
// handed out is in use until the next call.
#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>

#include "earshot/core/process_spec.hpp"
#include "earshot/engine/description.hpp"
#include "earshot/engine/engine.hpp"

namespace earshot {

class ModelCache {
public:
    explicit ModelCache(std::size_t capacity = 4) : capacity_(capacity < 1 ? 1 : capacity) {}
    /// The engine for `description` (with its calibration resolved: a present-at level needs its measured level)
    /// prepared for `spec`: reset() on a hit, built and prepared on a miss (throws as Engine and prepare do).
    Engine& engine(std::string_view key, const Description& description, const ProcessSpec& spec);
    std::size_t builds() const noexcept { return builds_; }
    std::size_t hits() const noexcept { return hits_; }

private:
    struct Entry {
        std::string key;
        std::unique_ptr<Engine> engine;
    };
    std::size_t capacity_;
    std::list<Entry> entries_;  // front: most recently used
    std::size_t builds_ = 0, hits_ = 0;
};

}  // namespace earshot
