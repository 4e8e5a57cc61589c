#pragma once
// Private: writing a cairo figure to a PNG or SVG file atomically (a TempFile next to it, see temp_file.hpp), with
// one-line IoErrors naming the file. Shared by the audiogram, electrodogram and timeline plots.
#include <cairo/cairo.h>

#include <filesystem>
#include <functional>

namespace earshot::detail {

/// Draws with `draw` on a width x height surface and writes it to `out` (SVG when `svg`, else PNG). Throws IoError
/// if `out` is a directory, its directory does not exist, or cairo or the rename fails; nothing is left on disk then.
void write_figure(const std::filesystem::path& out, bool svg, int width, int height, const std::function<void(cairo_t*)>& draw);

}  // namespace earshot::detail
