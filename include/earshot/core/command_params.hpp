#pragma once
// Ranges of the commands' own numeric options, each written once (earshot/core/param.hpp's ParamSpec), so
// that no numeric option of any front end has a range typed beside its flag: the CLI adds them with
// cli::add_param/add_count (cli/param_option.hpp), whose only numeric overloads take a ParamSpec, and
// tests/cli/test_cli_help.cpp checks every range `--help` prints against these tables. The model's own
// parameters are in earshot/core/param.hpp, the streaming ones in earshot/core/stream_params.hpp.
#include <span>

#include "earshot/core/param.hpp"

namespace earshot::params {

inline constexpr ParamSpec jobs{"jobs", "files", 1.0, 1024.0, 0.0, "files rendered in parallel (default: all cores)"};
inline constexpr ParamSpec plot_start_s{"plot_start_s", "s", 0.0, 86400.0, 0.0, "plot window start"};
inline constexpr ParamSpec plot_end_s{"plot_end_s", "s", 0.0, 86400.0, 0.0, "plot window end (0 = end of file)"};
/// render's --seed (Python's seed=): whole numbers a double holds exactly.
inline constexpr ParamSpec seed{"seed", "", 0.0, 9007199254740992.0, 0.0,
    "the implants' auralisation seed (default: each implant's own)"};
inline constexpr ParamSpec max_delay_s{"max_delay_s", "s", 0.0, 60.0, 1.0, "search DEG's delay within +-S seconds"};

}  // namespace earshot::params
