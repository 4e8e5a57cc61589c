// The allocation counter of tests/support/alloc_count.hpp (see there for the two mechanisms).
#include "support/alloc_count.hpp"

#include <cerrno>
#include <cstddef>
#include <dlfcn.h>
#include <pthread.h>


namespace earshot::test::alloc {
std::atomic<bool> counting{false};
std::atomic<long> count{0};
thread_local bool thread_counting = false;
std::atomic<long> thread_allocs{0}, thread_frees{0}, thread_locks{0};
}  // namespace earshot::test::alloc

namespace {
inline void note() noexcept {
    using namespace earshot::test::alloc;
    if (counting.load(std::memory_order_relaxed)) count.fetch_add(1, std::memory_order_relaxed);
    if (thread_counting) thread_allocs.fetch_add(1, std::memory_order_relaxed);
}
inline void note_free(const volatile void* p) noexcept {
    using namespace earshot::test::alloc;
    if (p && thread_counting) thread_frees.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

#ifdef EARSHOT_TEST_ASAN
#include <sanitizer/allocator_interface.h>

namespace {
void on_malloc(const volatile void*, std::size_t) { note(); }
void on_free(const volatile void* p) { note_free(p); }
// Installed before main (and so before any test runs).
[[maybe_unused]] const int g_installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}  // namespace

#else

// The real mutex functions, resolved once before main (dlsym may allocate: never on a counted thread).
using MutexFn = int (*)(pthread_mutex_t*);
MutexFn real_lock_fn = nullptr, real_trylock_fn = nullptr;
int real_lock(pthread_mutex_t* m) {
    if (!real_lock_fn) real_lock_fn = reinterpret_cast<MutexFn>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    return real_lock_fn(m);
}
int real_trylock(pthread_mutex_t* m) {
    if (!real_trylock_fn) real_trylock_fn = reinterpret_cast<MutexFn>(dlsym(RTLD_NEXT, "pthread_mutex_trylock"));
    return real_trylock_fn(m);
}
[[maybe_unused]] const bool g_resolved = [] {
    real_lock_fn = reinterpret_cast<MutexFn>(dlsym(RTLD_NEXT, "pthread_mutex_lock"));
    real_trylock_fn = reinterpret_cast<MutexFn>(dlsym(RTLD_NEXT, "pthread_mutex_trylock"));
    return true;
}();

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);

void free(void* p) noexcept {
    note_free(p);
    __libc_free(p);
}
int pthread_mutex_lock(pthread_mutex_t* m) noexcept {
    if (earshot::test::alloc::thread_counting) earshot::test::alloc::thread_locks.fetch_add(1, std::memory_order_relaxed);
    return real_lock(m);
}
int pthread_mutex_trylock(pthread_mutex_t* m) noexcept {
    if (earshot::test::alloc::thread_counting) earshot::test::alloc::thread_locks.fetch_add(1, std::memory_order_relaxed);
    return real_trylock(m);
}

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
