#include "param_option.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace earshot::cli {

namespace {

std::string range_text(double min, double max, std::string_view unit) {
    std::string r = fmt::format("[{}, {}]", min, max);
    if (!unit.empty()) r += fmt::format(" {}", unit);
    return r;
}

// The text as typed, with control characters escaped (it goes to a terminal, on one line), cut at 64.
std::string escaped(const std::string& s) {
    std::string out;
    for (unsigned char c : s.substr(0, 64)) {
        if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
        else out += static_cast<char>(c);
    }
    if (s.size() > 64) out += "...";
    return out;
}
std::string quote_value(const std::string& s) { return "'" + escaped(s) + "'"; }

// Walks argv through the subcommand names: the innermost subcommand named, and where its arguments start.
const CLI::App* innermost(const CLI::App& app, int argc, const char* const* argv, int* first_arg = nullptr) {
    const CLI::App* cur = &app;
    int i = 1;
    for (; i < argc; ++i) {
        const std::string tok = argv[i];
        if (tok.empty() || tok[0] == '-') break;
        const CLI::App* next = nullptr;
        for (const CLI::App* s : cur->get_subcommands([](const CLI::App*) { return true; }))
            if (s->check_name(tok)) next = s;
        if (!next) break;
        cur = next;
    }
    if (first_arg) *first_arg = i;
    return cur;
}

std::vector<std::string> option_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::Option* o : app.get_options([](const CLI::Option*) { return true; })) {
        for (const auto& l : o->get_lnames()) names.push_back("--" + l);
        for (const auto& s : o->get_snames()) names.push_back("-" + s);
    }
    return names;
}

bool is_negative_number(const std::string& s) {
    if (s.size() < 2 || s[0] != '-') return false;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return end && *end == '\0';
}

}  // namespace

std::string param_help(const ParamSpec& spec, bool show_default) {
    std::string h = fmt::format("{}; {}", spec.help, range_text(spec.min_value, spec.max_value, spec.unit));
    if (show_default) h += fmt::format(", default {}", spec.default_value);
    return h;
}

CLI::Validator number_in(double min, double max, std::string_view unit, bool integer_only) {
    const std::string range = range_text(min, max, unit);
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            const char* kind = integer_only ? "a whole number" : "a number";
            // strtod accepts leading blanks, "nan", "inf" and hex floats; only plain decimals are accepted.
            const bool plain = !text.empty() && text.find_first_not_of("0123456789+-.eE") == std::string::npos;
            if (!plain) return fmt::format("{} is not {}; accepted {}", quote_value(text), kind, range);
            errno = 0;
            char* end = nullptr;
            const double v = std::strtod(text.c_str(), &end);
            if (end != text.c_str() + text.size()) return fmt::format("{} is not {}; accepted {}", quote_value(text), kind, range);
            // a plain decimal from here on: printed as typed, unquoted, like ParamSpec::check's messages
            if (errno == ERANGE && std::fabs(v) > 1.0) return fmt::format("{} is out of range {}", text, range);
            if (!std::isfinite(v)) return fmt::format("{} is not {}; accepted {}", quote_value(text), kind, range);
            if (integer_only && v != std::floor(v)) return fmt::format("{} is not {}; accepted {}", quote_value(text), kind, range);
            if (v < min || v > max) return fmt::format("{} is out of range {}", text, range);
            if (integer_only && text.find_first_of(".eE") != std::string::npos) text = fmt::format("{}", v);
            return {};
        },
        range, "");
}

CLI::Option* add_param(CLI::App& app, const ParamSpec& spec, double& value, bool show_default) {
    return app.add_option(spec.flag(), value, param_help(spec, show_default))
        ->type_name("X")
        ->check(number_in(spec.min_value, spec.max_value, spec.unit));
}

CLI::Option* add_number(CLI::App& app, const ParamSpec& spec, double& value, const std::string& type_name, bool show_default) {
    return app.add_option(spec.flag(), value, param_help(spec, show_default))
        ->type_name(type_name)
        ->check(number_in(spec.min_value, spec.max_value, spec.unit));
}

CLI::Option* add_count(CLI::App& app, const ParamSpec& spec, std::size_t& value, const std::string& short_flag) {
    const std::string flags = short_flag.empty() ? spec.flag() : spec.flag() + "," + short_flag;
    return app.add_option(flags, value, fmt::format("{}; {}", spec.help, range_text(spec.min_value, spec.max_value, spec.unit)))
        ->type_name("N")
        ->check(number_in(spec.min_value, spec.max_value, spec.unit, true));
}

std::string command_path(const CLI::App& app, int argc, const char* const* argv) {
    std::string path;
    for (const CLI::App* a = innermost(app, argc, argv); a; a = a->get_parent())
        path = path.empty() ? a->get_name() : a->get_name() + " " + path;
    return path;
}

std::optional<std::string> unknown_subcommand(const CLI::App& app, int argc, const char* const* argv) {
    int i = 0;
    const CLI::App* cur = innermost(app, argc, argv, &i);
    const auto subs = cur->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty() || i >= argc) return std::nullopt;
    const std::string tok = argv[i];
    if (tok.empty() || tok[0] == '-') return std::nullopt;
    std::vector<std::string> names;
    for (const CLI::App* s : subs) names.push_back(s->get_name());
    const std::string where = command_path(app, argc, argv);
    std::string msg = fmt::format("unknown subcommand {}", escaped(tok));
    if (const auto n = nearest(tok, names)) msg += fmt::format("; did you mean {}?", *n);
    msg += fmt::format(" ({} has: {})", where, fmt::join(names, ", "));
    return msg;
}

std::optional<std::string> unknown_option(const CLI::App& app, int argc, const char* const* argv) {
    int first = 0;
    const CLI::App* cur = innermost(app, argc, argv, &first);
    std::vector<std::string> names = option_names(*cur);
    for (int i = first; i < argc; ++i) {
        std::string tok = argv[i];
        if (tok == "--") break;
        if (tok.size() < 2 || tok[0] != '-' || is_negative_number(tok)) continue;
        const std::string name = tok.substr(0, tok.find('='));
        if (std::find(names.begin(), names.end(), name) != names.end()) continue;
        // short options can be glued to their value (-j4) or to each other (-qj)
        if (name[1] != '-' && std::find(names.begin(), names.end(), name.substr(0, 2)) != names.end()) continue;
        std::string msg = fmt::format("unknown option {}", escaped(name));
        if (const auto n = nearest(name, names)) msg += fmt::format("; did you mean {}?", *n);
        msg += fmt::format(" (see {} --help)", command_path(app, argc, argv));
        return msg;
    }
    return std::nullopt;
}

}  // namespace earshot::cli
