#include "toml_json.hpp"

#include <fmt/format.h>

#include "earshot/core/error.hpp"

namespace earshot::detail {

using json = nlohmann::json;

json toml_to_json(const toml::node& node, std::string_view file, const std::string& key_path) {
    if (const auto* t = node.as_table()) {
        json obj = json::object();
        for (auto&& [k, v] : *t) {
            const std::string key(k.str());
            obj[key] = toml_to_json(v, file, key_path.empty() ? key : key_path + "." + key);
        }
        return obj;
    }
    if (const auto* a = node.as_array()) {
        json arr = json::array();
        for (auto&& el : *a) arr.push_back(toml_to_json(el, file, key_path));
        return arr;
    }
    if (const auto* v = node.as_integer()) return static_cast<double>(v->get());
    if (const auto* v = node.as_floating_point()) return v->get();
    if (const auto* v = node.as_string()) return v->get();
    if (const auto* v = node.as_boolean()) return v->get();
    throw ConfigError(fmt::format("{}:{}: {}: dates and times are not accepted here", file, node.source().begin.line, key_path));
}

json parse_toml_text(std::string_view text, std::string_view file) {
    try {
        const toml::table tbl = toml::parse(text, file);
        return toml_to_json(tbl, file);
    } catch (const toml::parse_error& e) {
        throw IoError(fmt::format("{}:{}:{}: TOML parse error: {}", file, e.source().begin.line, e.source().begin.column,
                                  e.description()));
    }
}

}  // namespace earshot::detail
