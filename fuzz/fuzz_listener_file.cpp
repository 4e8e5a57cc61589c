// Fuzz target: the listener file reader (read_listener_file, docs/listener-files.md). The first byte picks
// the file type (even: .toml, odd: .json), the rest is the file's content, written to a temp file.
#include <cstddef>
#include <cstdint>

#include "earshot/core/error.hpp"
#include "earshot/io/listener_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    earshot::fuzz::TempFile f(data + 1, size - 1, (data[0] & 1) ? ".json" : ".toml");
    try {
        const earshot::Listener l = earshot::read_listener_file(f.path());
        l.validate("fuzz");  // what was accepted must be valid
    } catch (const earshot::Error&) {
    }
    return 0;
}
