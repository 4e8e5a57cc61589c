#pragma once
// The build that made these samples, for provenance (batch sidecars, io/sidecar.hpp): compiler and version,
// the instruction set the DSP loops were compiled for, and optimisation/assertions, e.g.
// "gcc 12.2.0, x86-64 AVX2+FMA, optimised, NDEBUG". Two builds with the same string compute the same
// samples (the render-hash reference of tools/render_hashes.sh is per build in this sense).
#include <string>

namespace earshot {

std::string build_description();

}  // namespace earshot
