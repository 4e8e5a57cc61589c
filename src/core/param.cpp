#include "earshot/core/param.hpp"

#include <fmt/format.h>

#include <cmath>

#include "earshot/core/error.hpp"

namespace earshot {

std::string ParamSpec::flag() const {
    std::string f = "--";
    for (char c : id) f += (c == '_') ? '-' : c;
    return f;
}

double ParamSpec::check(double value, std::string_view where) const {
    if (!std::isfinite(value) || value < min_value || value > max_value) {
        throw ConfigError(fmt::format("{}: {} is out of range [{}, {}] {}", where.empty() ? flag() : std::string(where),
                                      value, min_value, max_value, unit));
    }
    return value;
}

}  // namespace earshot
