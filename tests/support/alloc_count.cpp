// The allocation counter of tests/support/alloc_count.hpp (see there for the two mechanisms).
#include "support/alloc_count.hpp"

#include <cerrno>
#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define EARSHOT_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EARSHOT_TEST_ASAN 1
#endif
#endif

namespace earshot::test::alloc {
std::atomic<bool> counting{false};
std::atomic<long> count{0};
}  // namespace earshot::test::alloc

namespace {
inline void note() noexcept {
    using namespace earshot::test::alloc;
    if (counting.load(std::memory_order_relaxed)) count.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

#ifdef EARSHOT_TEST_ASAN
#include <sanitizer/allocator_interface.h>

namespace {
void on_malloc(const volatile void*, std::size_t) { note(); }
void on_free(const volatile void*) {}
// Installed before main (and so before any test runs).
[[maybe_unused]] const int g_installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}  // namespace

#else

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);

void* malloc(std::size_t n) noexcept {
    note();
    return __libc_malloc(n);
}
void* calloc(std::size_t k, std::size_t n) noexcept {
    note();
    return __libc_calloc(k, n);
}
void* realloc(void* p, std::size_t n) noexcept {
    note();
    return __libc_realloc(p, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept {
    note();
    return __libc_memalign(alignment, n);
}
void* memalign(std::size_t alignment, std::size_t n) noexcept {
    note();
    return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
    note();
    void* p = __libc_memalign(alignment, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
}

#endif
