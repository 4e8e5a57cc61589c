#pragma once
// CLI flags generated from the ParamSpec table (earshot/core/param.hpp): the flag name, help text, range
// and default all come from the spec, never re-typed here. Every numeric option of earshot is parsed
// strictly here, while CLI11 parses the command line: the whole text must be a finite number inside the
// range (an integer for counts), so "", "nan", "inf", "1e400", "3x" and out-of-range values are refused
// with one line naming the option and its accepted range ("--level-db-spl: '1e400' is out of range
// [0, 130] dB SPL"). Unknown subcommands and options are answered with the nearest valid name.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/core/did_you_mean.hpp"
#include "earshot/core/enum_spec.hpp"
#include "earshot/core/command_params.hpp"
#include "earshot/core/param.hpp"

namespace earshot::cli {

/// "help; [min, max] unit, default d" for a spec.
std::string param_help(const ParamSpec& spec, bool show_default = true);

/// A CLI11 validator: the text must be a finite decimal number in [min, max] (with integer_only, a whole
/// number). Its message names the value as typed and the range with its unit.
CLI::Validator number_in(double min, double max, std::string_view unit, bool integer_only = false);

/// Adds --<spec id> storing into `value` (which should hold spec.default_value when it has a default).
CLI::Option* add_param(CLI::App& app, const ParamSpec& spec, double& value, bool show_default = true);
/// Adds --<spec id> as a number with the same strict parsing, with its own type name in the help ("S").
CLI::Option* add_number(CLI::App& app, const ParamSpec& spec, double& value, const std::string& type_name,
                        bool show_default = true);
/// Adds --<spec id> (and `short_flag`, e.g. "-j") as a count (a whole number in the spec's range).
CLI::Option* add_count(CLI::App& app, const ParamSpec& spec, std::size_t& value, const std::string& short_flag = "");
// There is no overload with a literal range: every numeric option's range is a ParamSpec in a table
// (earshot/core/param.hpp, stream_params.hpp, command_params.hpp).

/// Did-you-mean suggestions (earshot/core/did_you_mean.hpp), shared with the file readers.
using earshot::edit_distance;
using earshot::nearest;

/// A CLI11 validator for an enum option: the text must be one of spec's names, else
/// "'x' is not one of a, b, c[; did you mean b?]" (the table in earshot/core/enum_spec.hpp).
template <class E, std::size_t N>
CLI::Validator choice_of(const EnumSpec<E, N>& spec) {
    return CLI::Validator(
        [&spec](std::string& text) -> std::string { return spec.find(text) ? std::string() : spec.not_one_of(text); },
        "", "");
}
/// Adds an enum option storing the name into `value`; its type name in the help lists the accepted names.
template <class E, std::size_t N>
CLI::Option* add_choice(CLI::App& app, const std::string& flags, std::string& value, const EnumSpec<E, N>& spec,
                        const std::string& help) {
    return app.add_option(flags, value, help)
        ->type_name(spec.list("|"))
        ->check(choice_of(spec));
}

/// Before parsing: if argv names a subcommand that does not exist ("earshot rendr"), the one-line message
/// "unknown subcommand rendr; did you mean render? (earshot has: render, ...)"; otherwise nothing.
std::optional<std::string> unknown_subcommand(const CLI::App& app, int argc, const char* const* argv);
/// After CLI11 refused extra arguments: the first unknown option of the innermost subcommand named on the
/// command line, as "unknown option --levle-db-spl; did you mean --level-db-spl? (see earshot render --help)";
/// nothing if no option is unknown (an extra positional argument).
std::optional<std::string> unknown_option(const CLI::App& app, int argc, const char* const* argv);
/// "earshot render" for the innermost subcommand named on the command line ("earshot" if none).
std::string command_path(const CLI::App& app, int argc, const char* const* argv);

}  // namespace earshot::cli
