#pragma once
// Enumerations described once: every value with the name files and the command line use for it and one
// line of help. from_name/to_name are the only string <-> value maps; file readers, the JSON writer, CLI
// choices and the docs' tables (checked by tests/unit/test_param_tables.cpp) all come from the table.
// Plain data in core (no file-format dependency): each layer defines the tables of its own enums beside
// them (earshot/implant/implant_names.hpp, earshot/hearing/hearing_names.hpp, earshot/scene/scene_names.hpp,
// earshot/io/io_names.hpp), and the engine, Python and the plugin reuse them.
//
// An unknown name is refused in one line with the accepted names and the nearest one if it is a plausible
// typo (earshot/core/did_you_mean.hpp): "<where>: 'vectr_sum' is not one of power_sum, vector_sum; did you
// mean vector_sum?".
#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/core/did_you_mean.hpp"
#include "earshot/core/error.hpp"

namespace earshot {

template <class E>
struct EnumName {
    E value;
    std::string_view name;  ///< as written in files and on the command line
    std::string_view help;  ///< one line
};

template <class E, std::size_t N>
struct EnumSpec {
    std::string_view id;  ///< the key or option it is read from, e.g. "strategy"
    std::array<EnumName<E>, N> values;

    /// The name of `e` (empty if `e` is not in the table, which a test rules out for every table).
    constexpr std::string_view to_name(E e) const {
        for (const auto& v : values)
            if (v.value == e) return v.name;
        return {};
    }
    constexpr std::optional<E> find(std::string_view name) const {
        for (const auto& v : values)
            if (v.name == name) return v.value;
        return std::nullopt;
    }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& v : values) out.emplace_back(v.name);
        return out;
    }
    /// "a, b, c" (or with another separator, "a|b|c").
    std::string list(std::string_view sep = ", ") const {
        std::string s;
        for (const auto& v : values) s += (s.empty() ? "" : std::string(sep)) + std::string(v.name);
        return s;
    }
    /// "; did you mean b?" when a name is near `name`, else "".
    std::string suggestion(std::string_view name) const {
        const auto n = nearest(name, names());
        return n ? fmt::format("; did you mean {}?", *n) : std::string();
    }
    /// "'x' is not one of a, b, c[; did you mean b?]"
    std::string not_one_of(std::string_view name) const {
        return fmt::format("'{}' is not one of {}{}", name, list(), suggestion(name));
    }
    /// The value named `name`, else ConfigError "<where>: 'x' is not one of a, b, c[; did you mean b?]".
    E from_name(std::string_view name, std::string_view where) const {
        if (const auto e = find(name)) return *e;
        throw ConfigError(fmt::format("{}: {}", where, not_one_of(name)));
    }
};

}  // namespace earshot
