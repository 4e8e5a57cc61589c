#pragma once
// Private: implant keys from an already-parsed JSON value (an object of keys, or a string naming a preset
// or an implant JSON file, which is found relative to `referring_file`, the file that holds `j`; empty: the
// working directory). Used by the implant file reader and the listener file reader.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string_view>

#include "earshot/implant/implant_params.hpp"

namespace earshot::detail {

ImplantParams implant_from_json(const nlohmann::json& j, std::string_view where, const std::filesystem::path& referring_file);

}  // namespace earshot::detail
