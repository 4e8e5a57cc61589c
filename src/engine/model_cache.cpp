#include "earshot/engine/model_cache.hpp"

#include <fmt/format.h>

namespace earshot {

Engine& ModelCache::engine(std::string_view key, const Description& description, const ProcessSpec& spec) {
    const Calibration cal = resolve_calibration(description.calibration, "input");
    // A listener model takes another calibration in place (Engine::recalibrate); a scene's models are built
    // while it plays, so a scene is kept per calibration.
    const std::string full = description.scene
                                 ? fmt::format("{}\n{:a} {:a} {} {}", key, cal.full_scale_db_spl, spec.sample_rate_hz,
                                               spec.max_block_frames, spec.num_channels)
                                 : fmt::format("{}\n{:a} {} {}", key, spec.sample_rate_hz, spec.max_block_frames,
                                               spec.num_channels);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->key != full) continue;
        entries_.splice(entries_.begin(), entries_, it);
        Engine& e = *entries_.front().engine;
        if (!description.scene && !e.recalibrate(cal)) break;  // not expected: build afresh below
        e.set_body(nullptr);
        e.set_inside_tap(nullptr);
        e.reset();
        ++hits_;
        return e;
    }
    std::erase_if(entries_, [&](const Entry& x) { return x.key == full; });
    auto e = std::make_unique<Engine>(description);
    e->prepare(spec);
    entries_.push_front({full, std::move(e)});
    while (entries_.size() > capacity_) entries_.pop_back();
    ++builds_;
    return *entries_.front().engine;
}

}  // namespace earshot
