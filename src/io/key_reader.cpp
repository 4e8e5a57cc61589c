#include "key_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "earshot/core/did_you_mean.hpp"

namespace earshot::detail {

int KeyReader::line(std::string_view key) const noexcept {
    for (const Member& m : t_->members)
        if (m.key == key) return m.line > 0 ? m.line : m.value.line;
    return line();
}

void KeyReader::fail(std::string_view key, std::string message) const {
    throw KeyError(src_->file, line(key), path(key), std::move(message));
}

void KeyReader::fail_here(std::string message) const { throw KeyError(src_->file, line(), path_, std::move(message)); }

void KeyReader::only(std::span<const KeySpec> keys, std::string_view see) const {
    const auto names = key_names(keys);
    only(std::span<const std::string_view>(names), see);
}

void KeyReader::only(std::span<const std::string_view> keys, std::string_view see) const {
    std::vector<std::string> unknown;
    int first_line = 0;
    for (const Member& m : t_->members)
        if (std::find(keys.begin(), keys.end(), m.key) == keys.end()) {
            if (unknown.empty()) first_line = m.line > 0 ? m.line : m.value.line;
            unknown.push_back("'" + m.key + "'");
        }
    if (unknown.empty()) return;
    std::string hint;
    if (unknown.size() == 1) {
        const std::string name = unknown.front().substr(1, unknown.front().size() - 2);
        if (const auto n = nearest(name, std::vector<std::string>(keys.begin(), keys.end()))) hint = fmt::format("; did you mean {}?", *n);
    }
    const std::string accepted = see.empty() ? fmt::format("accepted: {}", fmt::join(keys, ", ")) : fmt::format("see {}", see);
    throw KeyError(src_->file, first_line > 0 ? first_line : line(), path_,
                   fmt::format("unknown key{} {} ({}){}", unknown.size() > 1 ? "s" : "", fmt::join(unknown, ", "), accepted, hint));
}

double KeyReader::as_number(const Node& n, std::string_view key, std::string_view what) const {
    if (!n.is_number()) {
        throw KeyError(src_->file, n.line > 0 ? n.line : line(key), path(key),
                       fmt::format("{}expected a number, got {}", what, type_of(n)));
    }
    return n.number;
}

std::optional<double> KeyReader::number(std::string_view key) const {
    const Node* n = get(key);
    if (!n) return std::nullopt;
    return as_number(*n, key, "");
}

std::optional<double> KeyReader::number(std::string_view key, const ParamSpec& range) const {
    const auto v = number(key);
    if (v && !range.contains(*v)) fail(key, range.out_of_range(*v));
    return v;
}

std::optional<int> KeyReader::integer(std::string_view key) const {
    const auto v = number(key);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v) || std::fabs(*v) > 1e6) fail(key, fmt::format("{} is not a whole number", *v));
    return static_cast<int>(*v);
}

std::optional<int> KeyReader::integer(std::string_view key, const ParamSpec& range) const {
    const auto v = number(key);
    if (!v) return std::nullopt;
    if (!range.contains(*v)) fail(key, range.out_of_range(*v));
    if (*v != std::floor(*v)) fail(key, fmt::format("{} is not a whole number", *v));
    return static_cast<int>(*v);
}

std::optional<std::vector<double>> KeyReader::numbers(std::string_view key, bool or_one) const {
    const Node* n = get(key);
    if (!n) return std::nullopt;
    if (or_one && n->is_number()) return std::vector<double>{n->number};
    if (!n->is_array())
        fail(key, fmt::format("expected {}an array of numbers, got {}", or_one ? "a number or " : "", type_of(*n)));
    std::vector<double> out;
    out.reserve(n->items.size());
    for (std::size_t i = 0; i < n->items.size(); ++i) out.push_back(as_number(n->items[i], key, fmt::format("value {}: ", i + 1)));
    return out;
}

std::optional<std::vector<int>> KeyReader::integers(std::string_view key, bool or_one) const {
    const auto v = numbers(key, or_one);
    if (!v) return std::nullopt;
    std::vector<int> out;
    for (double d : *v) {
        if (std::fabs(d) > 1e6) fail(key, fmt::format("{} is out of range [-1e6, 1e6]", d));
        if (d != std::floor(d)) fail(key, fmt::format("{} is not a whole number", d));
        out.push_back(static_cast<int>(d));
    }
    return out;
}

std::optional<std::string> KeyReader::string(std::string_view key) const {
    const Node* n = get(key);
    if (!n) return std::nullopt;
    if (!n->is_string()) fail(key, fmt::format("expected a string, got {}", type_of(*n)));
    return n->string;
}

std::optional<bool> KeyReader::boolean(std::string_view key) const {
    const Node* n = get(key);
    if (!n) return std::nullopt;
    if (!n->is_boolean()) fail(key, fmt::format("expected true or false, got {}", type_of(*n)));
    return n->boolean;
}

std::optional<KeyReader> KeyReader::table(std::string_view key) const {
    const Node* n = get(key);
    if (!n) return std::nullopt;
    if (!n->is_table()) fail(key, fmt::format("expected {}, got {}", table_word(), type_of(*n)));
    return KeyReader(*src_, *n, path(key));
}

std::vector<KeyReader> KeyReader::tables(std::string_view key) const {
    std::vector<KeyReader> out;
    const Node* n = get(key);
    if (!n) return out;
    const bool all_tables = n->is_array() && !n->items.empty() &&
                            std::all_of(n->items.begin(), n->items.end(), [](const Node& e) { return e.is_table(); });
    if (!all_tables) fail(key, fmt::format("expected [[{}]] tables, got {}", key, type_of(*n)));
    for (std::size_t i = 0; i < n->items.size(); ++i) out.emplace_back(*src_, n->items[i], fmt::format("{}[{}]", path(key), i + 1));
    return out;
}

}  // namespace earshot::detail
