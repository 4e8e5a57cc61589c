// Implant files: every key is read, round-trips, and every bad input is one line naming the key and range.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/io/implant_file.hpp"

using namespace earshot;

namespace {
std::string error_of(const std::string& text) {
    try {
        parse_implant_json(text, "imp.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}
}  // namespace

TEST(ImplantFile, ReadsTheIssueKeys) {
    const ImplantParams p = parse_implant_json(R"({
        "strategy": "ace", "audio_rate_hz": 16000, "bands": 20, "maxima": 10, "channel_rate_pps": 1000,
        "envelope": "vector_sum", "agc": false, "front_end": "pre_emphasis", "t_level": 5,
        "c_level": [150,150,150,150,150,150,150,150,150,150,150,150,150,150,150,150,150,150,150,150,150,160],
        "lgf_q": 25, "base_level": 0.02, "sat_level": 0.9, "order": "apex_to_base", "phase_width_us": 37,
        "phase_gap_us": 8, "array": "contour_advance", "insertion_depth_mm": 17.5, "deactivated": [1],
        "carrier": "sine", "spread_db_per_mm": 3.5, "seed": 42 })",
                                               "imp.json");
    EXPECT_EQ(p.strategy, StrategyKind::ace);
    EXPECT_EQ(p.ace.audio_rate_hz, 16000);
    EXPECT_EQ(p.ace.bands, 20);
    EXPECT_EQ(p.ace.maxima, 10);
    EXPECT_EQ(p.ace.channel_rate_pps, 1000);
    EXPECT_EQ(p.ace.envelope, EnvelopeMethod::vector_sum);
    EXPECT_FALSE(p.ace.agc);
    EXPECT_EQ(p.ace.front_end, FrontEnd::pre_emphasis);
    EXPECT_EQ(p.ace.t_level, std::vector<double>{5});
    EXPECT_EQ(p.ace.c_level.size(), 22u);
    EXPECT_EQ(p.ace.c_level[21], 160);
    EXPECT_EQ(p.ace.lgf_q, 25);
    EXPECT_EQ(p.ace.base_level, 0.02);
    EXPECT_EQ(p.ace.sat_level, 0.9);
    EXPECT_EQ(p.ace.order, PulseOrder::apex_to_base);
    EXPECT_EQ(p.ace.phase_width_us, 37);
    EXPECT_EQ(p.ace.phase_gap_us, 8);
    EXPECT_EQ(p.array, "contour_advance");
    EXPECT_EQ(p.insertion_depth_mm, 17.5);
    EXPECT_EQ(p.ace.deactivated, std::vector<int>{1});
    EXPECT_EQ(p.auralisation.carrier, Carrier::sine);
    EXPECT_EQ(p.auralisation.spread_db_per_mm, 3.5);
    EXPECT_EQ(p.auralisation.seed, 42u);
}

TEST(ImplantFile, StrategyCisAndSpeakStartFromTheirPresets) {
    const ImplantParams c = parse_implant_json(R"({"strategy": "cis", "bands": 8, "array": "flex24"})", "c.json");
    EXPECT_EQ(c.strategy, StrategyKind::cis);
    EXPECT_EQ(c.cis.bands, 8);
    EXPECT_EQ(c.cis.num_electrodes, 12);
    EXPECT_EQ(c.insertion_depth_mm, 24.0);  // FLEX24's typical insertion
    const ImplantParams s = parse_implant_json(R"({"strategy": "speak"})", "s.json");
    EXPECT_EQ(s.ace.bands, 20);
    EXPECT_EQ(s.ace.maxima, 6);
    EXPECT_EQ(s.ace.channel_rate_pps, 250);
    const ImplantParams spread = parse_implant_json(R"({"spread_db_per_mm": "none"})", "n.json");
    EXPECT_TRUE(std::isinf(spread.auralisation.spread_db_per_mm));
}

TEST(ImplantFile, RoundTripsThroughJson) {
    for (const auto& info : implant_presets()) {
        const ImplantParams a = implant_preset(info.id);
        const ImplantParams b = parse_implant_json(implant_to_json(a), "rt.json");
        EXPECT_EQ(implant_to_json(a), implant_to_json(b)) << info.id;
    }
}

TEST(ImplantFile, BadInputsAreOneLineErrorsNamingTheKey) {
    struct Case { const char* json; const char* expect; };
    const Case cases[] = {
        {R"({"maxima_": 8})", "unknown key 'maxima_'"},
        {R"({"audio_rate_hz": 4000})", "audio_rate_hz: 4000 is out of range [8000, 48000] Hz"},
        {R"({"bands": 8, "maxima": 12})", "maxima: 12 is out of range [1, bands = 8]"},
        {R"({"bands": 30})", "bands: 30 is out of range [1, 22]"},
        {R"({"deactivated": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22]})", "all 22 electrodes are deactivated"},
        {R"({"deactivated": [23]})", "deactivated: electrode 23 is out of range [1, 22]"},
        {R"({"channel_rate_pps": 50})", "channel_rate_pps: 50 is out of range [100, 8000] pps"},
        {R"({"channel_rate_pps": 4000, "maxima": 8})", "shorter than two phases"},
        {R"({"envelope": "rms"})", "envelope: 'rms' is not one of power_sum, vector_sum"},
        {R"({"strategy": "fsp"})", "strategy: 'fsp' is not one of ace, cis, speak"},
        {R"({"agc": "yes"})", "agc: expected true or false"},
        {R"({"bands": 8.5})", "bands: 8.5 is not a whole number"},
        {R"({"t_level": [1, 2]})", "t_level: 2 values; give one or one per electrode (22)"},
        {R"({"t_level": 120, "c_level": 100})", "must be above t_level"},
        {R"({"c_level": 300})", "c_level: 300 is out of range [0, 255]"},
        {R"({"lgf_q": 100})", "lgf_q: 100 is out of range (0, 100)"},
        {R"({"phase_width_us": 500})", "phase_width_us: 500 is out of range [9.6, 400] µs"},
        {R"({"array": "flex99"})", "array: 'flex99' is not one of"},
        {R"({"array": "flex28"})", "flex28 has 12 contacts but the ace strategy drives 22 electrodes"},
        {R"({"insertion_depth_mm": 40})", "insertion_depth_mm: 40 is out of range"},
        {R"({"place_map": "landsberger"})", "landsberger has no measured places for slim_straight"},
        {R"({"carrier": "pink"})", "carrier: 'pink' is not one of noise, sine, multitone, get, gammatone_pulse"},
        {R"({"spread_db_per_mm": 0.1})", "spread_db_per_mm"},
        {R"({"seed": -1})", "seed: -1 is out of range"},
        {R"({"intensity": 1.5})", "intensity: 1.5 is out of range [0, 1]"},
        {R"({"adaptation": -0.5})", "adaptation: -0.5 is out of range [0, 1]"},
        {R"({"strategy": "cis", "maxima": 4})", "maxima: CIS stimulates every channel"},
        {R"({"envelope_cutoff_hz": 300})", "envelope_cutoff_hz: only for strategy cis"},
        {R"({"strategy": "cis", "high_freq_hz": 12000})", "high_freq_hz: 12000 is out of range"},
        {R"({"fat_edges_hz": [300, 200, 400]})", "fat_edges_hz: edges must ascend"},
        {R"({"fat_edges_hz": [100, 1000, 3000]})", "fat_edges_hz: 100 Hz is out of range [187.5, 7937.5] Hz at 16000 Hz"},
        {R"({"preset": "nucleus-ace-2"})", "'nucleus-ace-2' is not a preset"},
        {R"([1, 2])", "expected an object of implant keys"},
        {"{\"bands\": 8,\n \"maxima\": }", "imp.json:2:12: JSON parse error"},
    };
    for (const Case& c : cases) {
        const std::string e = error_of(c.json);
        EXPECT_NE(e.find(c.expect), std::string::npos) << c.json << "\n  got: " << e;
        EXPECT_EQ(e.find('\n'), std::string::npos) << e;
        EXPECT_EQ(e.rfind("imp.json", 0), 0u) << "names the file: " << e;
    }
}
