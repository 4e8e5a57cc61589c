#pragma once
// Allocation counting for the real-time tests (tests/rt). The counter is defined once per binary, in
// tests/support/alloc_count.cpp, and counts every heap allocation (malloc, calloc, realloc, the aligned
// allocators, and so every operator new, plain or over-aligned, which all end in them) made by any code
// while `counting` is set:
//  - normal builds interpose the C allocator and forward to glibc's __libc_* entry points;
//  - under AddressSanitizer (which owns malloc and operator new and must not be replaced) the same
//    events are counted through ASan's allocator hook, __sanitizer_install_malloc_and_free_hooks.
// Either way a test asserting zero allocations in process() tests the real allocator traffic.
#include <atomic>

// EARSHOT_TEST_ASAN: defined under AddressSanitizer (gcc defines __SANITIZE_ADDRESS__, clang answers
// __has_feature(address_sanitizer)).
#if defined(__SANITIZE_ADDRESS__)
#define EARSHOT_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EARSHOT_TEST_ASAN 1
#endif
#endif

namespace earshot::test::alloc {
extern std::atomic<bool> counting;
extern std::atomic<long> count;

/// Per-thread counting (the engine's audio thread beside a control thread that allocates): while the calling
/// thread has thread_counting set, its allocations, frees and mutex locks (pthread_mutex_lock/trylock, which
/// std::mutex and every glibc lock a call could wait on go through; not counted under ASan, which intercepts
/// them itself) are added to the counters below.
extern thread_local bool thread_counting;
extern std::atomic<long> thread_allocs, thread_frees, thread_locks;

/// Counts the allocations made while running f.
template <class F>
long allocations_during(F&& f) {
    count = 0;
    counting = true;
    f();
    counting = false;
    return count.load();
}
}  // namespace earshot::test::alloc
