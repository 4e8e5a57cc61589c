// Fuzz target: the implant file reader (load_implant on a .json file, docs/implant-files.md); a file
// accepted must validate and round-trip through implant_to_json.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "earshot/core/error.hpp"
#include "earshot/io/implant_file.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    earshot::fuzz::TempFile f(data, size, ".json");
    try {
        const earshot::ImplantParams p = earshot::load_implant(f.path().string());
        p.validate("fuzz");
        const earshot::ImplantParams q = earshot::parse_implant_json(earshot::implant_to_json(p), "round trip");
        if (earshot::implant_to_json(q) != earshot::implant_to_json(p)) std::abort();  // round trip must be exact
    } catch (const earshot::Error&) {
    }
    return 0;
}
