#include "earshot/io/implant_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "json_text.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/key_error.hpp"
#include "earshot/core/key_spec.hpp"
#include "earshot/core/text_file.hpp"
#include "earshot/implant/electrode_array.hpp"
#include "earshot/implant/greenwood.hpp"
#include "earshot/implant/implant_names.hpp"
#include "implant_json.hpp"

namespace earshot {
namespace {
using json = nlohmann::json;

// --- JSON ------------------------------------------------------------------------------------------------
struct Reader {
    std::string where;
    const json& j;
    [[noreturn]] void fail(std::string_view key, std::string_view msg) const {
        throw KeyError(where, 0, std::string(key), fmt::format("{}: {}", key, msg));
    }
    double number(const char* key) const {
        const json& v = j.at(key);
        if (!v.is_number()) fail(key, "expected a number");
        return v.get<double>();
    }
    int integer(const char* key) const {
        const double v = number(key);
        if (v != std::floor(v) || std::fabs(v) > 1e6) fail(key, fmt::format("{} is not a whole number", v));
        return int(v);
    }
    bool boolean(const char* key) const {
        const json& v = j.at(key);
        if (!v.is_boolean()) fail(key, "expected true or false");
        return v.get<bool>();
    }
    std::string string(const char* key) const {
        const json& v = j.at(key);
        if (!v.is_string()) fail(key, "expected a string");
        return v.get<std::string>();
    }
    template <class E, std::size_t N>
    E choice(const EnumSpec<E, N>& spec) const {
        const std::string s = string(spec.id.data());
        if (const auto e = spec.find(s)) return *e;
        fail(spec.id, spec.not_one_of(s));
    }
    std::vector<double> numbers(const char* key) const {
        const json& v = j.at(key);
        if (v.is_number()) return {v.get<double>()};
        if (!v.is_array()) fail(key, "expected a number or an array of numbers");
        std::vector<double> out;
        for (const auto& e : v) {
            if (!e.is_number()) fail(key, "expected an array of numbers");
            out.push_back(e.get<double>());
        }
        return out;
    }
    std::vector<int> integers(const char* key) const {
        std::vector<int> out;
        for (double d : numbers(key)) {
            if (d != std::floor(d)) fail(key, fmt::format("{} is not a whole number", d));
            if (std::fabs(d) > 1e6) fail(key, fmt::format("{} is out of range [-1e6, 1e6]", d));
            out.push_back(int(d));
        }
        return out;
    }
};

}  // namespace

namespace detail {
ImplantParams implant_from_json(const json& j, std::string_view where_in, const std::filesystem::path& referring_file) {
    const std::string where(where_in);
    if (j.is_string()) {
        // A preset id, or an implant file named relative to the file that names it.
        const std::string spec = j.get<std::string>();
        return load_implant(is_implant_file_name(spec) ? resolve_reference(referring_file, spec).string() : spec);
    }
    if (!j.is_object()) throw ConfigError(fmt::format("{}: expected an object of implant keys or a preset name", where));
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!find_key(implant_keys(), it.key()))
            throw KeyError(where, 0, it.key(), fmt::format("unknown key '{}' (see docs/implant-files.md)", it.key()));
    const Reader r{where, j};
    auto with_where = [&](std::string_view key, auto&& f) {
        try {
            return f();
        } catch (const ConfigError& e) {
            throw KeyError(where, 0, std::string(key), e.what());
        }
    };
    ImplantParams p = j.contains("preset") ? with_where("preset", [&] { return implant_preset(r.string("preset")); }) : implant_preset("nucleus-ace");
    if (j.contains("strategy")) {
        const StrategyKind s = r.choice(names::strategy);
        if (s != p.strategy) {
            // A strategy change starts from that strategy's own preset, then applies the keys.
            ImplantParams base = s == StrategyKind::cis ? implant_preset("medel-cis") : s == StrategyKind::speak ? implant_preset("speak") : implant_preset("nucleus-ace");
            p = base;
        }
    }
    const bool cis = p.strategy == StrategyKind::cis;
    auto set_both = [&](auto AceParams::*a, auto CisParams::*c, auto v) { p.ace.*a = v, p.cis.*c = v; };
    if (j.contains("name")) p.name = printable(r.string("name"));  // shown on terminals: control characters escaped
    else p.name = printable(where);
    if (j.contains("description")) p.description = printable(r.string("description"));
    if (j.contains("audio_rate_hz")) set_both(&AceParams::audio_rate_hz, &CisParams::audio_rate_hz, r.number("audio_rate_hz"));
    if (j.contains("bands")) set_both(&AceParams::bands, &CisParams::bands, r.integer("bands"));
    if (j.contains("maxima")) {
        if (cis) r.fail("maxima", "CIS stimulates every channel; use strategy ace for n-of-m");
        p.ace.maxima = r.integer("maxima");
    } else if (j.contains("bands") && !cis) {
        p.ace.maxima = std::min(p.ace.maxima, p.ace.bands);
    }
    if (j.contains("channel_rate_pps")) set_both(&AceParams::channel_rate_pps, &CisParams::channel_rate_pps, r.number("channel_rate_pps"));
    if (j.contains("envelope")) {
        if (cis) r.fail("envelope", "applies to ace/speak (CIS uses rectifier and envelope_cutoff_hz)");
        p.ace.envelope = r.choice(names::envelope);
    }
    if (j.contains("agc")) set_both(&AceParams::agc, &CisParams::agc, r.boolean("agc"));
    if (j.contains("front_end"))
        set_both(&AceParams::front_end, &CisParams::front_end,
                 r.choice(names::front_end));
    if (j.contains("gain_db")) set_both(&AceParams::gain_db, &CisParams::gain_db, r.number("gain_db"));
    if (j.contains("t_level")) set_both(&AceParams::t_level, &CisParams::t_level, r.numbers("t_level"));
    if (j.contains("c_level")) set_both(&AceParams::c_level, &CisParams::c_level, r.numbers("c_level"));
    if (j.contains("lgf_q")) set_both(&AceParams::lgf_q, &CisParams::lgf_q, r.number("lgf_q"));
    if (j.contains("base_level")) set_both(&AceParams::base_level, &CisParams::base_level, r.number("base_level"));
    if (j.contains("sat_level")) set_both(&AceParams::sat_level, &CisParams::sat_level, r.number("sat_level"));
    if (j.contains("order"))
        set_both(&AceParams::order, &CisParams::order,
                 r.choice(names::order));
    if (j.contains("phase_width_us")) set_both(&AceParams::phase_width_us, &CisParams::phase_width_us, r.number("phase_width_us"));
    if (j.contains("phase_gap_us")) set_both(&AceParams::phase_gap_us, &CisParams::phase_gap_us, r.number("phase_gap_us"));
    if (j.contains("deactivated")) set_both(&AceParams::deactivated, &CisParams::deactivated, r.integers("deactivated"));
    if (j.contains("electrodes")) {
        if (cis) r.fail("electrodes", "only for ace/speak");
        p.ace.electrodes = r.integers("electrodes");
    }
    if (j.contains("fat_edges_hz")) set_both(&AceParams::fat_edges_hz, &CisParams::fat_edges_hz, r.numbers("fat_edges_hz"));
    if (!cis && j.contains("fat_edges_hz") && !j.contains("maxima"))
        p.ace.maxima = std::min<int>(p.ace.maxima, int(p.ace.fat_edges_hz.size()) - 1);
    for (const char* k : {"low_freq_hz", "high_freq_hz", "filter_order", "rectifier", "envelope_cutoff_hz"})
        if (j.contains(k) && !cis) r.fail(k, "only for strategy cis");
    if (j.contains("low_freq_hz")) p.cis.low_freq_hz = r.number("low_freq_hz"), p.cis.medel_centres = false;
    if (j.contains("high_freq_hz")) p.cis.high_freq_hz = r.number("high_freq_hz"), p.cis.medel_centres = false;
    if (j.contains("filter_order")) p.cis.filter_order = r.integer("filter_order");
    if (j.contains("rectifier"))
        p.cis.rectifier = r.choice(names::rectifier);
    if (j.contains("envelope_cutoff_hz")) p.cis.envelope_cutoff_hz = r.number("envelope_cutoff_hz");
    if (j.contains("array") && r.string("array") == kIdealArray) {
        p.array = kIdealArray;
    } else if (j.contains("array")) {
        p.array = r.string("array");
        const ElectrodeArray& a = with_where("array", [&]() -> const ElectrodeArray& { return electrode_array(p.array); });
        if (!j.contains("insertion_depth_mm")) p.insertion_depth_mm = a.typical_insertion_mm;
        if (cis) p.cis.num_electrodes = a.contacts;
        if (cis && !j.contains("bands") && !j.contains("fat_edges_hz") && p.cis.bands > a.contacts) p.cis.bands = a.contacts;
    }
    if (j.contains("insertion_depth_mm")) p.insertion_depth_mm = r.number("insertion_depth_mm");
    if (j.contains("place_map")) p.place_map = r.choice(names::place_map);
    if (j.contains("adaptation")) p.adaptation = r.number("adaptation");
    if (j.contains("place_shift_mm")) p.place_shift_mm = r.number("place_shift_mm");
    if (j.contains("carrier"))
        p.auralisation.carrier = r.choice(names::carrier);
    if (j.contains("spread_db_per_mm")) {
        const json& v = j.at("spread_db_per_mm");
        if (v.is_string() && (v.get<std::string>() == "none" || v.get<std::string>() == "inf"))
            p.auralisation.spread_db_per_mm = std::numeric_limits<double>::infinity();
        else p.auralisation.spread_db_per_mm = r.number("spread_db_per_mm");
    }
    if (j.contains("multitone_spread_db_per_oct")) p.auralisation.multitone_spread_db_per_oct = r.number("multitone_spread_db_per_oct");
    if (j.contains("multitone_carriers")) p.auralisation.multitone_carriers = r.integer("multitone_carriers");
    if (j.contains("carrier_envelope_cutoff_hz")) p.auralisation.envelope_cutoff_hz = r.number("carrier_envelope_cutoff_hz");
    if (j.contains("get_cycles")) p.auralisation.get_cycles = r.number("get_cycles");
    if (j.contains("seed")) {
        const double s = r.number("seed");
        if (!(s >= 0 && s <= 9007199254740991.0 && s == std::floor(s)))
            r.fail("seed", fmt::format("{} is out of range [0, 2^53 - 1] (whole number)", s));
        p.auralisation.seed = std::uint64_t(s);
    }
    if (j.contains("intensity")) p.intensity = r.number("intensity");
    p.validate(where);
    return p;
}
}  // namespace detail

