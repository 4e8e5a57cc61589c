#pragma once
// Private: the one typed reader over the parsed tree (tree.hpp) of every description file: listener files
// (TOML, JSON), implant files (JSON) and the implant tables inside them, scene files (TOML). A KeyReader is
// one table of the tree and its place {file, key path}; every value it reads is checked for its type (and
// its range, given a ParamSpec; its names, given an EnumSpec), and every refusal is a KeyError {file, line of
// the key, key path, message} (earshot/core/key_error.hpp), formatted to one line only in what():
//   "story.toml:12: keyframe 2: severity: 3 is out of range [0, 2]"
//   "me.json:4: left.implant.maxima: 30 is out of range [1, 22]"
// Sub-tables extend the path ("left", "left.implant"); the tables of an array of tables are "keyframe[1]",
// "keyframe[2]", ... (shown "keyframe 1: ").
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/core/enum_spec.hpp"
#include "earshot/core/key_error.hpp"
#include "earshot/core/key_spec.hpp"
#include "earshot/core/param.hpp"
#include "tree.hpp"

namespace earshot::detail {

/// The file a tree came from: its name in messages, its format (for "a table" vs "an object"), and the file
/// that relative references in it are resolved against (empty: the working directory).
struct Source {
    std::string file;
    Format format = Format::json;
    std::filesystem::path referring_file;
};

class KeyReader {
public:
    KeyReader(const Source& source, const Node& table, std::string path = {})
        : src_(&source), t_(&table), path_(std::move(path)) {}

    const Source& source() const noexcept { return *src_; }
    const Node& node() const noexcept { return *t_; }
    const std::string& path() const noexcept { return path_; }
    /// The table's line, and a key's line (the table's when the key is absent).
    int line() const noexcept { return t_->line; }
    int line(std::string_view key) const noexcept;
    /// The path of a key of this table: "keyframe[2].left" + ".hl_db".
    std::string path(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

    /// KeyError at `key` (its line and path), or at the table itself.
    [[noreturn]] void fail(std::string_view key, std::string message) const;
    [[noreturn]] void fail_here(std::string message) const;
    /// Runs f; a ConfigError or IoError it throws that is not already placed in this file (a KeyError of
    /// this file) is thrown again of the same type with this key's place in front ("<file>:<line>: <path>:
    /// <its message>"): a preset that does not exist, a referenced file that cannot be read or is wrong.
    /// A KeyError that names no line and no key (only the description, "implant") is placed by its message.
    template <class F>
    auto placed(std::string_view key, F&& f) const -> decltype(f());

    bool has(std::string_view key) const noexcept { return t_->contains(key); }
    const Node* get(std::string_view key) const noexcept { return t_->get(key); }

    /// Refuses keys not in `keys`, naming them, the first one's line, and the accepted keys (or, for a long
    /// table, the page that lists them: `see`), with the nearest key if one is a plausible typo.
    void only(std::span<const KeySpec> keys, std::string_view see = {}) const;
    void only(std::span<const std::string_view> keys, std::string_view see = {}) const;

    std::optional<double> number(std::string_view key) const;
    std::optional<double> number(std::string_view key, const ParamSpec& range) const;
    std::optional<int> integer(std::string_view key) const;
    std::optional<int> integer(std::string_view key, const ParamSpec& range) const;
    /// An array of numbers (`or_one`: a single number too, as [x]).
    std::optional<std::vector<double>> numbers(std::string_view key, bool or_one = false) const;
    /// Whole numbers within [-1e6, 1e6] (`or_one`: a single one too).
    std::optional<std::vector<int>> integers(std::string_view key, bool or_one = false) const;
    std::optional<std::string> string(std::string_view key) const;
    std::optional<bool> boolean(std::string_view key) const;
    /// A name of `spec`, else "'x' is not one of a, b, c[; did you mean b?]".
    template <class E, std::size_t N>
    std::optional<E> choice(std::string_view key, const EnumSpec<E, N>& spec) const {
        const auto s = string(key);
        if (!s) return std::nullopt;
        if (const auto e = spec.find(*s)) return e;
        fail(key, spec.not_one_of(*s));
    }
    /// A sub-table ([keyframe.transition], an ear table); its path is path(key).
    std::optional<KeyReader> table(std::string_view key) const;
    /// The tables of an array of tables ([[keyframe]]): paths "keyframe[1]", "keyframe[2]", ...
    std::vector<KeyReader> tables(std::string_view key) const;

    /// `value`, or if it is absent the error "<key>: missing (<why>)".
    template <class T>
    T need(std::optional<T> value, std::string_view key, std::string_view why) const {
        if (!value) fail(key, "missing (" + std::string(why) + ")");
        return *std::move(value);
    }

    /// "a table" (TOML) or "an object" (JSON), and the type of a value, as the messages write them.
    std::string table_word() const { return src_->format == Format::toml ? "a table" : "an object"; }
    std::string type_of(const Node& n) const { return type_name(n, src_->format); }

private:
    double as_number(const Node& n, std::string_view key, std::string_view what) const;

    const Source* src_;
    const Node* t_;
    std::string path_;
};

template <class F>
auto KeyReader::placed(std::string_view key, F&& f) const -> decltype(f()) {
    try {
        return f();
    } catch (const KeyError& e) {
        if (e.file() == src_->file) throw;
        // Another file's error keeps its place; one that names only the description ("implant: 'x' is not a
        // preset") gets this key's place instead.
        throw KeyError(src_->file, line(key), path(key), e.line() == 0 && e.key_path().empty() ? e.message() : std::string(e.what()));
    } catch (const ConfigError& e) {
        throw KeyError(src_->file, line(key), path(key), e.what());
    } catch (const IoError& e) {
        throw IoError(KeyError::format(src_->file, line(key), path(key), e.what()));
    }
}

}  // namespace earshot::detail
