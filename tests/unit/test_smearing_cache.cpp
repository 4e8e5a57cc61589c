// The smearing-matrix cache (hearing/smearing.hpp) is bounded: designing smearing for many distinct
// broadenings (as continuous degrees do, one per listener) keeps at most kSmearingCacheEntries matrices,
// and a design whose matrix was evicted is rebuilt bit for bit.
#include <gtest/gtest.h>

#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/hearing/smearing.hpp"

namespace earshot {
namespace {

constexpr double kFs = 16000.0;  // small frames: the solves are quick

SmearingDesign design(int i) { return design_smearing(kFs, 1.1 + 0.01 * i, 1.2 + 0.02 * i, SoundField::free_field); }

TEST(SmearingCache, StaysBoundedOverManyDistinctDesigns) {
    const SmearingDesign first = design(0);
    for (int i = 1; i < int(3 * kSmearingCacheEntries); ++i) {
        design(i);
        ASSERT_LE(smearing_cache_entries(), kSmearingCacheEntries) << "after " << i + 1 << " distinct designs";
    }
    EXPECT_EQ(smearing_cache_entries(), kSmearingCacheEntries);
    // design(0) was evicted long ago: rebuilt (matrix and power compensation) it is the same design.
    const SmearingDesign again = design(0);
    EXPECT_EQ(again.power_compensation_db, first.power_compensation_db);
    EXPECT_EQ(again.col_lo, first.col_lo);
    EXPECT_EQ(again.col_len, first.col_len);
    EXPECT_EQ(again.col_data, first.col_data);
}

TEST(SmearingCache, RecentDesignIsKept) {
    const SmearingDesign a = design(100);
    const std::size_t before = smearing_cache_entries();
    const SmearingDesign b = design(100);  // a hit: no new entry
    EXPECT_EQ(smearing_cache_entries(), before);
    EXPECT_EQ(a.col_data, b.col_data);
    EXPECT_EQ(a.power_compensation_db, b.power_compensation_db);
}

}  // namespace
}  // namespace earshot
