#pragma once
// Errors earshot reports to people. Every message is one line that names the file or parameter and,
// where there is one, the accepted range ("--level-db-spl: 180 is out of range [0, 130] dB SPL").
// Only set-up code throws (constructors, prepare(), file readers); process() and reset() never do.
// Messages often quote what a file or a user gave (a key, a value, a file name): every error message is
// passed through printable() when it is made, so a control character or a byte that is not UTF-8 is shown
// as \xNN, never reaches the terminal raw, and a NUL cannot cut the message short.
#include <stdexcept>
#include <string>
#include <string_view>

namespace earshot {

/// `s` with every control character (U+0000..U+001F, U+007F, U+0080..U+009F) and every byte that is not part
/// of valid UTF-8 written as \xNN; everything else unchanged (so printable(printable(s)) == printable(s)).
std::string printable(std::string_view s);

/// Base of all earshot errors; what() is a complete one-line message for a user (made printable()).
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(printable(message)) {}
    explicit Error(const char* message) : std::runtime_error(printable(message)) {}
};

/// A parameter, preset name or description field is invalid (names the field and its accepted range).
class ConfigError : public Error {
public:
    using Error::Error;
};

/// A file could not be read, parsed or written (names the file).
class IoError : public Error {
public:
    using Error::Error;
};

}  // namespace earshot
