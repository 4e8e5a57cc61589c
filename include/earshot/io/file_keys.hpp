#pragma once
// The key tables of the listener and scene file formats (earshot/core/key_spec.hpp), as the readers accept
// them and as docs/listener-files.md and docs/scene-files.md list them (tests/unit/test_param_tables.cpp
// fails when a docs table and the code's table differ). The implant keys: earshot/implant/implant_names.hpp.
#include <span>

#include "earshot/core/key_spec.hpp"

namespace earshot {

/// docs/scene-files.md: top level, [[keyframe]], its transition and ear tables, [[tinnitus]], [[pop]],
/// [[pov]], [[body]].
std::span<const KeyTable> scene_key_tables();
/// docs/listener-files.md: the earshot schema's top level and ear tables (air/bone audiogram, devices).
std::span<const KeyTable> listener_key_tables();

}  // namespace earshot
