#pragma once
// The names an output may take, checked before anything is computed (one-line ConfigErrors naming the flag):
// a figure is a .png or .svg file (cairo: plots/), an audio output given an explicit format and an explicit
// .wav/.flac extension must agree (io/audio_file.hpp: audio_format_extension). Shared by every front end.
#include <filesystem>
#include <string_view>

#include "earshot/io/audio_file.hpp"

namespace earshot {

/// Throws ConfigError "<flag>: <path>: use a .png or .svg file" unless `figure` ends in .png or .svg.
void check_figure_path(const std::filesystem::path& figure, std::string_view flag);

/// Throws ConfigError when `out` ends in .wav or .flac and `format` is the other container ("<out>: extension
/// .wav does not match --format flac24 (use .flac)"); any other extension takes the format as given.
void check_output_format(const std::filesystem::path& out, AudioFormat format);

}  // namespace earshot
