#pragma once
// Ranges of the streaming and file-rate options, each written once (earshot/core/param.hpp's ParamSpec) and
// used by the CLI flags, render_file and the commands' input checks.
#include "earshot/core/param.hpp"

namespace earshot::params {

inline constexpr ParamSpec block_frames{"block_frames", "frames", 1.0, 65536.0, 8192.0,
    "streaming block size (output does not depend on it)"};
// Input sample rates each command accepts (different on purpose: render runs the hearing-loss model, which
// resamples 8000-16000 Hz inputs up to sample_rate_hz.min_value; electrodogram resamples any input to the
// strategy's audio rate; score compares at the files' own rate, within the resampler's range).
inline constexpr ParamSpec render_input_rate_hz{"sample_rate_hz", "Hz", 8000.0, 96000.0, 44100.0,
    "input sample rate of render (below 16000 Hz resampled for the model)"};
inline constexpr ParamSpec electrodogram_input_rate_hz{"sample_rate_hz", "Hz", 8000.0, 192000.0, 16000.0,
    "input sample rate of electrodogram (resampled to the strategy's audio rate)"};
inline constexpr ParamSpec score_input_rate_hz{"sample_rate_hz", "Hz", 1000.0, 384000.0, 16000.0,
    "input sample rate of score (the resampler's range)"};

}  // namespace earshot::params
