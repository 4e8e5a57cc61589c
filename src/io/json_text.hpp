#pragma once
// Private: JSON text to an nlohmann value tree for the batch sidecar reader (sidecar.cpp: earshot's own provenance
// record; the description files go through tree.hpp and key_reader.hpp), with every failure one line
// "<file>:<line>:<column>: JSON ...: <what>" (IoError for syntax, ConfigError for content):
//   - nesting deeper than kMaxJsonDepth arrays/objects is refused while parsing (the tree is never built,
//     so nothing recurses deeply on it afterwards);
//   - a key given twice in one object is refused (JSON leaves it undefined; nlohmann keeps the last silently);
//   - nlohmann's own exceptions (parse errors, number overflow [out_of_range.406], ...) are rephrased;
//   - bytes from the file in a message pass through printable().
// json_errors(file, f) runs f (which reads a parsed tree) and turns any nlohmann exception it lets out (a
// type error on a value the reader did not check) into one line naming the file.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "earshot/core/error.hpp"
#include "earshot/core/text_file.hpp"

namespace earshot::detail {

/// Deepest nesting of arrays and objects accepted in a JSON file (earshot's schemas need 3).
inline constexpr int kMaxJsonDepth = 64;

nlohmann::json parse_json_text(std::string_view text, std::string_view file);

/// nlohmann's message without its "[json.exception.type_error.302] " tag, made printable.
std::string json_message(const nlohmann::detail::exception& e);

template <class F>
auto json_errors(std::string_view file, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(fmt::format("{}: a value of the wrong type or out of range ({}; see the file format's page under docs/)",
                                      printable(file), json_message(e)));
    }
}

}  // namespace earshot::detail
