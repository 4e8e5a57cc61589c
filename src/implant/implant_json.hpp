#pragma once
// Private: implant keys from an already-parsed JSON value (an object of keys, or a string naming a preset
// or an implant JSON file). Used by the implant file reader and the listener file reader.
#include <nlohmann/json.hpp>

#include <string_view>

#include "earshot/implant/implant_params.hpp"

namespace earshot::detail {

ImplantParams implant_from_json(const nlohmann::json& j, std::string_view where);

}  // namespace earshot::detail
