// Parameters as data (issue 9 item 5): the enum tables (earshot/core/enum_spec.hpp) and the key tables
// (earshot/core/key_spec.hpp) against themselves, the readers and writer, and the docs. The docs' key tables
// are parsed from the markdown (docs/*.md) and must list exactly the code's keys, with the same unit, the
// same numeric range where the code has one range (ParamSpec), the same accepted names for enum keys, and
// (implant keys) the same type. Changing a table without the docs, or the docs without the table, fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/core/key_spec.hpp"
#include "earshot/dsp/downmix.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/hearing/hearing_names.hpp"
#include "earshot/implant/implant_names.hpp"
#include "earshot/io/file_keys.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/io/manifest.hpp"
#include "earshot/scene/scene_names.hpp"

namespace earshot {
namespace {

const std::string kDocs = std::string(EARSHOT_TEST_DATA) + "/../../docs/";

template <class Spec>
void expect_round_trip(const Spec& spec) {
    std::set<std::string> seen;
    for (const auto& v : spec.values) {
        EXPECT_TRUE(seen.insert(std::string(v.name)).second) << spec.id << ": " << v.name << " twice";
        EXPECT_FALSE(v.help.empty()) << spec.id << ": " << v.name << " has no help";
        ASSERT_TRUE(spec.find(v.name).has_value()) << v.name;
        EXPECT_EQ(*spec.find(v.name), v.value);
        EXPECT_EQ(spec.to_name(v.value), v.name);
    }
}

TEST(EnumSpec, EveryTableRoundTripsNameToValueToName) {
    expect_round_trip(names::strategy);
    expect_round_trip(names::envelope);
    expect_round_trip(names::front_end);
    expect_round_trip(names::order);
    expect_round_trip(names::rectifier);
    expect_round_trip(names::place_map);
    expect_round_trip(names::carrier);
    expect_round_trip(names::field);
    expect_round_trip(names::degree);
    expect_round_trip(names::hearing_aid);
    expect_round_trip(names::ear);
    expect_round_trip(names::curve);
    expect_round_trip(names::ears);
    expect_round_trip(names::tinnitus_kind);
    expect_round_trip(names::audio_format);
    expect_round_trip(names::level_measure);
    expect_round_trip(names::sex);
    expect_round_trip(names::level_ref);
    expect_round_trip(names::speaker);
    expect_round_trip(value_kind_names);
}

TEST(EnumSpec, EveryValueOfAnEnumHasAName) {
    // The enums are dense from 0: each value up to the last has a name.
    EXPECT_EQ(names::field.values.size(), 4u);  // free, diffuse, erp, eardrum: the CLI can select erp
    for (int i = 0; i < 4; ++i) EXPECT_FALSE(names::field.to_name(SoundField(i)).empty()) << i;
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(names::carrier.to_name(Carrier(i)).empty()) << i;
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(names::audio_format.to_name(AudioFormat(i)).empty()) << i;
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(names::curve.to_name(Curve(i)).empty()) << i;
    for (int i = 0; i < 2; ++i) EXPECT_FALSE(names::sex.to_name(Sex(i)).empty()) << i;
    for (int i = 0; i < 2; ++i) EXPECT_FALSE(names::level_ref.to_name(LevelRef(i)).empty()) << i;
    for (int i = 0; i < 9; ++i) EXPECT_FALSE(names::speaker.to_name(Speaker(i)).empty()) << i;
    EXPECT_EQ(speaker_name(Speaker::surround_left), "Ls");
    EXPECT_EQ(*names::field.find("erp"), SoundField::ear_reference_point);
}

TEST(EnumSpec, UnknownNameIsOneLineWithTheNamesAndTheNearest) {
    try {
        names::envelope.from_name("vectr_sum", "implant.json: envelope");
        FAIL() << "accepted";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "implant.json: envelope: 'vectr_sum' is not one of power_sum, vector_sum; did you mean vector_sum?");
    }
    try {
        names::strategy.from_name("fsp", "strategy");
        FAIL() << "accepted";
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "strategy: 'fsp' is not one of ace, cis, speak");  // nothing near: no suggestion
    }
}

TEST(KeyTables, ImplantReaderAcceptsEveryKeyOfTheTableAndNothingElse) {
    const auto keys = implant_keys();
    EXPECT_EQ(keys.size(), 41u);
    // Every key is known to the reader: an unknown one is refused naming it, a table key is not refused as unknown.
    for (const auto& k : keys) {
        try {
            (void)parse_implant_json(fmt::format(R"({{"{}": null}})", k.key), "t.json");
        } catch (const ConfigError& e) {
            EXPECT_EQ(std::string(e.what()).find("unknown key"), std::string::npos) << k.key << ": " << e.what();
        }
    }
    EXPECT_THROW((void)parse_implant_json(R"({"strategi": "ace"})", "t.json"), ConfigError);
}

