#pragma once
// A description error with its place as data: {file, line, key path, message}. what() is the one-line text
// "<file>[:<line>]: <message>" as every reader already prints it (the message names the key, e.g.
// "maxima: 30 is out of range [1, 22]"), so catalogues and tests see the same text; a reader that embeds
// another (the scene file's inline implant table) finds the key's line from key_path() instead of taking
// the message apart.
#include <string>

#include "earshot/core/error.hpp"

namespace earshot {

class KeyError : public ConfigError {
public:
    /// `file`: the file or the description it came from ("implant.json", "implant"); `line`: 1-based, 0 if not
    /// known; `key_path`: the key ("maxima", "left.implant.maxima"), empty if the error is about the whole
    /// description; `message`: the text after the place.
    KeyError(std::string file, int line, std::string key_path, std::string message)
        : ConfigError(place(file, line) + ": " + message),
          file_(std::move(file)), line_(line), key_path_(std::move(key_path)), message_(std::move(message)) {}

    const std::string& file() const noexcept { return file_; }
    int line() const noexcept { return line_; }
    const std::string& key_path() const noexcept { return key_path_; }
    const std::string& message() const noexcept { return message_; }

private:
    static std::string place(const std::string& file, int line) {
        return line > 0 ? file + ":" + std::to_string(line) : file;
    }
    std::string file_;
    int line_;
    std::string key_path_;
    std::string message_;
};

}  // namespace earshot
