#pragma once
// Flush-to-zero / denormals-are-zero for the scope of one process() call (x86 SSE MXCSR;
// a no-op elsewhere). Used at the block boundary of every top-level processor.
#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define EARSHOT_HAS_MXCSR 1
#endif

namespace earshot {

class ScopedNoDenormals {
public:
    ScopedNoDenormals() noexcept {
#ifdef EARSHOT_HAS_MXCSR
        saved_ = _mm_getcsr();
        _mm_setcsr(saved_ | 0x8040u);  // FTZ (bit 15) | DAZ (bit 6)
#endif
    }
    ~ScopedNoDenormals() {
#ifdef EARSHOT_HAS_MXCSR
        _mm_setcsr(saved_);
#endif
    }
    ScopedNoDenormals(const ScopedNoDenormals&) = delete;
    ScopedNoDenormals& operator=(const ScopedNoDenormals&) = delete;

    /// True when the current thread flushes denormals (for tests).
    static bool active() noexcept {
#ifdef EARSHOT_HAS_MXCSR
        return (_mm_getcsr() & 0x8040u) == 0x8040u;
#else
        return true;
#endif
    }

private:
    unsigned saved_ = 0;
};

}  // namespace earshot
