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

std::string json_message(const nlohmann::detail::exception& e) {
    std::string what = e.what();
    if (what.rfind("[json.exception.", 0) == 0)
        if (const auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    // "parse error at line 1, column 2: syntax error ..." -> "syntax error ..." (the place is given in front).
    if (what.rfind("parse error", 0) == 0)
        if (const auto p = what.find("column"); p != std::string::npos)
            if (const auto q = what.find(": ", p); q != std::string::npos) what = what.substr(q + 2);
    return printable(what);
}

namespace {

// A first pass over the text that builds nothing: it bounds the nesting, finds keys given twice in one
// object and turns syntax errors and number overflow into one line with the line and column. (nlohmann's
// callback parser is not used for this: it rescans the parent array at every object end, quadratic in the
// number of objects.) The second pass, json::parse, then only sees text that parses within the bounds.
class CheckingSax {
public:
    CheckingSax(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(json::number_integer_t) { return true; }
    bool number_unsigned(json::number_unsigned_t) { return true; }
    bool number_float(json::number_float_t, const json::string_t&) { return true; }
    bool string(json::string_t&) { return true; }
    bool binary(json::binary_t&) { return true; }
    bool start_object(std::size_t) {
        open();
        keys_.emplace_back();
        return true;
    }
    bool key(json::string_t& k) {
        if (!keys_.back().insert(k).second)
            throw ConfigError(fmt::format("{}: key '{}' is given twice in one object (give each key once)", file_, k));
        return true;
    }
    bool end_object() {
        keys_.pop_back();
        --depth_;
        return true;
    }
    bool start_array(std::size_t) {
        open();
        return true;
    }
    bool end_array() {
        --depth_;
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
        if (e.id == 406)  // a number beyond the range of a double ("1e999")
            throw ConfigError(fmt::format("{}: JSON number out of range: {} (accepted: finite numbers, |x| < 1.8e308)", file_,
                                          json_message(e)));
        const auto [line, col] = line_col(text_, position);
        throw IoError(fmt::format("{}:{}:{}: JSON parse error: {}", file_, line, col, json_message(e)));
    }

private:
    void open() {
        if (++depth_ > kMaxJsonDepth)
            throw ConfigError(fmt::format("{}: nested more than {} arrays/objects deep (accepted: at most {})", file_,
                                          kMaxJsonDepth, kMaxJsonDepth));
    }
    std::string_view text_;
    std::string file_;
    int depth_ = 0;
    std::vector<std::set<std::string>> keys_;
};

}  // namespace

json parse_json_text(std::string_view text, std::string_view file_in) {
    const std::string file = printable(file_in);
    CheckingSax sax(text, file);
    try {
        json::sax_parse(text, &sax);
        return json::parse(text);
    } catch (const json::exception& e) {  // not expected after the first pass; still one line
        throw IoError(fmt::format("{}: JSON error: {}", file, json_message(e)));
    }
}

}  // namespace earshot::detail