ImplantParams parse_implant_json(std::string_view text, std::string_view where) {
    return parse_implant_json(text, where, std::filesystem::path());
}

ImplantParams parse_implant_json(std::string_view text, std::string_view where, const std::filesystem::path& file) {
    json j;
    try {
        j = detail::parse_json_text(text, where);
    } catch (const IoError& e) {
        throw ConfigError(e.what());  // implant text that is not JSON is an error in the implant's description
    }
    return detail::json_errors(where, [&] { return detail::implant_from_json(j, where, file); });
}


ImplantParams load_implant(std::string_view id) {
    const std::string s(id);
    if (!is_implant_file_name(s)) return implant_preset(s);
    const std::filesystem::path path(s);
    const ReferenceGuard on_chain(path);
    return parse_implant_json(read_text_file(path, "implant file"), s, path);
}

std::string implant_to_json(const ImplantParams& p) {
    json j;
    const bool cis = p.strategy == StrategyKind::cis;
    j["name"] = p.name;
    j["description"] = p.description;
    j["strategy"] = std::string(strategy_name(p.strategy));
    j["audio_rate_hz"] = cis ? p.cis.audio_rate_hz : p.ace.audio_rate_hz;
    if (cis) {
        if (p.cis.fat_edges_hz.empty()) j["bands"] = p.cis.bands;
        else j["fat_edges_hz"] = p.cis.fat_edges_hz;
        if (!p.cis.medel_centres || p.cis.bands != 12) j["low_freq_hz"] = p.cis.low_freq_hz, j["high_freq_hz"] = p.cis.high_freq_hz;
        j["filter_order"] = p.cis.filter_order;
        j["rectifier"] = std::string(names::rectifier.to_name(p.cis.rectifier));
        j["envelope_cutoff_hz"] = p.cis.envelope_cutoff_hz;
    } else {
        if (p.ace.fat_edges_hz.empty()) j["bands"] = p.ace.bands;
        else j["fat_edges_hz"] = p.ace.fat_edges_hz;
        j["maxima"] = p.ace.maxima;
        j["envelope"] = std::string(names::envelope.to_name(p.ace.envelope));
        if (!p.ace.electrodes.empty()) j["electrodes"] = p.ace.electrodes;
    }
    j["channel_rate_pps"] = cis ? p.cis.channel_rate_pps : p.ace.channel_rate_pps;
    j["agc"] = cis ? p.cis.agc : p.ace.agc;
    j["front_end"] = std::string(names::front_end.to_name(cis ? p.cis.front_end : p.ace.front_end));
    j["gain_db"] = cis ? p.cis.gain_db : p.ace.gain_db;
    const auto& t = cis ? p.cis.t_level : p.ace.t_level;
    const auto& c = cis ? p.cis.c_level : p.ace.c_level;
    if (t.size() == 1) j["t_level"] = t[0]; else j["t_level"] = t;
    if (c.size() == 1) j["c_level"] = c[0]; else j["c_level"] = c;
    j["lgf_q"] = cis ? p.cis.lgf_q : p.ace.lgf_q;
    j["base_level"] = cis ? p.cis.base_level : p.ace.base_level;
    j["sat_level"] = cis ? p.cis.sat_level : p.ace.sat_level;
    j["order"] = std::string(names::order.to_name(cis ? p.cis.order : p.ace.order));
    j["phase_width_us"] = cis ? p.cis.phase_width_us : p.ace.phase_width_us;
    j["phase_gap_us"] = cis ? p.cis.phase_gap_us : p.ace.phase_gap_us;
    j["deactivated"] = cis ? p.cis.deactivated : p.ace.deactivated;
    j["array"] = p.array;
    j["insertion_depth_mm"] = p.insertion_depth_mm;
    j["place_map"] = std::string(names::place_map.to_name(p.place_map));
    j["adaptation"] = p.adaptation;
    j["place_shift_mm"] = p.place_shift_mm;
    j["carrier"] = std::string(names::carrier.to_name(p.auralisation.carrier));
    if (std::isinf(p.auralisation.spread_db_per_mm)) j["spread_db_per_mm"] = "none";
    else j["spread_db_per_mm"] = p.auralisation.spread_db_per_mm;
    j["multitone_spread_db_per_oct"] = p.auralisation.multitone_spread_db_per_oct;
    j["multitone_carriers"] = p.auralisation.multitone_carriers;
    j["carrier_envelope_cutoff_hz"] = p.auralisation.envelope_cutoff_hz;
    j["get_cycles"] = p.auralisation.get_cycles;
    j["seed"] = p.auralisation.seed;
    j["intensity"] = p.intensity;
    return j.dump(2);
}

}  // namespace earshot
