#include "convert.hpp"

#include <algorithm>

#include "earshot/core/error.hpp"
#include "earshot/hearing/listener.hpp"

namespace earshot::py {

KeywordValue keyword_value(pyb::handle v) {
    if (v.is_none()) return std::monostate{};
    if (pyb::isinstance<pyb::bool_>(v)) return v.cast<bool>();
    const pyb::module_ np = pyb::module_::import("numpy");
    if (pyb::isinstance(v, np.attr("bool_"))) return v.cast<bool>();
    if (pyb::isinstance<pyb::int_>(v) || pyb::isinstance<pyb::float_>(v) || pyb::isinstance(v, np.attr("number")))
        return v.cast<double>();
    if (pyb::isinstance<pyb::str>(v)) return v.cast<std::string>();
    const pyb::module_ os = pyb::module_::import("os");
    if (pyb::isinstance(v, os.attr("PathLike"))) return os.attr("fspath")(v).cast<std::string>();
    return pyb::repr(v).cast<std::string>() + " (a " + pyb::str(v.get_type().attr("__name__")).cast<std::string>() + ")";
}

RenderKeywords keywords_from(pyb::handle listener, const pyb::dict& kwargs, std::initializer_list<const char*> skip) {
    RenderKeywords k;
    if (!listener.is_none()) {
        if (pyb::isinstance<Listener>(listener)) k.listener_value = listener.cast<Listener>();
        else set_render_keyword(k, "listener", keyword_value(listener));
    }
    for (const auto& [key, value] : kwargs) {
        const std::string name = pyb::str(key);
        if (std::any_of(skip.begin(), skip.end(), [&](const char* s) { return name == s; })) continue;
        set_render_keyword(k, name, keyword_value(value));
    }
    return k;
}

void register_errors(pyb::module_& m) {
    pyb::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const IoError& e) {
            PyErr_SetString(PyExc_OSError, e.what());
        } catch (const Error& e) {  // ConfigError and the rest: a bad value
            PyErr_SetString(PyExc_ValueError, e.what());
        }
    });
}

}  // namespace earshot::py