TEST(KeyTables, ImplantWriterWritesOnlyTableKeysAndEveryKeyButPreset) {
    std::set<std::string> written;
    for (const auto& info : implant_presets()) {
        const auto j = nlohmann::json::parse(implant_to_json(implant_preset(info.id)));
        for (auto it = j.begin(); it != j.end(); ++it) {
            EXPECT_NE(find_key(implant_keys(), it.key()), nullptr) << info.id << " writes " << it.key();
            written.insert(it.key());
        }
    }
    ImplantParams p = implant_preset("nucleus-ace");  // ACE keys written only when set
    p.ace.electrodes = {22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    const auto ace = nlohmann::json::parse(implant_to_json(p));
    for (auto it = ace.begin(); it != ace.end(); ++it) written.insert(it.key());
    p = implant_preset("medel-cis");
    p.cis.fat_edges_hz = {100, 200, 400, 800, 1600, 3200, 4000, 4500, 5000, 5500, 6000, 7000, 8000};
    const auto cis = nlohmann::json::parse(implant_to_json(p));
    for (auto it = cis.begin(); it != cis.end(); ++it) written.insert(it.key());
    for (const auto& k : implant_keys())
        if (k.key != "preset") EXPECT_TRUE(written.count(std::string(k.key))) << k.key << " is never written";
}

// --- the docs' tables ---------------------------------------------------------------------------------------

struct DocRow {
    std::vector<std::string> keys;
    std::map<std::string, std::string> cells;  // by header name
};

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}
std::vector<std::string> split_row(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    bool tick = false;
    for (std::size_t i = 1; i < line.size(); ++i) {  // after the leading '|'
        const char c = line[i];
        if (c == '`') tick = !tick;
        if (c == '|' && !tick) out.push_back(trim(cell)), cell.clear();
        else cell += c;
    }
    return out;
}
/// The backticked words of a cell (quotes stripped), except table names such as `[[pov]]`.
std::vector<std::string> ticked(const std::string& cell) {
    std::vector<std::string> out;
    static const std::regex re("`([^`]*)`");
    for (std::sregex_iterator it(cell.begin(), cell.end(), re), end; it != end; ++it) {
        std::string w = (*it)[1];
        if (w.size() >= 2 && w.front() == '"' && w.back() == '"') w = w.substr(1, w.size() - 2);
        if (!w.empty() && w[0] != '[') out.push_back(w);
    }
    return out;
}

/// The rows of every key table in the section of `doc` under the heading `heading`.
std::vector<DocRow> doc_rows(const std::string& doc, const std::string& heading) {
    std::ifstream in(kDocs + doc.substr(std::string("docs/").size()));
    EXPECT_TRUE(in) << doc;
    std::vector<DocRow> rows;
    std::string line;
    int level = 0;
    std::vector<std::string> header;
    bool found = false;
    while (std::getline(in, line)) {
        if (line.rfind('#', 0) == 0) {
            const int l = int(line.find_first_not_of('#'));
            if (level > 0 && l <= level) break;
            if (trim(line.substr(std::size_t(l))) == heading) level = l, found = true;
            continue;
        }
        if (level == 0) continue;
        if (line.rfind("| key ", 0) == 0) {
            header = split_row(line);
            continue;
        }
        if (line.rfind("|---", 0) == 0) continue;
        if (line.rfind("| ", 0) != 0) {
            header.clear();
            continue;
        }
        if (header.empty()) continue;
        const auto cells = split_row(line);
        DocRow r;
        r.keys = ticked(cells.at(0));
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) r.cells[header[i]] = cells[i];
        rows.push_back(r);
    }
    EXPECT_TRUE(found) << doc << ": no heading '" << heading << "'";
    return rows;
}

