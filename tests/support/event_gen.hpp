#pragma once
// Test helpers for the scene event generators (earshot/scene/tinnitus.hpp, pop.hpp) driven through their
// block-processor interface, mono: configure + prepare in one call, and "add the generator into this buffer".
#include <cstddef>

#include "earshot/core/calibration.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"

namespace earshot::test {

/// g = G(params, calibration), prepared for one channel at fs (the generators take any block size).
template <class G, class P>
void prepare_gen(G& g, const P& params, double fs, Calibration calibration) {
    g = G(params, calibration);
    g.prepare(ProcessSpec{fs, 1, 1});
}

/// Adds n samples of the generator into out (process() in place on one channel).
template <class G>
void add_into(G& g, float* out, std::size_t n) noexcept {
    process_mono(g, out, out, n);
}

}  // namespace earshot::test
