// Cochlear anatomy as data: the Greenwood (1990) human map against the worked values in the research
// notes (ci-anchors.md 3.9, validation.md 3.1), electrode-array contact geometry, place frequencies and
// frequency-place mismatch (validation.md check 5: a Contour Advance at its typical insertion is more
// mismatched than a FLEX28 at its typical insertion). Set EARSHOT_PRINT_ANATOMY_TABLE=1 to print the
// table in docs/electrode-arrays.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <numeric>
#include <string>

#include <fmt/format.h>

#include "earshot/core/error.hpp"
#include "earshot/implant/electrode_array.hpp"
#include "earshot/implant/greenwood.hpp"

using namespace earshot;

namespace {
// Default Nucleus 22-channel and MED-EL 12-channel centre frequencies (validation.md 3.4), basal first.
std::vector<double> nucleus_centres_basal_first() {
    std::vector<double> c{250, 375, 500, 625, 750, 875, 1000, 1125, 1250, 1438, 1688,
                          1938, 2188, 2500, 2875, 3313, 3813, 4375, 5000, 5688, 6500, 7438};
    std::reverse(c.begin(), c.end());
    return c;
}
std::vector<double> medel_centres_basal_first() {
    std::vector<double> c{120, 235, 384, 579, 836, 1175, 1624, 2222, 3019, 4084, 5507, 7410};
    std::reverse(c.begin(), c.end());
    return c;
}
double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }
double mean_abs(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += std::abs(x);
    return s / double(v.size());
}
std::string message_of(auto&& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return {};
}
}  // namespace

TEST(Greenwood, EndsOfTheMap) {
    EXPECT_NEAR(greenwood_freq_hz(0.0), 19.85, 0.01);
    EXPECT_NEAR(greenwood_freq_hz(35.0), 20677.0, 1.0);
    EXPECT_NEAR(greenwood_freq_hz(35.0) / 1000.0, 20.68, 0.005);
}

TEST(Greenwood, WorkedTableByDepthFromTheBase) {
    const double depth[] = {0, 5, 10, 15, 17, 20, 22, 24, 25, 28, 31.5, 35};
    const double freq[] = {20677, 10291, 5085, 2476, 1843, 1168, 851, 611, 513, 290, 123, 20};
    for (std::size_t i = 0; i < std::size(depth); ++i)
        EXPECT_NEAR(greenwood_freq_at_depth_hz(depth[i]), freq[i], 0.01 * freq[i]) << depth[i] << " mm";
}

TEST(Greenwood, PlacesOfAudiometricFrequencies) {
    EXPECT_NEAR(greenwood_place_from_apex_mm(500.0), 9.9, 0.1);
    EXPECT_NEAR(greenwood_place_from_apex_mm(1000.0), 14.0, 0.1);
    EXPECT_NEAR(greenwood_place_from_apex_mm(4000.0), 23.3, 0.1);
    EXPECT_NEAR(greenwood_place_from_apex_mm(8000.0), 28.2, 0.1);
    EXPECT_NEAR(greenwood_depth_from_base_mm(1000.0), 35.0 - 14.0, 0.1);
}

TEST(Greenwood, InverseRoundTrips) {
    for (double mm = 0.0; mm <= 35.0; mm += 0.25) {
        EXPECT_NEAR(greenwood_place_from_apex_mm(greenwood_freq_hz(mm)), mm, 1e-9);
        EXPECT_NEAR(greenwood_depth_from_base_mm(greenwood_freq_at_depth_hz(mm)), mm, 1e-9);
    }
    for (double f : {20.0, 125.0, 1000.0, 6000.0, 20000.0}) {
        EXPECT_NEAR(greenwood_freq_hz(greenwood_place_from_apex_mm(f)) / f, 1.0, 1e-9);
        EXPECT_NEAR(greenwood_freq_at_depth_hz(greenwood_depth_from_base_mm(f)) / f, 1.0, 1e-9);
    }
    const GreenwoodMap k1{165.4, 2.1, 1.0, 33.0};  // the k = 1, 33 mm variant some vocoders use
    EXPECT_NEAR(greenwood_freq_hz(0.0, k1), 0.0, 1e-12);
    EXPECT_NEAR(greenwood_place_from_apex_mm(greenwood_freq_hz(12.3, k1), k1), 12.3, 1e-9);
}

