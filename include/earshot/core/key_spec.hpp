#pragma once
// The keys of a description file as data: one row per key with its value type, unit, numeric range (a
// ParamSpec, where one range applies) or accepted names (an EnumSpec), and one line of help. File readers
// refuse keys not in their table; the docs' key tables are checked against these tables
// (tests/unit/test_param_tables.cpp); the engine, Python and the plugin reuse them. Plain data in core: no
// file format is named here.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/core/enum_spec.hpp"
#include "earshot/core/param.hpp"

namespace earshot {

/// A value's type as the docs' "type" column writes it.
enum class ValueKind { string, number, integer, boolean, numbers, integers, number_or_numbers, number_or_none, string_or_table, table, tables };

inline constexpr EnumSpec<ValueKind, 11> value_kind_names{"type", {{
    {ValueKind::string, "string", "text"},
    {ValueKind::number, "number", "a finite number"},
    {ValueKind::integer, "integer", "a whole number"},
    {ValueKind::boolean, "boolean", "true or false"},
    {ValueKind::numbers, "numbers", "an array of numbers"},
    {ValueKind::integers, "integers", "an array of whole numbers"},
    {ValueKind::number_or_numbers, "number or one per electrode", "one number, or an array of one per electrode"},
    {ValueKind::number_or_none, "number or `\"none\"`", "a number, or the string \"none\""},
    {ValueKind::string_or_table, "string or table", "a name or file (string), or a table of keys"},
    {ValueKind::table, "table", "a table (an object in JSON)"},
    {ValueKind::tables, "array of tables", "an array of tables ([[name]] in TOML)"},
}}};

struct KeySpec {
    std::string_view key;
    ValueKind kind;
    std::string_view unit;              ///< printed unit, "" if none
    const ParamSpec* range = nullptr;   ///< the one numeric range of the key, where the reader checks one
    std::vector<std::string> (*choices)() = nullptr;  ///< the accepted names of a string key that is an enum
    std::string_view help = {};
};

/// The names of an EnumSpec as a KeySpec::choices function: choices_of<names::strategy>.
template <const auto& Spec>
std::vector<std::string> choices_of() { return Spec.names(); }

/// One table of a file format: its name as the docs' heading writes it, and its keys.
struct KeyTable {
    std::string_view doc;      ///< the format's page, e.g. "docs/scene-files.md"
    std::string_view heading;  ///< e.g. "`[[tinnitus]]`" (a heading of `doc`; its section, up to the next heading of that level, lists the keys)
    std::span<const KeySpec> keys;
};

/// The keys of one table, for "unknown key" messages and checks.
inline std::vector<std::string_view> key_names(std::span<const KeySpec> keys) {
    std::vector<std::string_view> out;
    for (const auto& k : keys) out.push_back(k.key);
    return out;
}
inline const KeySpec* find_key(std::span<const KeySpec> keys, std::string_view key) {
    for (const auto& k : keys)
        if (k.key == key) return &k;
    return nullptr;
}

}  // namespace earshot
