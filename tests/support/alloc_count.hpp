#pragma once
// Allocation counting for the real-time tests (tests/rt): the global operator new of the rt test binary
// (defined once, in tests/rt/test_realtime.cpp) counts while `counting` is set.
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
