#include "figure_file.hpp"

#include <cairo/cairo-svg.h>
#include <fmt/format.h>

#include <memory>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/core/temp_file.hpp"

namespace earshot::detail {
namespace fs = std::filesystem;

namespace {

// cairo's stream callback: writes into the TempFile; the first failure is kept and reported after drawing.
struct Sink {
    TempFile* file;
    std::string error;
};

cairo_status_t write_to_sink(void* closure, const unsigned char* data, unsigned int length) {
    auto* sink = static_cast<Sink*>(closure);
    try {
        sink->file->write_all(data, length);
        return CAIRO_STATUS_SUCCESS;
    } catch (const std::exception& e) {
        if (sink->error.empty()) sink->error = e.what();
        return CAIRO_STATUS_WRITE_ERROR;
    }
}

}  // namespace

void write_figure(const fs::path& out, bool svg, int width, int height, const std::function<void(cairo_t*)>& draw) {
    TempFile temp(out);  // checks the target (not a directory, its directory exists), O_EXCL random name
    Sink sink{&temp, {}};
    cairo_surface_t* surface = svg ? cairo_svg_surface_create_for_stream(write_to_sink, &sink, width, height)
                                   : cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t* cr = cairo_create(surface);
    draw(cr);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (svg) {
        cairo_surface_finish(surface);
        if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
    } else if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_write_to_png_stream(surface, write_to_sink, &sink);
    }
    cairo_surface_destroy(surface);
    if (!sink.error.empty()) throw IoError(sink.error);
    if (status != CAIRO_STATUS_SUCCESS)
        throw IoError(fmt::format("{}: cannot write the plot ({})", printable(out), cairo_status_to_string(status)));
    temp.commit();
}

}  // namespace earshot::detail
