#include "convert.hpp"
namespace earshot::py {
void init_analysis(pyb::module_&) {}
}  // namespace earshot::py