/// The range a docs cell states: "−10–120, ..." at the start of a range column (anchored), else anywhere in
/// the text "[125, 16000] Hz" or "(100–4000 Hz)".
std::optional<std::pair<double, double>> doc_range(std::string s, bool anchored) {
    for (std::size_t p; (p = s.find("\xe2\x88\x92")) != std::string::npos;) s.replace(p, 3, "-");  // U+2212 minus
    for (std::size_t p; (p = s.find("\xe2\x80\x93")) != std::string::npos;) s.replace(p, 3, "~");  // U+2013 en dash
    std::smatch m;
    if (std::regex_search(s, m, std::regex(anchored ? R"(^(-?[0-9.]+) ?~ ?(-?[0-9.]+))" : R"(\((-?[0-9.]+) ?~ ?(-?[0-9.]+))")))
        return std::pair{std::stod(m[1]), std::stod(m[2])};
    if (!anchored && std::regex_search(s, m, std::regex(R"(\[(-?[0-9.]+), (-?[0-9.]+)\])")))
        return std::pair{std::stod(m[1]), std::stod(m[2])};
    return std::nullopt;
}

void expect_doc_matches(std::string_view doc, std::string_view heading, const std::vector<const KeySpec*>& code,
                        bool check_type) {
    const std::string where = std::string(doc) + " \"" + std::string(heading) + "\"";
    std::set<std::string> doc_keys, code_keys;
    for (const KeySpec* k : code) code_keys.insert(std::string(k->key));
    for (const DocRow& r : doc_rows(std::string(doc), std::string(heading))) {
        for (std::size_t i = 0; i < r.keys.size(); ++i) {
            const std::string& key = r.keys[i];
            doc_keys.insert(key);
            const KeySpec* spec = nullptr;
            for (const KeySpec* k : code)
                if (k->key == key) spec = k;
            if (!spec) continue;  // reported below
            if (r.cells.count("unit")) {
                // "Hz, dB HL" for a row of two keys: one unit each
                std::string unit = r.cells.at("unit");
                if (r.keys.size() > 1 && unit.find(", ") != std::string::npos) {
                    std::vector<std::string> units;
                    std::stringstream ss(unit);
                    for (std::string u; std::getline(ss, u, ',');) units.push_back(trim(u));
                    if (units.size() == r.keys.size()) unit = units[i];
                }
                EXPECT_EQ(unit, spec->unit) << where << ": " << key << ": unit";
            }
            if (spec->range) {
                const bool column = r.cells.count("range") > 0;
                const auto range = doc_range(column ? r.cells.at("range") : r.cells.at("type") + " " + r.cells.at("meaning"), column);
                ASSERT_TRUE(range.has_value()) << where << ": " << key << ": no range in the docs";
                EXPECT_EQ(range->first, spec->range->min_value) << where << ": " << key << ": minimum";
                EXPECT_EQ(range->second, spec->range->max_value) << where << ": " << key << ": maximum";
            }
            if (spec->choices) {
                const auto names = spec->choices();
                const auto listed = ticked(r.cells.count("range") ? r.cells.at("range") : r.cells.at("type"));
                if (!listed.empty() || r.cells.count("range") == 0)
                    EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), std::set<std::string>(names.begin(), names.end()))
                        << where << ": " << key << ": accepted names";
            }
            if (check_type)
                EXPECT_EQ(value_kind_names.find(r.cells.at("type")), spec->kind) << where << ": " << key << ": type '"
                                                                                   << r.cells.at("type") << "'";
        }
    }
    for (const auto& k : code_keys) EXPECT_TRUE(doc_keys.count(k)) << where << ": the docs do not list " << k;
    for (const auto& k : doc_keys) EXPECT_TRUE(code_keys.count(k)) << where << ": the docs list " << k << ", which the code does not accept";
}

void expect_docs_match(std::span<const KeyTable> tables, bool check_type) {
    std::map<std::pair<std::string_view, std::string_view>, std::vector<const KeySpec*>> by_section;
    for (const auto& t : tables)
        for (const auto& k : t.keys) by_section[{t.doc, t.heading}].push_back(&k);
    for (const auto& [section, keys] : by_section) expect_doc_matches(section.first, section.second, keys, check_type);
}

TEST(KeyTables, ImplantFilesDocListsTheImplantKeys) {
    const KeyTable t[] = {{"docs/implant-files.md", "Keys", implant_keys()}};
    expect_docs_match(t, true);
}

TEST(KeyTables, ListenerFilesDocListsTheListenerKeys) { expect_docs_match(listener_key_tables(), false); }

TEST(KeyTables, SceneFilesDocListsTheSceneKeys) { expect_docs_match(scene_key_tables(), false); }

}  // namespace
}  // namespace earshot

namespace earshot {
namespace {
TEST(KeyTables, BatchDocListsTheManifestColumns) {
    const KeyTable t[] = {{"docs/batch.md", "Columns", manifest_columns()}};
    expect_docs_match(t, true);
}
}  // namespace
}  // namespace earshot
