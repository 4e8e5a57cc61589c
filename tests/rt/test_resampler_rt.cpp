// The resampler's real-time contract: process() and reset() allocate nothing, for every path (rational
// up/down, irrational fallback) and block sizes below, at and above the prepared maximum.
#include <gtest/gtest.h>

#include <vector>

#include "earshot/dsp/resampler.hpp"
#include "support/alloc_count.hpp"
#include "support/signals.hpp"

using namespace earshot;

TEST(ResamplerRealTime, ProcessAndResetDoNotAllocate) {
    const double pairs[][2] = {{44100, 15625}, {44100, 16000}, {48000, 16000}, {16000, 44100},
                               {15625, 48000}, {32000, 10000}, {44100, 22051}};
    for (const auto& p : pairs) {
        Resampler rs;
        rs.prepare(p[0], p[1], 256);
        const auto x = test::white_noise(4096, 0.1, 1);
        std::vector<float> y(rs.max_output(4096));
        const long n = test::alloc::allocations_during([&] {
            for (std::size_t b : {256u, 1u, 17u, 4096u, 100u}) rs.process(x.data(), b, y.data());
            rs.reset();
            rs.process(x.data(), 512, y.data());
        });
        EXPECT_EQ(n, 0) << p[0] << " -> " << p[1];
    }
    // the hook works: a vector allocates
    EXPECT_GT(test::alloc::allocations_during([] { std::vector<int> v(10); }), 0);
}
