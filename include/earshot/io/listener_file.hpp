#pragma once
// Listener files (documented in docs/listener-files.md): earshot's own TOML or JSON schema, and the
// Clarity/Cadenza listener JSON (audiogram_cfs, audiogram_levels_l, audiogram_levels_r), either one
// listener or a listeners file keyed by id ("FILE.json#ID" selects one).
#include <filesystem>
#include <string_view>

#include "earshot/hearing/listener.hpp"

namespace earshot {

/// Bone-conduction thresholds may exceed air-conduction ones by at most this much (test-retest and
/// calibration differences make small negative air-bone gaps normal; larger ones are an input error).
inline constexpr double kMaxBoneAboveAirDb = 10.0;

/// Reads and validates a listener file; throws IoError/ConfigError naming the file and field.
/// A path that does not exist but ends in "#ID" selects listener ID of a Clarity listeners file.
Listener read_listener_file(const std::filesystem::path& path);
/// Reads listener `listener_id` of a Clarity listeners file (empty id: the file's only listener).
Listener read_listener_file(const std::filesystem::path& path, std::string_view listener_id);
/// A preset id if it names one (normal, bisgaard:, iso7029:, noise-notch, sudden-profound), else a
/// listener file path (".json"/".toml", optionally with "#ID").
Listener resolve_listener(std::string_view preset_or_path);
/// The name is one resolve_listener() takes for a preset id (not a file): normal, sudden-profound, bisgaard:...,
/// iso7029[:...], noise-notch[:...].
bool is_listener_preset_id(std::string_view name);

}  // namespace earshot
