// The extension module earshot._earshot: the library's front end for Python (docs/python.md). The package's
// pure-Python modules (python/earshot/*.py) wrap these functions with the documented signatures.
#include <pybind11/pybind11.h>

#include "convert.hpp"
#include "earshot/version.hpp"

PYBIND11_MODULE(_earshot, m) {
    m.doc() = "earshot: sound as a listener with a hearing loss or a cochlear implant hears it (C++ core)";
    earshot::py::register_errors(m);
    earshot::py::init_listener(m);
    earshot::py::init_render(m);
    earshot::py::init_engine(m);
    earshot::py::init_analysis(m);
    earshot::py::init_clarity(m);
    earshot::py::init_batch(m);
    pybind11::dict info;
    info["version"] = earshot::kVersion;
    info["build_type"] = EARSHOT_BUILD_TYPE;
    info["arch"] = EARSHOT_BUILD_ARCH;
    info["compiler"] = EARSHOT_COMPILER;
    info["pybind11"] = std::to_string(PYBIND11_VERSION_MAJOR) + "." + std::to_string(PYBIND11_VERSION_MINOR) + "." +
                       std::to_string(PYBIND11_VERSION_PATCH);
    m.attr("_build_info") = info;
    m.attr("__version__") = earshot::kVersion;
}
