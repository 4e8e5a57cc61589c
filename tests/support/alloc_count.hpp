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

namespace earshot::test::alloc {
extern std::atomic<bool> counting;
extern std::atomic<long> count;

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
