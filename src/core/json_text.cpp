#include "json_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <vector>

namespace earshot::detail {

using json = nlohmann::json;

namespace {

// 1-based line and column of byte `byte` (nlohmann counts bytes read, 1 past the offending one).
std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t byte) {
    std::size_t line = 1, col = 1;
    const std::size_t end = std::min<std::size_t>(byte > 0 ? byte - 1 : 0, text.size());
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') line += 1, col = 1;
        else ++col;
    }
    return {line, col};
}

}  // namespace

std::string json_message(const json::exception& e) {
    std::string what = e.what();
    if (what.rfind("[json.exception.", 0) == 0)
        if (const auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    // "parse error at line 1, column 2: syntax error ..." -> "syntax error ..." (the place is given in front).
    if (what.rfind("parse error", 0) == 0)
        if (const auto p = what.find("column"); p != std::string::npos)
            if (const auto q = what.find(": ", p); q != std::string::npos) what = what.substr(q + 2);
    return printable(what);
}

json parse_json_text(std::string_view text, std::string_view file_in) {
    const std::string file = printable(file_in);
    // Keys seen in each open object (duplicate keys), one set per nesting level.
    std::vector<std::set<std::string>> keys;
    const json::parser_callback_t cb = [&](int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start:
                if (depth >= kMaxJsonDepth)
                    throw ConfigError(fmt::format("{}: nested more than {} arrays/objects deep (accepted: at most {})", file,
                                                  kMaxJsonDepth, kMaxJsonDepth));
                if (event == json::parse_event_t::object_start) keys.emplace_back();
                break;
            case json::parse_event_t::object_end:
                if (!keys.empty()) keys.pop_back();
                break;
            case json::parse_event_t::key:
                if (!keys.empty() && parsed.is_string() && !keys.back().insert(parsed.get<std::string>()).second)
                    throw ConfigError(fmt::format("{}: key '{}' is given twice in one object (give each key once)", file,
                                                  printable(parsed.get<std::string>())));
                break;
            default: break;
        }
        return true;
    };
    try {
        return json::parse(text, cb);
    } catch (const json::parse_error& e) {
        const auto [line, col] = line_col(text, e.byte);
        throw IoError(fmt::format("{}:{}:{}: JSON parse error: {}", file, line, col, json_message(e)));
    } catch (const json::out_of_range& e) {
        // 406: a number beyond the range of a double ("1e999").
        throw ConfigError(fmt::format("{}: JSON number out of range: {} (accepted: finite numbers, |x| < 1.8e308)", file,
                                      json_message(e)));
    } catch (const json::exception& e) {
        throw IoError(fmt::format("{}: JSON error: {}", file, json_message(e)));
    }
}

}  // namespace earshot::detail
