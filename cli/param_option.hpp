#pragma once
// CLI flags generated from the ParamSpec table (earshot/core/param.hpp): the flag name, help text, range
// and default all come from the spec, never re-typed here. Values are validated with spec.check() after
// parsing, so the message is the library's one-liner ("--level-db-spl: 200 is out of range [0, 130] dB SPL").
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <string>

#include "earshot/core/param.hpp"

namespace earshot::cli {

inline std::string param_help(const ParamSpec& spec, bool show_default = true) {
    std::string h = fmt::format("{}; [{}, {}] {}", spec.help, spec.min_value, spec.max_value, spec.unit);
    if (show_default) h += fmt::format(", default {}", spec.default_value);
    return h;
}

/// Adds --<spec id> storing into `value` (which should hold spec.default_value when it has a default).
inline CLI::Option* add_param(CLI::App& app, const ParamSpec& spec, double& value, bool show_default = true) {
    return app.add_option(spec.flag(), value, param_help(spec, show_default))->type_name("X");
}

}  // namespace earshot::cli
