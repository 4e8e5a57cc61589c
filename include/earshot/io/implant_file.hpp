#pragma once
// Implant files: the implant JSON reader and writer (docs/implant-files.md). The parameters themselves, the
// presets and their validation are in the implant layer (earshot/implant/implant_params.hpp); reading and
// writing JSON is the files layer's (nlohmann-json stays out of the DSP target).
#include <filesystem>
#include <string>
#include <string_view>

#include "earshot/implant/implant_params.hpp"

namespace earshot {

/// Parses implant JSON text (an object of the keys in docs/implant-files.md; a "preset" key picks the base,
/// else the nucleus-ace preset). Unknown keys, wrong types and out-of-range values throw ConfigError
/// "<where>: <key>: ..." (with the line for syntax errors).
ImplantParams parse_implant_json(std::string_view text, std::string_view where);
/// As above for the text of the implant file `file`: an implant file it names (the whole file a JSON string,
/// "other.json") is found relative to `file`'s folder.
ImplantParams parse_implant_json(std::string_view text, std::string_view where, const std::filesystem::path& file);
/// A preset id, or the path of an implant JSON file, read safely (earshot/core/text_file.hpp: regular files
/// only, at most 16 MiB; references resolved relative to it, cycles and chains deeper than 8 refused naming
/// the chain). IoError if unreadable, ConfigError for its content.
ImplantParams load_implant(std::string_view preset_or_file);
/// The parameters as implant JSON (every key; round-trips through parse_implant_json).
std::string implant_to_json(const ImplantParams& p);

}  // namespace earshot
