#pragma once
// What a block processor is prepared for. Structural: changing any field requires prepare() again.
#include <cstddef>

namespace earshot {

struct ProcessSpec {
    double sample_rate_hz = 44100.0;    ///< 16000..96000 for the hearing-loss model
    std::size_t max_block_frames = 512;  ///< largest block process() will be given
    std::size_t num_channels = 1;        ///< planar channels in and out
};

}  // namespace earshot