TEST(ElectrodeArrays, TableIsConsistent) {
    const auto all = electrode_arrays();
    ASSERT_GE(all.size(), 8u);
    for (const char* id : {"slim_straight", "slim_modiolar", "contour_advance", "flex24", "flex28", "flexsoft",
                           "hifocus_mid_scala", "hifocus_slimj"})
        EXPECT_EQ(electrode_array(id).id, id);
    for (const auto& a : all) {
        SCOPED_TRACE(std::string(a.id));
        EXPECT_EQ(&electrode_array(a.id), &a);
        EXPECT_GT(a.contacts, 1);
        EXPECT_GT(a.active_length_mm, 0.0);
        EXPECT_LE(a.min_insertion_mm, a.typical_insertion_mm);
        EXPECT_LE(a.typical_insertion_mm, a.max_insertion_mm);
        EXPECT_GE(a.min_insertion_mm, a.active_length_mm);
        EXPECT_LE(a.max_insertion_mm, 35.0);
        EXPECT_FALSE(a.name.empty());
        EXPECT_FALSE(a.source.empty());
        EXPECT_TRUE(a.maker == "Cochlear" || a.maker == "MED-EL" || a.maker == "Advanced Bionics");
    }
}

TEST(ElectrodeArrays, ContactsEvenlySpacedBasalFirst) {
    for (const auto& a : electrode_arrays()) {
        SCOPED_TRACE(std::string(a.id));
        const auto d = contact_depths_mm(a, a.typical_insertion_mm);
        ASSERT_EQ(d.size(), std::size_t(a.contacts));
        EXPECT_DOUBLE_EQ(d.back(), a.typical_insertion_mm);
        EXPECT_NEAR(d.back() - d.front(), a.active_length_mm, 1e-12);
        const double pitch = a.active_length_mm / (a.contacts - 1);
        for (std::size_t i = 1; i < d.size(); ++i) EXPECT_NEAR(d[i] - d[i - 1], pitch, 1e-12);
        const auto f = contact_place_freq_hz(a, a.typical_insertion_mm);
        ASSERT_EQ(f.size(), d.size());
        for (std::size_t i = 1; i < f.size(); ++i) EXPECT_LT(f[i], f[i - 1]);  // basal (high) first
    }
    EXPECT_NEAR(electrode_array("contour_advance").active_length_mm / 21, 0.714, 0.001);
    EXPECT_NEAR(electrode_array("flex28").active_length_mm / 11, 2.1, 0.001);
    EXPECT_NEAR(electrode_array("flexsoft").active_length_mm / 11, 2.4, 0.001);
    EXPECT_NEAR(electrode_array("flex24").active_length_mm / 11, 1.9, 0.001);
}

TEST(ElectrodeArrays, SlimStraightApicalContactAt20mmNear1168Hz) {
    const auto f = contact_place_freq_hz(electrode_array("slim_straight"), 20.0);
    EXPECT_NEAR(f.back(), 1168.0, 0.01 * 1168.0);
    // Driven by the 250 Hz band, that is a shift of about 2.2 octaves (ci-anchors.md 3.9).
    const auto mm = place_mismatch(f, nucleus_centres_basal_first());
    EXPECT_NEAR(mm.octaves.back(), 2.2, 0.05);
    EXPECT_NEAR(mm.mm.back(), greenwood_place_from_apex_mm(1168.0) - greenwood_place_from_apex_mm(250.0), 0.1);
}

