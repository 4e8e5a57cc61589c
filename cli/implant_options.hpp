#pragma once
// Options shared by the commands that take an implant (render, electrodogram).
#include <string>

#include "earshot/core/calibration.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/render.hpp"

namespace earshot::cli {

/// "active" or "rms" (throws ConfigError naming --level-measure).
LevelMeasure parse_level_measure(const std::string& s);

}  // namespace earshot::cli
