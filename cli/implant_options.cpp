#include "implant_options.hpp"

#include <fmt/format.h>

#include "earshot/core/error.hpp"

namespace earshot::cli {

LevelMeasure parse_level_measure(const std::string& s) {
    if (s == "active") return LevelMeasure::active;
    if (s == "rms") return LevelMeasure::rms;
    throw ConfigError(fmt::format("--level-measure: '{}' is not one of active, rms", s));
}

}  // namespace earshot::cli