TEST(ElectrodeArrays, LandsbergerTables) {
    const auto ca = landsberger_place_freq_hz("contour_advance");
    const auto fx = landsberger_place_freq_hz("flex24");
    ASSERT_EQ(ca.size(), 22u);
    ASSERT_EQ(fx.size(), 12u);
    EXPECT_EQ(ca.front(), 13879.0);
    EXPECT_EQ(ca.back(), 722.0);
    EXPECT_EQ(fx.front(), 15374.0);
    EXPECT_EQ(fx.back(), 357.0);
    for (std::size_t i = 1; i < ca.size(); ++i) EXPECT_LT(ca[i], ca[i - 1]);
    for (std::size_t i = 1; i < fx.size(); ++i) EXPECT_LT(fx[i], fx[i - 1]);
    EXPECT_TRUE(landsberger_place_freq_hz("flex28").empty());
    EXPECT_TRUE(landsberger_place_freq_hz("nope").empty());
}

// validation.md check 5: a CI612-like array (15 mm active, perimodiolar, ~18 mm) is more shifted than a
// FLEX28 at full insertion, each against its maker's default allocation.
TEST(Mismatch, ContourAdvanceIsMoreShiftedThanFlex28) {
    const auto& ca = electrode_array("contour_advance");
    const auto& fx = electrode_array("flex28");
    const auto ca_mm = place_mismatch(contact_place_freq_hz(ca, ca.typical_insertion_mm), nucleus_centres_basal_first());
    const auto fx_mm = place_mismatch(contact_place_freq_hz(fx, fx.typical_insertion_mm), medel_centres_basal_first());
    const double ca_oct = mean(ca_mm.octaves), fx_oct = mean(fx_mm.octaves);
    RecordProperty("contour_advance_mean_octaves", fmt::format("{:.3f}", ca_oct));
    RecordProperty("flex28_mean_octaves", fmt::format("{:.3f}", fx_oct));
    std::cout << fmt::format("mean mismatch: contour_advance@{} mm {:.2f} oct ({:.2f} mm, apical {:.2f} oct), "
                             "flex28@{} mm {:.2f} oct ({:.2f} mm, apical {:.2f} oct)\n",
                             ca.typical_insertion_mm, ca_oct, mean(ca_mm.mm), ca_mm.octaves.back(),
                             fx.typical_insertion_mm, fx_oct, mean(fx_mm.mm), fx_mm.octaves.back());
    EXPECT_GT(ca_oct, fx_oct);
    EXPECT_GT(mean_abs(ca_mm.octaves), mean_abs(fx_mm.octaves));
    EXPECT_GT(mean(ca_mm.mm), mean(fx_mm.mm));
    EXPECT_GT(ca_mm.octaves.back(), fx_mm.octaves.back());  // the apical end, where it matters most
    // Every contact sits above (basal of) its band for both arrays at these depths.
    for (double o : ca_mm.octaves) EXPECT_GT(o, 0.0);
    for (double o : fx_mm.octaves) EXPECT_GT(o, 0.0);
}

TEST(Mismatch, SignAndUnits) {
    const double place[] = {2000.0, 500.0};
    const double band[] = {1000.0, 1000.0};
    const auto m = place_mismatch(place, band);
    EXPECT_NEAR(m.octaves[0], 1.0, 1e-12);
    EXPECT_NEAR(m.octaves[1], -1.0, 1e-12);
    EXPECT_GT(m.mm[0], 0.0);
    EXPECT_LT(m.mm[1], 0.0);
    EXPECT_NEAR(m.mm[0], greenwood_place_from_apex_mm(2000.0) - greenwood_place_from_apex_mm(1000.0), 1e-12);
    EXPECT_TRUE(place_mismatch({}, {}).octaves.empty());
}

