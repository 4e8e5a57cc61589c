#pragma once
// Errors earshot reports to people. Every message is one line that names the file or parameter and,
// where there is one, the accepted range ("--level-db-spl: 180 is out of range [0, 130] dB SPL").
// Only set-up code throws (constructors, prepare(), file readers); process() and reset() never do.
#include <stdexcept>
#include <string>

namespace earshot {

/// Base of all earshot errors; what() is a complete one-line message for a user.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
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
