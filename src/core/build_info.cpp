#include "earshot/core/build_info.hpp"

namespace earshot {

std::string build_description() {
    std::string s;
#if defined(__clang__)
    s = "clang " __clang_version__;
#elif defined(__GNUC__)
    s = "gcc " __VERSION__;
#else
    s = "unknown compiler";
#endif
#if defined(__x86_64__)
    s += ", x86-64";
#if defined(__AVX2__) && defined(__FMA__)
    s += " AVX2+FMA";
#elif defined(__AVX__)
    s += " AVX";
#else
    s += " SSE2";
#endif
#elif defined(__aarch64__)
    s += ", aarch64";
#else
    s += ", other architecture";
#endif
#if defined(__OPTIMIZE__)
    s += ", optimised";
#else
    s += ", not optimised";
#endif
#if defined(NDEBUG)
    s += ", NDEBUG";
#else
    s += ", assertions";
#endif
#if defined(__SANITIZE_ADDRESS__)
    s += ", ASan";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    s += ", ASan";
#endif
#endif
    return s;
}

}  // namespace earshot
