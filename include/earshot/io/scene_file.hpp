#pragma once
// Scene files (TOML, documented in docs/scene-files.md). Every error is one line naming the file, the line
// and the key, and the accepted range: "story.toml:12: keyframe 2: severity: 3 is out of range [0, 2]".
// Listener and implant files named in a scene are found relative to the scene file.
#include <filesystem>
#include <string_view>

#include "earshot/scene/scene.hpp"

namespace earshot {

/// Reads and validates a scene file; throws IoError (unreadable, TOML syntax) or ConfigError (content).
Scene read_scene_file(const std::filesystem::path& path);
/// Parses scene TOML text; `file_name` names it in messages and is the base of relative paths.
Scene parse_scene_toml(std::string_view text, std::string_view file_name);

}  // namespace earshot
