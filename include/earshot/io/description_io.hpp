#pragma once
// Filling a Description (engine/description.hpp) from names, as the CLI flags, Python and plugin presets give
// them: a listener preset id or listener file (io/listener_file.hpp), an implant preset or implant JSON file
// (implant/implant_params.hpp), a scene file (io/scene_file.hpp). The engine layer never reads files; this is
// the files layer's half. Errors are one line naming the flag and the file (ConfigError / IoError).
#include <string_view>

#include "earshot/engine/description.hpp"

namespace earshot {

/// Sets d.listener, d.implant->params and d.scene from names (empty: left as they are). Checked in this order:
/// a scene beside a listener or implant (refused), the scene file, something to simulate at all, the listener,
/// the implant. An implant name creates d.implant (both ears) when it is unset.
void resolve_names(Description& d, std::string_view listener, std::string_view implant, std::string_view scene);

}  // namespace earshot
