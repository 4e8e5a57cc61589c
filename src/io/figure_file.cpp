#include "figure_file.hpp"

#include <cairo/cairo-svg.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "earshot/core/error.hpp"

namespace earshot::detail {
namespace fs = std::filesystem;

void write_figure(const fs::path& out, bool svg, int width, int height, const std::function<void(cairo_t*)>& draw) {
    static std::atomic<unsigned> counter{0};
    std::error_code ec;
    if (fs::is_directory(out, ec)) throw IoError(fmt::format("{}: is a directory (give a file name)", out.string()));
    const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec))
        throw IoError(fmt::format("{}: output directory '{}' does not exist", out.string(), dir.string()));
    const fs::path temp =
        dir / fmt::format(".{}.tmp-{}-{}", out.filename().string(), static_cast<long>(::getpid()), counter.fetch_add(1));
    cairo_surface_t* surface = svg ? cairo_svg_surface_create(temp.c_str(), width, height)
                                   : cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t* cr = cairo_create(surface);
    draw(cr);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (svg) {
        cairo_surface_finish(surface);
        if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
    } else if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_write_to_png(surface, temp.c_str());
    }
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        fs::remove(temp, ec);
        throw IoError(fmt::format("{}: cannot write the plot ({})", out.string(), cairo_status_to_string(status)));
    }
    if (std::rename(temp.c_str(), out.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        fs::remove(temp, ec);
        throw IoError(fmt::format("{}: cannot write the plot ({})", out.string(), why));
    }
}

}  // namespace earshot::detail
