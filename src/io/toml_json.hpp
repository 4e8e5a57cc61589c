#pragma once
// Private: the one TOML -> JSON value-tree conversion of the file readers (listener files in TOML, the
// inline implant tables of scene files), so that one typed reader over nlohmann::json serves both formats.
// Integers become doubles (the readers check whole numbers themselves); dates and times are refused in one
// line "<file>:<line>: <key path>: dates and times are not accepted here".
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace earshot::detail {

nlohmann::json toml_to_json(const toml::node& node, std::string_view file, const std::string& key_path = {});

/// TOML text to a JSON tree; a syntax error is IoError "<file>:<line>:<column>: TOML parse error: <what>".
nlohmann::json parse_toml_text(std::string_view text, std::string_view file);

}  // namespace earshot::detail
