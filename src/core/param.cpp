#include "earshot/core/param.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "earshot/core/error.hpp"

namespace earshot {

std::string ParamSpec::flag() const {
    std::string f = "--";
    for (char c : id) f += (c == '_') ? '-' : c;
    return f;
}

bool ParamSpec::contains(double value) const noexcept {
    return std::isfinite(value) && value >= min_value && value <= max_value;
}

std::string ParamSpec::out_of_range(double value) const {
    return fmt::format("{} is out of range [{}, {}]{}{}", value, min_value, max_value, unit.empty() ? "" : " ", unit);
}

double ParamSpec::check(double value, std::string_view where) const {
    if (!contains(value)) throw ConfigError(fmt::format("{}: {}", where.empty() ? flag() : std::string(where), out_of_range(value)));
    return value;
}

double full_scale_for_level(double level_db_spl, double file_level_dbfs, std::string_view file) {
    const ParamSpec& lv = params::level_db_spl;
    const ParamSpec& fs = params::full_scale_db_spl;
    lv.check(level_db_spl);
    const double full_scale = level_db_spl - file_level_dbfs;
    if (std::isfinite(full_scale) && full_scale >= fs.min_value && full_scale <= fs.max_value) return full_scale;
    const double lo = std::max(lv.min_value, fs.min_value + file_level_dbfs);
    const double hi = std::min(lv.max_value, fs.max_value + file_level_dbfs);
    if (!(lo <= hi))
        throw ConfigError(fmt::format("{}: {}: the file's level ({:.1f} dBFS) leaves no presentation level in range; "
                                      "use {} in [{}, {}] {} instead",
                                      lv.flag(), file, file_level_dbfs, fs.flag(), fs.min_value, fs.max_value, fs.unit));
    throw ConfigError(fmt::format("{}: {} {} is out of range [{:.1f}, {:.1f}] {} for {} (its level is {:.1f} dBFS; "
                                  "0 dBFS must lie within [{}, {}] {})",
                                  lv.flag(), level_db_spl, lv.unit, lo, hi, lv.unit, file, file_level_dbfs,
                                  fs.min_value, fs.max_value, fs.unit));
}

}  // namespace earshot
