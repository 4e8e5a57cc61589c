#pragma once
// CLI flags generated from the ParamSpec table (earshot/core/param.hpp): the flag name, help text, range
// and default all come from the spec, never re-typed here. Every numeric option of earshot is parsed
// strictly here, while CLI11 parses the command line: the whole text must be a finite number inside the
// range (an integer for counts), so "", "nan", "inf", "1e400", "3x" and out-of-range values are refused
// with one line naming the option and its accepted range ("--level-db-spl: '1e400' is out of range
// [0, 130] dB SPL"). Unknown subcommands and options are answered with the nearest valid name.
#include <CLI/CLI.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/core/param.hpp"

namespace earshot::cli {

/// "help; [min, max] unit, default d" for a spec.
std::string param_help(const ParamSpec& spec, bool show_default = true);

/// A CLI11 validator: the text must be a finite decimal number in [min, max] (with integer_only, a whole
/// number). Its message names the value as typed and the range with its unit.
CLI::Validator number_in(double min, double max, std::string_view unit, bool integer_only = false);

/// Adds --<spec id> storing into `value` (which should hold spec.default_value when it has a default).
CLI::Option* add_param(CLI::App& app, const ParamSpec& spec, double& value, bool show_default = true);
/// Adds a numeric option (not in the ParamSpec table) with the same strict parsing.
CLI::Option* add_number(CLI::App& app, const std::string& flags, double& value, double min, double max,
                        std::string_view unit, const std::string& help, const std::string& type_name = "X");
/// Adds a count option (a whole number in [min, max]) with the same strict parsing.
CLI::Option* add_count(CLI::App& app, const std::string& flags, std::size_t& value, std::size_t min, std::size_t max,
                       std::string_view unit, const std::string& help, const std::string& type_name = "N");

/// Levenshtein distance (insertions, deletions, substitutions; transpositions count as 2).
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate nearest to `word` if close enough to be a plausible typo (distance <= max(2, |word|/3)).
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

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
