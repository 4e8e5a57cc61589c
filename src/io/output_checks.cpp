// The names an output may take (io/output_checks.hpp).
#include "earshot/io/output_checks.hpp"

#include <fmt/format.h>

#include <string>

#include "earshot/core/error.hpp"
#include "earshot/io/io_names.hpp"

namespace earshot {

void check_figure_path(const std::filesystem::path& figure, std::string_view flag) {
    const std::string ext = figure.extension().string();
    if (ext != ".png" && ext != ".svg")
        throw ConfigError(fmt::format("{}: {}: use a .png or .svg file", flag, printable(figure.string())));
}

void check_output_format(const std::filesystem::path& out, AudioFormat format) {
    const std::string ext = out.extension().string();
    if (ext != std::string(audio_format_extension(format)) && (ext == ".wav" || ext == ".flac"))
        throw ConfigError(fmt::format("{}: extension {} does not match --format {} (use {})", out.string(), ext,
                                      names::audio_format.to_name(format), audio_format_extension(format)));
}

}  // namespace earshot
