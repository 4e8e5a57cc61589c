// Fuzz target: the scene file reader (read_scene_file, docs/scene-files.md) on the fuzzer's bytes as a
// .toml file. Listener and implant references inside are resolved relative to the temp file's folder.
#include <cstddef>
#include <cstdint>

#include "earshot/core/error.hpp"
#include "earshot/io/scene_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    earshot::fuzz::TempFile f(data, size, ".toml");
    try {
        (void)earshot::read_scene_file(f.path());
    } catch (const earshot::Error&) {
    }
    return 0;
}
