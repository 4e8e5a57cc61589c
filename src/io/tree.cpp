#include "tree.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <iterator>
#include <set>

#include "earshot/core/error.hpp"
#include "earshot/core/key_error.hpp"

namespace earshot::detail {

const Node* Node::get(std::string_view key) const noexcept {
    for (const Member& m : members)
        if (m.key == key) return &m.value;
    return nullptr;
}

std::string type_name(const Node& n, Format f) {
    switch (n.type) {
        case Node::Type::number: return "a number";
        case Node::Type::string: return "a string";
        case Node::Type::boolean: return "a boolean";
        case Node::Type::array: return "an array";
        case Node::Type::table: return f == Format::toml ? "a table" : "an object";
        case Node::Type::null: break;
    }
    return "null";
}

// --- TOML ------------------------------------------------------------------------------------------------
namespace {

int line_of(const toml::source_region& s) { return static_cast<int>(s.begin.line); }

Node from_toml(const toml::node& node, std::string_view file, const std::string& key_path) {
    Node out;
    out.line = line_of(node.source());
    if (const auto* t = node.as_table()) {
        out.type = Node::Type::table;
        for (auto&& [k, v] : *t) {
            const std::string key(k.str());
            const int kl = line_of(k.source());
            out.members.push_back(Member{key, kl > 0 ? kl : line_of(v.source()),
                                         from_toml(v, file, key_path.empty() ? key : key_path + "." + key)});
        }
    } else if (const auto* a = node.as_array()) {
        out.type = Node::Type::array;
        std::size_t i = 0;
        for (auto&& el : *a) {  // the tables of an array of tables are "keyframe[1]", "keyframe[2]", ...
            ++i;
            out.items.push_back(from_toml(el, file, el.is_table() ? key_path + "[" + std::to_string(i) + "]" : key_path));
        }
    } else if (const auto* i = node.as_integer()) {
        out.type = Node::Type::number, out.number = static_cast<double>(i->get()), out.integer = true;
    } else if (const auto* f = node.as_floating_point()) {
        out.type = Node::Type::number, out.number = f->get();
    } else if (const auto* s = node.as_string()) {
        out.type = Node::Type::string, out.string = s->get();
    } else if (const auto* b = node.as_boolean()) {
        out.type = Node::Type::boolean, out.boolean = b->get();
    } else {
        throw KeyError(std::string(file), out.line, key_path, "dates and times are not accepted here");
    }
    return out;
}

}  // namespace

Node parse_toml_tree(std::string_view text, std::string_view file_in) {
    const std::string file = printable(file_in);
    toml::table tbl;
    try {
        tbl = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw IoError(fmt::format("{}:{}:{}: TOML parse error: {}", file, e.source().begin.line, e.source().begin.column,
                                  e.description()));
    }
    return from_toml(tbl, file, {});
}

// --- JSON ------------------------------------------------------------------------------------------------
namespace {

using json = nlohmann::json;

// nlohmann's message without its "[json.exception.parse_error.101] " tag and its own place, made printable.
std::string json_message(const nlohmann::detail::exception& e) {
    std::string what = e.what();
    if (what.rfind("[json.exception.", 0) == 0)
        if (const auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    if (what.rfind("parse error", 0) == 0)
        if (const auto p = what.find("column"); p != std::string::npos)
            if (const auto q = what.find(": ", p); q != std::string::npos) what = what.substr(q + 2);
    return printable(what);
}

// A character iterator that records the furthest byte the parser has read, so that the SAX callbacks below
// know where in the text they are (nlohmann's SAX interface passes no position). The parser reads a token
// and at most one byte after it (the byte that ends a number) before it reports the token.
struct CountingIterator {
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    const char* p = nullptr;
    const char** furthest = nullptr;

    reference operator*() const { return *p; }
    CountingIterator& operator++() {
        ++p;
        if (p > *furthest) *furthest = p;
        return *this;
    }
    CountingIterator operator++(int) {
        CountingIterator t = *this;
        ++*this;
        return t;
    }
    bool operator==(const CountingIterator& o) const { return p == o.p; }
    bool operator!=(const CountingIterator& o) const { return p != o.p; }
};

class TreeSax {
public:
    TreeSax(std::string_view text, std::string file, const char* const* furthest)
        : text_(text), file_(std::move(file)), furthest_(furthest) {}

    bool null() { return add(Node{}), true; }
    bool boolean(bool b) {
        Node n;
        n.type = Node::Type::boolean, n.boolean = b;
        return add(std::move(n)), true;
    }
    bool number_integer(json::number_integer_t v) { return whole(static_cast<double>(v)); }
    bool number_unsigned(json::number_unsigned_t v) { return whole(static_cast<double>(v)); }
    bool number_float(json::number_float_t v, const json::string_t&) {
        Node n;
        n.type = Node::Type::number, n.number = v;
        return add(std::move(n)), true;
    }
    bool string(json::string_t& s) {
        Node n;
        n.type = Node::Type::string, n.string = std::move(s);
        return add(std::move(n)), true;
    }
    bool binary(json::binary_t&) { return add(Node{}), true; }
    bool start_object(std::size_t) {
        Node n;
        n.type = Node::Type::table;
        open(add(std::move(n)));
        keys_.emplace_back();
        return true;
    }
    bool key(json::string_t& k) {
        if (!keys_.back().insert(k).second)
            throw ConfigError(fmt::format("{}:{}: key '{}' is given twice in one object (give each key once)", file_, line(), k));
        key_ = std::move(k);
        key_line_ = line();
        return true;
    }
    bool end_object() {
        keys_.pop_back();
        stack_.pop_back();
        return true;
    }
    bool start_array(std::size_t) {
        Node n;
        n.type = Node::Type::array;
        open(add(std::move(n)));
        return true;
    }
    bool end_array() {
        stack_.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
        if (e.id == 406)  // a number beyond the range of a double ("1e999")
            throw ConfigError(fmt::format("{}:{}: JSON number out of range: {} (accepted: finite numbers, |x| < 1.8e308)", file_,
                                          line(), json_message(e)));
        const auto [l, col] = line_col(position);
        throw IoError(fmt::format("{}:{}:{}: JSON parse error: {}", file_, l, col, json_message(e)));
    }

    Node take() { return std::move(root_); }

private:
    bool whole(double v) {
        Node n;
        n.type = Node::Type::number, n.number = v, n.integer = true;
        return add(std::move(n)), true;
    }
    // The line of the token just read: the newlines before the last byte read (which may be the byte after a
    // number, so it is not counted). Positions only grow, so the count goes on from the last call.
    int line() {
        const std::size_t end = std::min<std::size_t>(static_cast<std::size_t>(*furthest_ - text_.data()), text_.size());
        const std::size_t upto = end > 0 ? end - 1 : 0;
        for (; counted_ < upto; ++counted_)
            if (text_[counted_] == '\n') ++lines_;
        return lines_;
    }
    // 1-based line and column of byte `byte` (nlohmann counts bytes read, 1 past the offending one).
    std::pair<std::size_t, std::size_t> line_col(std::size_t byte) const {
        std::size_t l = 1, col = 1;
        const std::size_t end = std::min<std::size_t>(byte > 0 ? byte - 1 : 0, text_.size());
        for (std::size_t i = 0; i < end; ++i) {
            if (text_[i] == '\n') l += 1, col = 1;
            else ++col;
        }
        return {l, col};
    }
    Node& add(Node n) {
        n.line = line();
        if (stack_.empty()) {
            root_ = std::move(n);
            return root_;
        }
        Node& parent = *stack_.back();
        if (parent.is_array()) {
            parent.items.push_back(std::move(n));
            return parent.items.back();
        }
        parent.members.push_back(Member{std::move(key_), key_line_, std::move(n)});
        return parent.members.back().value;
    }
    void open(Node& n) {
        if (static_cast<int>(stack_.size()) >= kMaxDepth)
            throw ConfigError(fmt::format("{}:{}: nested more than {} arrays/objects deep (accepted: at most {})", file_, line(),
                                          kMaxDepth, kMaxDepth));
        stack_.push_back(&n);  // stays valid: nothing is added to its parent while it is open
    }

    std::string_view text_;
    std::string file_;
    const char* const* furthest_;
    std::size_t counted_ = 0;
    int lines_ = 1;
    Node root_;
    std::vector<Node*> stack_;
    std::vector<std::set<std::string>> keys_;
    std::string key_;
    int key_line_ = 0;
};

}  // namespace

Node parse_json_tree(std::string_view text, std::string_view file_in) {
    const std::string file = printable(file_in);
    const char* furthest = text.data();
    TreeSax sax(text, file, &furthest);
    const CountingIterator first{text.data(), &furthest}, last{text.data() + text.size(), &furthest};
    try {
        json::sax_parse(first, last, &sax);
    } catch (const json::exception& e) {  // not expected (errors come through parse_error); still one line
        throw IoError(fmt::format("{}: JSON error: {}", file, json_message(e)));
    }
    return sax.take();
}

}  // namespace earshot::detail
