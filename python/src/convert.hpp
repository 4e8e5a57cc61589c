#pragma once
// Python values -> the library's values, and the library's errors -> Python exceptions. Nothing is decided here:
// keyword names, types and ranges are io/render_keywords.hpp's table; messages are the library's one-liners.
//   ConfigError (and Error) -> ValueError, IoError -> OSError; a wrong Python type for a keyword -> ValueError
//   with the library's "--flag: X is not a number" line.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "earshot/io/render_keywords.hpp"

namespace earshot::py {
namespace pyb = pybind11;

/// None -> none, bool / numpy.bool_ -> bool, int / float / numpy numbers -> number, str / os.PathLike -> string;
/// anything else -> a string of its repr (the library refuses it with its one line).
KeywordValue keyword_value(pyb::handle v);
/// The keywords of a call: `listener` (a name, path or earshot.Listener) and every item of `kwargs` through
/// set_render_keyword. Skips the keys in `skip` (handled by the caller, e.g. an array body).
RenderKeywords keywords_from(pyb::handle listener, const pyb::dict& kwargs, std::initializer_list<const char*> skip = {});

/// Registers the exception translation (once, from the module's init).
void register_errors(pyb::module_& m);

void init_listener(pyb::module_& m);
void init_render(pyb::module_& m);
void init_engine(pyb::module_& m);
void init_analysis(pyb::module_& m);
void init_clarity(pyb::module_& m);  // clarity_bindings.cpp: what earshot.clarity needs
void init_batch(pyb::module_& m);

}  // namespace earshot::py
