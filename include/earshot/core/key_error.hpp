#pragma once
// A description error with its place as data: {file, line, key path, message}. The readers (one typed
// reader over the parsed tree of every file format, src/io/key_reader.hpp) and the validations below them
// throw it; it is formatted to one line only in what(), the text the CLI prints:
//   "<file>[:<line>]: <key path>: <message>"   e.g. "story.toml:12: keyframe 2: left.implant.maxima: 30 is out
//                                               of range [1, 22]"
// A key path is dotted, with the 1-based index of a table in an array of tables in brackets
// ("keyframe[2].left.implant.maxima"); what() writes that index as "keyframe 2: ". A reader that embeds
// another's description (an implant table inside a listener or scene file) reads it with its own place, so no
// message is ever taken apart to find the key.
#include <string>

#include "earshot/core/error.hpp"

namespace earshot {

class KeyError : public ConfigError {
public:
    /// `file`: the file or the description it came from ("implant.json", "implant"); `line`: 1-based, 0 if not
    /// known; `key_path`: the key ("maxima", "left.implant.maxima", "keyframe[2].severity"), empty if the error
    /// is about the whole description; `message`: the text after the key ("30 is out of range [1, 22]").
    KeyError(std::string file, int line, std::string key_path, std::string message)
        : ConfigError(format(file, line, key_path, message)),
          file_(std::move(file)), line_(line), key_path_(std::move(key_path)), message_(std::move(message)) {}

    const std::string& file() const noexcept { return file_; }
    int line() const noexcept { return line_; }
    const std::string& key_path() const noexcept { return key_path_; }
    const std::string& message() const noexcept { return message_; }

    /// "keyframe[2].left.hl_db" -> "keyframe 2: left.hl_db"; "pop[1]" -> "pop 1"; "maxima" unchanged.
    static std::string display_path(const std::string& key_path) {
        std::string out;
        for (std::size_t i = 0; i < key_path.size(); ++i) {
            const char c = key_path[i];
            if (c == '[') out += ' ';
            else if (c == ']') out += (i + 1 < key_path.size() && key_path[i + 1] == '.') ? (++i, ": ") : "";
            else out += c;
        }
        return out;
    }
    /// The one line: "<file>[:<line>][: <key path>]: <message>" (no leading ": " without a file).
    static std::string format(const std::string& file, int line, const std::string& key_path, const std::string& message) {
        std::string s = line > 0 ? file + ":" + std::to_string(line) : file;
        const std::string path = display_path(key_path);
        if (!path.empty()) s += (s.empty() ? "" : ": ") + path;
        return s + (s.empty() ? "" : ": ") + message;
    }

private:
    std::string file_;
    int line_;
    std::string key_path_;
    std::string message_;
};

}  // namespace earshot