TEST(Errors, OneLineMessagesNamingTheParameterAndRange) {
    const std::string unknown = message_of([] { electrode_array("ci999"); });
    EXPECT_EQ(unknown.rfind("array: 'ci999' is not one of slim_straight, ", 0), 0u) << unknown;
    EXPECT_NE(unknown.find("hifocus_slimj"), std::string::npos);

    const auto& ca = electrode_array("contour_advance");
    for (double bad : {14.0, 35.5, -1.0, std::nan("")}) {
        const std::string m = message_of([&] { contact_depths_mm(ca, bad); });
        EXPECT_EQ(m.rfind("insertion_depth_mm: ", 0), 0u) << m;
        EXPECT_NE(m.find("out of range [15, 35] mm"), std::string::npos) << m;
        EXPECT_EQ(message_of([&] { contact_place_freq_hz(ca, bad); }), m);
    }
    // A shorter map lowers the upper bound.
    const std::string short_map = message_of([&] { contact_place_freq_hz(ca, 34.0, GreenwoodMap{.length_mm = 33.0}); });
    EXPECT_NE(short_map.find("[15, 33] mm"), std::string::npos) << short_map;

    const double two[] = {1000.0, 2000.0}, one[] = {1000.0}, bad[] = {1000.0, 0.0};
    EXPECT_EQ(message_of([&] { place_mismatch(two, one); }),
              "band_centre_hz: 1 values but place_freq_hz has 2 (lengths must match)");
    EXPECT_EQ(message_of([&] { place_mismatch(two, bad); }).rfind("band_centre_hz: ", 0), 0u);
    EXPECT_EQ(message_of([&] { place_mismatch(bad, two); }).rfind("place_freq_hz: ", 0), 0u);
    for (const std::string& m : {unknown, short_map}) EXPECT_EQ(m.find('\n'), std::string::npos);
}

// The table in docs/electrode-arrays.md, printed when EARSHOT_PRINT_ANATOMY_TABLE=1.
TEST(ElectrodeArrays, DocsTable) {
    const char* env = std::getenv("EARSHOT_PRINT_ANATOMY_TABLE");
    if (!env || std::string(env) != "1") GTEST_SKIP() << "set EARSHOT_PRINT_ANATOMY_TABLE=1 to print";
    std::cout << "| id | array | contacts | active length (mm) | pitch (mm) | typical insertion (mm) | "
                 "insertion range (mm) | place range at typical insertion (Hz) | mean mismatch (oct) |\n"
                 "|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& a : electrode_arrays()) {
        const auto f = contact_place_freq_hz(a, a.typical_insertion_mm);
        std::string mis = "–";
        if (a.contacts == 22) mis = fmt::format("{:.2f} (Nucleus 22)", mean(place_mismatch(f, nucleus_centres_basal_first()).octaves));
        if (a.contacts == 12) mis = fmt::format("{:.2f} (MED-EL 12)", mean(place_mismatch(f, medel_centres_basal_first()).octaves));
        std::cout << fmt::format("| `{}` | {}{} | {} | {:g} | {:.2f} | {:g} | {:g}–{:g} | {:.0f}–{:.0f} | {} |\n", a.id,
                                 a.name, a.perimodiolar ? " (perimodiolar)" : "", a.contacts, a.active_length_mm,
                                 a.active_length_mm / (a.contacts - 1), a.typical_insertion_mm, a.min_insertion_mm,
                                 a.max_insertion_mm, f.back(), f.front(), mis);
    }
    std::cout << "\n| Landsberger et al. 2015 places | contacts | place range (Hz) | mean mismatch (oct) |\n"
                 "|---|---|---|---|\n";
    for (const char* id : {"contour_advance", "flex24"}) {
        const auto f = landsberger_place_freq_hz(id);
        const auto c = f.size() == 22 ? nucleus_centres_basal_first() : medel_centres_basal_first();
        std::cout << fmt::format("| `{}` | {} | {:.0f}–{:.0f} | {:.2f} ({}) |\n", id, f.size(), f.back(), f.front(),
                                 mean(place_mismatch(f, c).octaves), f.size() == 22 ? "Nucleus 22" : "MED-EL 12");
    }
}
