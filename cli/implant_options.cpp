#include "implant_options.hpp"

#include "earshot/io/io_names.hpp"

namespace earshot::cli {

LevelMeasure parse_level_measure(const std::string& s) { return names::level_measure.from_name(s, "--level-measure"); }

}  // namespace earshot::cli
