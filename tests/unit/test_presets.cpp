// Presets and the ISO formulas behind them, checked against the published numbers
// (values and sources: /work/shared/research/validation.md sections 1.1, 1.3, 1.4, 1.5).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/hearing/standards.hpp"

namespace earshot {
namespace {

::testing::AssertionResult throws_config(const std::string& id, const std::string& must_contain) {
    try {
        make_preset(id);
    } catch (const ConfigError& e) {
        const std::string msg = e.what();
        if (msg.find(must_contain) == std::string::npos)
            return ::testing::AssertionFailure() << "message '" << msg << "' lacks '" << must_contain << "'";
        if (msg.find('\n') != std::string::npos) return ::testing::AssertionFailure() << "multi-line: " << msg;
        return ::testing::AssertionSuccess();
    } catch (...) {
        return ::testing::AssertionFailure() << "threw something other than ConfigError";
    }
    return ::testing::AssertionFailure() << "did not throw";
}

// --- Bisgaard, Vlaming & Dahlquist 2010, Tables 2 and 4 -------------------------------------------------
TEST(Presets, BisgaardExactValues) {
    const std::array<double, 10> freqs{250, 375, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000};
    const struct {
        const char* id;
        std::array<double, 10> hl;
    } rows[] = {
        {"N1", {10, 10, 10, 10, 10, 10, 15, 20, 30, 40}},
        {"N2", {20, 20, 20, 22.5, 25, 30, 35, 40, 45, 50}},
        {"N3", {35, 35, 35, 35, 40, 45, 50, 55, 60, 65}},
        {"N4", {55, 55, 55, 55, 55, 60, 65, 70, 75, 80}},
        {"N5", {65, 67.5, 70, 72.5, 75, 80, 80, 80, 80, 80}},
        {"N6", {75, 77.5, 80, 82.5, 85, 90, 90, 95, 100, 100}},
        {"N7", {90, 92.5, 95, 100, 105, 105, 105, 105, 105, 105}},
        {"S1", {10, 10, 10, 10, 10, 10, 15, 30, 55, 70}},
        {"S2", {20, 20, 20, 22.5, 25, 35, 55, 75, 95, 95}},
        {"S3", {30, 30, 35, 47.5, 60, 70, 75, 80, 80, 85}},
    };
    for (const auto& row : rows) {
        const Listener l = make_preset(std::string("bisgaard:") + row.id);
        EXPECT_EQ(l.name, std::string("bisgaard:") + row.id);
        for (const EarHearing* ear : {&l.left, &l.right}) {
            ASSERT_EQ(ear->air.freqs_hz.size(), 10u) << row.id;
            EXPECT_TRUE(ear->bone.empty());
            for (std::size_t i = 0; i < 10; ++i) {
                EXPECT_EQ(ear->air.freqs_hz[i], freqs[i]) << row.id;
                EXPECT_EQ(ear->air.hl_db[i], row.hl[i]) << row.id << " at " << freqs[i];
            }
            // The flat extension supplies 125 Hz and 8 kHz.
            EXPECT_EQ(ear->air.at(125.0), row.hl[0]);
            EXPECT_EQ(ear->air.at(8000.0), row.hl[9]);
        }
    }
    EXPECT_EQ(make_preset("bisgaard:n3").name, "bisgaard:N3");  // letter case is forgiven
}

TEST(Presets, Normal) {
    const Listener l = make_preset("normal");
    ASSERT_EQ(l.left.air.freqs_hz.size(), 11u);
    EXPECT_EQ(l.left.air.freqs_hz.front(), 125.0);
    EXPECT_EQ(l.left.air.freqs_hz.back(), 8000.0);
    for (double v : l.left.air.hl_db) EXPECT_EQ(v, 0.0);
    for (double v : l.right.air.hl_db) EXPECT_EQ(v, 0.0);
}

TEST(Presets, SuddenProfound) {
    const Listener l = make_preset("sudden-profound");
    const std::array<double, 7> f{250, 500, 1000, 2000, 4000, 6000, 8000};
    const std::array<double, 7> hl{90, 95, 100, 105, 110, 115, 120};
    for (const EarHearing* ear : {&l.left, &l.right}) {
        ASSERT_EQ(ear->air.freqs_hz.size(), 7u);
        for (std::size_t i = 0; i < 7; ++i) {
            EXPECT_EQ(ear->air.freqs_hz[i], f[i]);
            EXPECT_EQ(ear->air.hl_db[i], hl[i]);
        }
    }
}

// --- ISO 7029:2017 ----------------------------------------------------------------------------------------
TEST(Iso7029, PublishedCheckValues) {
    EXPECT_NEAR(iso7029_threshold_db(4000, 60, Sex::male), 20.2, 0.1);   // phonometry's check: 20.21
    EXPECT_NEAR(iso7029_median_db(4000, 60, Sex::male), 20.21, 0.01);
    EXPECT_NEAR(iso7029_threshold_db(1000, 70, Sex::female), 14.4, 0.1);
    EXPECT_EQ(iso7029_median_db(1000, 18, Sex::male), 0.0);
}

TEST(Iso7029, MedianTableOfValidationNotes) {
    const std::array<double, 8> f{250, 500, 1000, 2000, 3000, 4000, 6000, 8000};
    const struct {
        double age;
        Sex sex;
        std::array<double, 8> db;
    } rows[] = {
        {40, Sex::male, {0.9, 1.2, 1.6, 2.6, 3.6, 4.5, 5.8, 6.8}},
        {50, Sex::male, {2.5, 3.0, 4.0, 6.5, 8.7, 10.7, 13.8, 16.1}},
        {60, Sex::male, {5.5, 6.0, 7.8, 12.5, 16.6, 20.2, 25.9, 30.4}},
        {70, Sex::male, {10.1, 10.4, 13.4, 20.8, 27.4, 33.2, 42.5, 50.0}},
        {80, Sex::male, {16.6, 16.2, 20.7, 31.8, 41.4, 50.0, 63.9, 75.3}},
        {60, Sex::female, {5.9, 6.5, 7.9, 10.6, 13.1, 15.3, 19.4, 23.0}},
        {70, Sex::female, {10.2, 11.6, 14.4, 19.3, 23.4, 27.0, 33.4, 38.8}},
        {80, Sex::female, {15.9, 18.6, 23.6, 31.5, 37.8, 43.2, 52.3, 59.5}},
    };
    for (const auto& row : rows)
        for (std::size_t i = 0; i < f.size(); ++i)
            EXPECT_NEAR(iso7029_threshold_db(f[i], row.age, row.sex, 50.0), row.db[i], 0.1)
                << (row.sex == Sex::male ? "M" : "F") << row.age << " at " << f[i] << " Hz";
}

TEST(Iso7029, PercentilesSpreadAroundMedian) {
    for (double freq : iso7029_freqs_hz) {
        for (Sex sex : {Sex::male, Sex::female}) {
            for (double age : {18.0, 30.0, 50.0, 70.0, 90.0}) {
                const double p10 = iso7029_threshold_db(freq, age, sex, 10);
                const double p50 = iso7029_threshold_db(freq, age, sex, 50);
                const double p90 = iso7029_threshold_db(freq, age, sex, 90);
                EXPECT_GT(p90, p50 + 1.0) << freq << " Hz, age " << age;
                EXPECT_LT(p10, p50 - 1.0) << freq << " Hz, age " << age;
            }
        }
    }
    // At age 18 the spread is the constant term: s_u(male, 4 kHz) = 4.68, s_l = 4.09.
    const double z90 = 1.2815515655446004;
    EXPECT_NEAR(iso7029_threshold_db(4000, 18, Sex::male, 90), z90 * 4.68, 1e-9);
    EXPECT_NEAR(iso7029_threshold_db(4000, 18, Sex::male, 10), -z90 * 4.09, 1e-9);
}

TEST(Iso7029, UnknownFrequencyAndBadPercentile) {
    EXPECT_THROW(iso7029_median_db(1234, 60, Sex::male), ConfigError);
    EXPECT_THROW(iso7029_threshold_db(1000, 60, Sex::male, 0.5), ConfigError);
    EXPECT_THROW(iso7029_threshold_db(1000, 60, Sex::male, 99.5), ConfigError);
}

TEST(StandardNormal, Quantiles) {
    EXPECT_NEAR(standard_normal_quantile(0.5), 0.0, 1e-15);
    EXPECT_NEAR(standard_normal_quantile(0.9), 1.2815515655446004, 1e-13);
    EXPECT_NEAR(standard_normal_quantile(0.975), 1.959963984540054, 1e-13);
    EXPECT_NEAR(standard_normal_quantile(0.01), -2.3263478740408408, 1e-13);
    EXPECT_NEAR(standard_normal_quantile(0.99), 2.3263478740408408, 1e-13);
    EXPECT_NEAR(standard_normal_quantile(1e-10), -6.361340902404056, 1e-10);
    EXPECT_NEAR(standard_normal_quantile(0.25), -0.6744897501960817, 1e-13);
    EXPECT_THROW(standard_normal_quantile(0.0), ConfigError);
    EXPECT_THROW(standard_normal_quantile(1.0), ConfigError);
}

TEST(Presets, Iso7029PresetMatchesFormulaAndClamps) {
    const Listener l = make_preset("iso7029:sex=female,percentile=90,age=70");  // any key order
    EXPECT_EQ(l.name, "iso7029:age=70,sex=female,percentile=90");
    ASSERT_EQ(l.left.air.freqs_hz.size(), 11u);
    for (std::size_t i = 0; i < 11; ++i) {
        EXPECT_EQ(l.left.air.freqs_hz[i], iso7029_freqs_hz[i]);
        EXPECT_DOUBLE_EQ(l.left.air.hl_db[i], iso7029_threshold_db(iso7029_freqs_hz[i], 70, Sex::female, 90));
        EXPECT_EQ(l.right.air.hl_db[i], l.left.air.hl_db[i]);
    }
    const Listener median = make_preset("iso7029:age=60,sex=male");
    EXPECT_NEAR(median.left.air.at(4000), 20.2, 0.1);
    // Extreme extrapolation stays inside the audiogram range.
    const Listener old = make_preset("iso7029:age=100,sex=male,percentile=99");
    for (double v : old.left.air.hl_db) {
        EXPECT_LE(v, 120.0);
        EXPECT_GE(v, -10.0);
    }
    const Listener young = make_preset("iso7029:age=18,sex=male,percentile=1");
    for (double v : young.left.air.hl_db) EXPECT_GE(v, -10.0);
    EXPECT_NEAR(young.left.air.hl_db[0], -2.3263478740408408 * 3.34, 1e-9);  // z_1 * s_l(male, 125 Hz, 18 y)
    EXPECT_EQ(old.left.air.hl_db.back(), 120.0);  // 8 kHz median alone is 144 dB at 100 y: clamped
}

TEST(Presets, Iso7029Errors) {
    EXPECT_TRUE(throws_config("iso7029:age=60", "sex"));
    EXPECT_TRUE(throws_config("iso7029:sex=male", "age"));
    EXPECT_TRUE(throws_config("iso7029:sex=male", "[18, 100]"));
    EXPECT_TRUE(throws_config("iso7029", "age"));
    EXPECT_TRUE(throws_config("iso7029:age=17,sex=male", "age: 17 is out of range [18, 100] years"));
    EXPECT_TRUE(throws_config("iso7029:age=101,sex=male", "[18, 100]"));
    EXPECT_TRUE(throws_config("iso7029:age=sixty,sex=male", "'sixty' is not a number"));
    EXPECT_TRUE(throws_config("iso7029:age=60x,sex=male", "'60x' is not a number"));
    EXPECT_TRUE(throws_config("iso7029:age=60,sex=other", "male or female"));
    EXPECT_TRUE(throws_config("iso7029:age=60,sex=male,percentile=0", "percentile: 0 is out of range [1, 99]"));
    EXPECT_TRUE(throws_config("iso7029:age=60,sex=male,percentile=100", "[1, 99]"));
    EXPECT_TRUE(throws_config("iso7029:age=60,sex=male,colour=red", "unknown key 'colour'"));
    EXPECT_TRUE(throws_config("iso7029:age=60,sex=male,colour=red", "age, sex, percentile"));
    EXPECT_TRUE(throws_config("iso7029:age=60,age=61,sex=male", "given twice"));
    EXPECT_TRUE(throws_config("iso7029:age=60,,sex=male", "empty parameter"));
    EXPECT_TRUE(throws_config("iso7029:age60,sex=male", "not key=value"));
}

// --- ISO 1999:2013 ----------------------------------------------------------------------------------------
TEST(Iso1999, NiptsTableOfValidationNotes) {
    const std::array<double, 6> f{500, 1000, 2000, 3000, 4000, 6000};
    const struct {
        double level, years;
        std::array<double, 6> db;
    } rows[] = {
        {90, 10, {0.0, 0.1, 2.1, 8.3, 11.2, 7.3}},
        {95, 20, {0.4, 2.6, 9.2, 19.5, 23.0, 16.3}},
        {100, 10, {3.8, 6.1, 8.4, 25.9, 31.2, 22.7}},
        {100, 40, {7.0, 11.1, 24.3, 37.7, 40.7, 30.4}},
    };
    for (const auto& row : rows)
        for (std::size_t i = 0; i < 6; ++i)
            EXPECT_NEAR(iso1999_nipts_db(f[i], row.level, row.years), row.db[i], 0.1)
                << row.level << " dB, " << row.years << " y at " << f[i] << " Hz";
}

TEST(Iso1999, HtlanExampleMale50) {
    // Male, 50 years, 95 dB(A) for 30 years (validation.md section 1.4).
    const std::array<double, 6> f{500, 1000, 2000, 3000, 4000, 6000};
    const std::array<double, 6> expected{3.5, 6.9, 17.7, 28.8, 33.3, 29.4};
    for (std::size_t i = 0; i < 6; ++i) {
        const double h = iso7029_median_db(f[i], 50, Sex::male);
        const double n = iso1999_nipts_db(f[i], 95, 30);
        EXPECT_NEAR(iso1999_combine_db(h, n), expected[i], 0.15) << f[i] << " Hz";
    }
}

TEST(Iso1999, DurationAndLevelRules) {
    EXPECT_EQ(iso1999_nipts_db(4000, 100, 0), 0.0);
    EXPECT_EQ(iso1999_nipts_db(4000, 74, 20), 0.0);  // below L0 = 75
    EXPECT_EQ(iso1999_nipts_db(500, 93, 20), 0.0);   // at L0
    // Below 10 years: lg(t+1)/lg(11) of the 10-year value.
    const double n10 = iso1999_nipts_db(4000, 100, 10);
    EXPECT_NEAR(iso1999_nipts_db(4000, 100, 5), std::log10(6.0) / std::log10(11.0) * n10, 1e-12);
    EXPECT_NEAR(iso1999_nipts_db(4000, 100, 10), (0.025 + 0.025) * 625.0, 1e-12);
    // Percentiles: 90 % worse than median, 10 % better, never negative.
    EXPECT_GT(iso1999_nipts_db(4000, 100, 20, 90), iso1999_nipts_db(4000, 100, 20));
    EXPECT_LT(iso1999_nipts_db(4000, 100, 20, 10), iso1999_nipts_db(4000, 100, 20));
    EXPECT_GE(iso1999_nipts_db(500, 95, 20, 1), 0.0);
    EXPECT_THROW(iso1999_nipts_db(8000, 100, 10), ConfigError);
    EXPECT_THROW(iso1999_nipts_db(4000, 100, 10, 0), ConfigError);
}

TEST(Presets, NoiseNotchDefaultsAndShape) {
    const Listener l = make_preset("noise-notch");
    EXPECT_EQ(l.name, "noise-notch:years=10,level=100,age=30,sex=male");
    const Audiogram& a = l.left.air;
    ASSERT_EQ(a.freqs_hz.size(), 11u);
    for (std::size_t i = 0; i < 11; ++i) EXPECT_EQ(a.freqs_hz[i], iso7029_freqs_hz[i]);
    auto expect_at = [&](double f, double n) {
        const double h = iso7029_median_db(f, 30, Sex::male);
        EXPECT_NEAR(a.at(f), iso1999_combine_db(h, n), 1e-9) << f << " Hz";
    };
    for (double f : iso1999_freqs_hz) expect_at(f, iso1999_nipts_db(f, 100, 10));
    // Documented fill-in rules.
    expect_at(125, iso1999_nipts_db(500, 100, 10));
    expect_at(250, iso1999_nipts_db(500, 100, 10));
    expect_at(750, 0.5 * (iso1999_nipts_db(500, 100, 10) + iso1999_nipts_db(1000, 100, 10)));
    expect_at(1500, 0.5 * (iso1999_nipts_db(1000, 100, 10) + iso1999_nipts_db(2000, 100, 10)));
    expect_at(8000, 0.5 * (iso1999_nipts_db(2000, 100, 10) + iso1999_nipts_db(3000, 100, 10)));
    // The notch: 4 kHz is the worst point, 8 kHz recovers.
    EXPECT_GT(a.at(4000), a.at(2000));
    EXPECT_GT(a.at(4000), a.at(6000));
    EXPECT_GT(a.at(4000), a.at(8000));
    EXPECT_EQ(l.right.air.hl_db, a.hl_db);
}

TEST(Presets, NoiseNotchParameters) {
    const Listener l = make_preset("noise-notch:sex=male,age=50,level=95,years=30");
    const std::array<double, 6> expected{3.5, 6.9, 17.7, 28.8, 33.3, 29.4};
    for (std::size_t i = 0; i < 6; ++i) EXPECT_NEAR(l.left.air.at(iso1999_freqs_hz[i]), expected[i], 0.15);
    EXPECT_TRUE(throws_config("noise-notch:level=74", "level: 74 is out of range [75, 120] dB(A)"));
    EXPECT_TRUE(throws_config("noise-notch:level=121", "[75, 120]"));
    EXPECT_TRUE(throws_config("noise-notch:years=51", "years: 51 is out of range [0, 50] years"));
    EXPECT_TRUE(throws_config("noise-notch:years=-1", "[0, 50]"));
    EXPECT_TRUE(throws_config("noise-notch:age=10", "[18, 100]"));
    EXPECT_TRUE(throws_config("noise-notch:sex=x", "male or female"));
    EXPECT_TRUE(throws_config("noise-notch:loud=1", "unknown key 'loud'"));
    EXPECT_TRUE(throws_config("noise-notch:level=", "is not a number"));
    // No exposure: the age-only audiogram.
    const Listener quiet = make_preset("noise-notch:years=0,age=60,sex=female");
    for (double f : iso7029_freqs_hz)
        EXPECT_NEAR(quiet.left.air.at(f), iso7029_median_db(f, 60, Sex::female), 1e-12);
}

TEST(Presets, UnknownIdListsKnown) {
    EXPECT_TRUE(throws_config("x", "--listener: unknown preset 'x' (known: normal, bisgaard:N1..N7"));
    EXPECT_TRUE(throws_config("bisgaard:N8", "unknown preset 'bisgaard:N8'"));
    EXPECT_TRUE(throws_config("bisgaard:", "unknown preset"));
    EXPECT_TRUE(throws_config("Normal", "sudden-profound"));
}

TEST(Presets, ListIsBuildable) {
    const auto all = list_presets();
    EXPECT_GE(all.size(), 14u);
    for (const PresetInfo& p : all) {
        EXPECT_FALSE(p.description.empty()) << p.id;
        EXPECT_EQ(p.description.find('\n'), std::string::npos);
        const Listener l = make_preset(p.id);
        EXPECT_NO_THROW(l.validate(p.id));
    }
}

}  // namespace
}  // namespace earshot
