#pragma once
// In-memory offline rendering (Python, tests): an array in, the aligned array out, the same length -- the
// Engine fed in blocks, its first latency_samples() output frames dropped and the tail flushed with zeros
// (as render_file does for files). Channels: 1 or 2 in; a mono input is heard by both ears (2 out) when the
// composition says so (Composition::mono_to_both_ears or ears_differ, unless Description::ear is set). With
// calibration.present_at_db_spl and no measured level, the input's level is measured first (LevelMeter, all
// output channels pooled). The rate must be within params::sample_rate_hz (16..96 kHz; render_file resamples
// lower rates). No limiter (render_file's output stage), no body bus unless given.
#include <cstddef>
#include <vector>

#include "earshot/engine/description.hpp"
#include "earshot/engine/engine.hpp"

namespace earshot {

struct OfflineResult {
    std::vector<std::vector<float>> channels;  ///< planar, each the input's length
    Calibration calibration;                   ///< what the model ran with
    std::optional<double> measured_level_dbfs; ///< measured here (present_at without a level given)
    std::size_t latency_samples = 0;           ///< compensated
    std::vector<std::string> warnings;         ///< the model's set-up notes
};

/// Renders `in` (planar, equal lengths) at sample_rate_hz. body (optional): the body bus, 1 channel or the
/// output's, any length (zeros after its end). Throws ConfigError, one line naming the field and range.
OfflineResult render_offline(const Description& description, const std::vector<std::vector<float>>& in,
                             double sample_rate_hz, const std::vector<std::vector<float>>& body = {},
                             std::size_t block_frames = 8192);

}  // namespace earshot
