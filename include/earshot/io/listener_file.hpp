#pragma once
// Listener files (documented in docs/listener-files.md): earshot's own TOML or JSON schema, and the
// Clarity/Cadenza listener JSON (audiogram_cfs, audiogram_levels_l, audiogram_levels_r).
#include <filesystem>
#include <string_view>

#include "earshot/hearing/listener.hpp"

namespace earshot {

/// Reads and validates a listener file; throws IoError/ConfigError naming the file and field.
Listener read_listener_file(const std::filesystem::path& path);
/// A preset id if it names one, else a listener file path (".json"/".toml").
Listener resolve_listener(std::string_view preset_or_path);

}  // namespace earshot
