#pragma once
// Private: the one parsed tree of every description file format. TOML (toml++) and JSON (nlohmann's SAX
// parser) are both parsed into a Node tree that keeps the 1-based line of every value and every key, so
// that one typed reader (key_reader.hpp) serves listener, implant and scene files alike and every error can
// name {file, line, key path}. Numbers are doubles (the reader checks whole numbers itself; `integer` says
// whether the file wrote one). Failures are one line:
//   - syntax: IoError "<file>:<line>:<column>: TOML parse error: <what>" / "... JSON parse error: <what>";
//   - TOML dates and times: KeyError "<file>:<line>: <key path>: dates and times are not accepted here";
//   - JSON nesting deeper than kMaxDepth arrays/objects, a key given twice in one object, a number beyond
//     the range of a double: ConfigError naming the file (the tree is never built deeper than kMaxDepth, so
//     nothing recurses deeply on it afterwards).
// Bytes from the file in a message pass through printable().
#include <string>
#include <string_view>
#include <vector>

namespace earshot::detail {

/// Deepest nesting of arrays and objects accepted in a JSON file (earshot's schemas need 3).
inline constexpr int kMaxDepth = 64;

enum class Format { toml, json };

struct Member;

struct Node {
    enum class Type { null, boolean, number, string, array, table };
    Type type = Type::null;
    int line = 0;  ///< 1-based line of the value (0 if not known)
    bool boolean = false;
    double number = 0.0;
    bool integer = false;  ///< the file wrote a whole number without a fraction or exponent
    std::string string;
    std::vector<Node> items;      ///< an array's values
    std::vector<Member> members;  ///< a table's keys, in file order

    bool is_table() const noexcept { return type == Type::table; }
    bool is_array() const noexcept { return type == Type::array; }
    bool is_string() const noexcept { return type == Type::string; }
    bool is_number() const noexcept { return type == Type::number; }
    bool is_boolean() const noexcept { return type == Type::boolean; }
    /// The value of `key` in a table, nullptr if absent (or not a table).
    const Node* get(std::string_view key) const noexcept;
    bool contains(std::string_view key) const noexcept { return get(key) != nullptr; }
};

struct Member {
    std::string key;
    int line = 0;  ///< the key's line
    Node value;
};

/// "a number", "a string", "a boolean", "an array", "a table" (TOML) / "an object" (JSON), "null".
std::string type_name(const Node& n, Format f);

/// TOML text to a tree (the top level a table).
Node parse_toml_tree(std::string_view text, std::string_view file);
/// JSON text to a tree (any value at the top level).
Node parse_json_tree(std::string_view text, std::string_view file);

}  // namespace earshot::detail
