#include "earshot/io/implant_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "earshot/core/error.hpp"
#include "earshot/core/key_error.hpp"
#include "earshot/core/key_spec.hpp"
#include "earshot/core/text_file.hpp"
#include "earshot/implant/electrode_array.hpp"
#include "earshot/implant/greenwood.hpp"
#include "earshot/implant/implant_names.hpp"
#include "implant_json.hpp"
#include "tree.hpp"

#include <nlohmann/json.hpp>

namespace earshot {

namespace detail {

ImplantParams read_implant(const KeyReader& parent, std::string_view key) {
    const Node& v = *parent.get(key);
    if (v.is_string()) {
        // A preset id, or an implant file named relative to the file that names it.
        const std::string spec = v.string;
        return parent.placed(key, [&] {
            return load_implant(is_implant_file_name(spec) ? resolve_reference(parent.source().referring_file, spec).string() : spec);
        });
    }
    if (!v.is_table())
        parent.fail(key, fmt::format("expected an implant preset, an implant .json file or {} of implant keys, got {}",
                                     parent.table_word(), parent.type_of(v)));
    const std::string& file = parent.source().file;
    return read_implant_table(*parent.table(key), parent.path().empty() ? file : file + ": " + parent.path(key));
}

ImplantParams read_implant_table(const KeyReader& r, std::string_view name) {
    r.only(implant_keys(), "docs/implant-files.md");
    const auto has = [&](std::string_view k) { return r.has(k); };
    // Numbers are checked against their key's range in the table (implant_keys()) as they are read; the
    // ranges that depend on the strategy or other keys are checked by validate() below.
    const auto range_of = [](std::string_view k) -> const ParamSpec* {
        const KeySpec* spec = find_key(implant_keys(), k);
        return spec ? spec->range : nullptr;
    };
    const auto num = [&](std::string_view k) {
        const ParamSpec* range = range_of(k);
        return range ? r.number(k, *range) : r.number(k);
    };
    const auto whole = [&](std::string_view k) {
        const ParamSpec* range = range_of(k);
        return range ? r.integer(k, *range) : r.integer(k);
    };
    ImplantParams p = has("preset") ? r.placed("preset", [&] { return implant_preset(*r.string("preset")); }) : implant_preset("nucleus-ace");
    if (const auto s = r.choice("strategy", names::strategy); s && *s != p.strategy) {
        // A strategy change starts from that strategy's own preset, then applies the keys.
        p = *s == StrategyKind::cis ? implant_preset("medel-cis") : *s == StrategyKind::speak ? implant_preset("speak") : implant_preset("nucleus-ace");
    }
    const bool cis = p.strategy == StrategyKind::cis;
    // A key that sets both strategies' field (only the active strategy's is used).
    auto both = [&](auto AceParams::*a, auto CisParams::*c, const auto& v) {
        if (v) p.ace.*a = *v, p.cis.*c = *v;
    };
    p.name = printable(r.string("name").value_or(std::string(name)));  // shown on terminals: control characters escaped
    if (const auto d = r.string("description")) p.description = printable(*d);
    both(&AceParams::audio_rate_hz, &CisParams::audio_rate_hz, num("audio_rate_hz"));
    both(&AceParams::bands, &CisParams::bands, whole("bands"));
    if (has("maxima")) {
        if (cis) r.fail("maxima", "CIS stimulates every channel; use strategy ace for n-of-m");
        p.ace.maxima = *whole("maxima");
    } else if (has("bands") && !cis) {
        p.ace.maxima = std::min(p.ace.maxima, p.ace.bands);
    }
    both(&AceParams::channel_rate_pps, &CisParams::channel_rate_pps, num("channel_rate_pps"));
    if (has("envelope")) {
        if (cis) r.fail("envelope", "applies to ace/speak (CIS uses rectifier and envelope_cutoff_hz)");
        p.ace.envelope = *r.choice("envelope", names::envelope);
    }
    both(&AceParams::agc, &CisParams::agc, r.boolean("agc"));
    both(&AceParams::front_end, &CisParams::front_end, r.choice("front_end", names::front_end));
    both(&AceParams::gain_db, &CisParams::gain_db, num("gain_db"));
    both(&AceParams::t_level, &CisParams::t_level, r.numbers("t_level", true));
    both(&AceParams::c_level, &CisParams::c_level, r.numbers("c_level", true));
    both(&AceParams::lgf_q, &CisParams::lgf_q, num("lgf_q"));
    both(&AceParams::base_level, &CisParams::base_level, num("base_level"));
    both(&AceParams::sat_level, &CisParams::sat_level, num("sat_level"));
    both(&AceParams::order, &CisParams::order, r.choice("order", names::order));
    both(&AceParams::phase_width_us, &CisParams::phase_width_us, num("phase_width_us"));
    both(&AceParams::phase_gap_us, &CisParams::phase_gap_us, num("phase_gap_us"));
    both(&AceParams::deactivated, &CisParams::deactivated, r.integers("deactivated", true));
    if (has("electrodes")) {
        if (cis) r.fail("electrodes", "only for ace/speak");
        p.ace.electrodes = *r.integers("electrodes", true);
    }
    both(&AceParams::fat_edges_hz, &CisParams::fat_edges_hz, r.numbers("fat_edges_hz", true));
    if (!cis && has("fat_edges_hz") && !has("maxima"))
        p.ace.maxima = std::min<int>(p.ace.maxima, int(p.ace.fat_edges_hz.size()) - 1);
    for (const char* k : {"low_freq_hz", "high_freq_hz", "filter_order", "rectifier", "envelope_cutoff_hz"})
        if (has(k) && !cis) r.fail(k, "only for strategy cis");
    if (const auto v = num("low_freq_hz")) p.cis.low_freq_hz = *v, p.cis.medel_centres = false;
    if (const auto v = num("high_freq_hz")) p.cis.high_freq_hz = *v, p.cis.medel_centres = false;
    if (const auto v = whole("filter_order")) p.cis.filter_order = *v;
    if (const auto v = r.choice("rectifier", names::rectifier)) p.cis.rectifier = *v;
    if (const auto v = num("envelope_cutoff_hz")) p.cis.envelope_cutoff_hz = *v;
    if (const auto array = r.string("array"); array && *array == kIdealArray) {
        p.array = kIdealArray;
    } else if (array) {
        p.array = *array;
        const ElectrodeArray& a = r.placed("array", [&]() -> const ElectrodeArray& { return electrode_array(p.array); });
        if (!has("insertion_depth_mm")) p.insertion_depth_mm = a.typical_insertion_mm;
        if (cis) p.cis.num_electrodes = a.contacts;
        if (cis && !has("bands") && !has("fat_edges_hz") && p.cis.bands > a.contacts) p.cis.bands = a.contacts;
    }
    if (const auto v = num("insertion_depth_mm")) p.insertion_depth_mm = *v;
    if (const auto v = r.choice("place_map", names::place_map)) p.place_map = *v;
    if (const auto v = num("adaptation")) p.adaptation = *v;
    if (const auto v = num("place_shift_mm")) p.place_shift_mm = *v;
    if (const auto v = r.choice("carrier", names::carrier)) p.auralisation.carrier = *v;
    if (const Node* v = r.get("spread_db_per_mm")) {
        if (v->is_string() && (v->string == "none" || v->string == "inf"))
            p.auralisation.spread_db_per_mm = std::numeric_limits<double>::infinity();
        else if (v->is_string())
            r.fail("spread_db_per_mm", fmt::format("expected a number or \"none\", got '{}'", v->string));
        else p.auralisation.spread_db_per_mm = *r.number("spread_db_per_mm");
    }
    if (const auto v = num("multitone_spread_db_per_oct")) p.auralisation.multitone_spread_db_per_oct = *v;
    if (const auto v = whole("multitone_carriers")) p.auralisation.multitone_carriers = *v;
    if (const auto v = num("carrier_envelope_cutoff_hz")) p.auralisation.envelope_cutoff_hz = *v;
    if (const auto v = num("get_cycles")) p.auralisation.get_cycles = *v;
    if (const auto s = r.number("seed")) {
        if (!(*s >= 0 && *s <= 9007199254740991.0 && *s == std::floor(*s)))
            r.fail("seed", fmt::format("{} is out of range [0, 2^53 - 1] (whole number)", *s));
        p.auralisation.seed = std::uint64_t(*s);
    }
    if (const auto v = num("intensity")) p.intensity = *v;
    // What depends on several keys, and the ranges of the strategies, are checked by ImplantParams::validate;
    // its error names the key, which is placed here at that key's line.
    try {
        p.validate({});
    } catch (const KeyError& e) {
        if (e.key_path().empty() || !has(e.key_path())) r.fail_here(e.message());
        r.fail(e.key_path(), e.message());
    }
    return p;
}

}  // namespace detail

ImplantParams parse_implant_json(std::string_view text, std::string_view where) {
    return parse_implant_json(text, where, std::filesystem::path());
}

ImplantParams parse_implant_json(std::string_view text, std::string_view where, const std::filesystem::path& file) {
    detail::Node root;
    try {
        root = detail::parse_json_tree(text, where);
    } catch (const IoError& e) {
        throw ConfigError(e.what());  // implant text that is not JSON is an error in the implant's description
    }
    const detail::Source src{printable(where), detail::Format::json, file};
    // The whole file may be one string: a preset or another implant file.
    if (root.is_string()) {
        detail::Node holder;
        holder.type = detail::Node::Type::table;
        holder.line = root.line;
        holder.members.push_back(detail::Member{"", root.line, root});
        return detail::read_implant(detail::KeyReader(src, holder), "");
    }
    if (!root.is_table())
        throw KeyError(src.file, root.line, "", fmt::format("expected an object of implant keys or a preset name, got {}",
                                                            detail::type_name(root, detail::Format::json)));
    return detail::read_implant_table(detail::KeyReader(src, root), where);
}


ImplantParams load_implant(std::string_view id) {
    const std::string s(id);
    if (!is_implant_file_name(s)) return implant_preset(s);
    const std::filesystem::path path(s);
    const ReferenceGuard on_chain(path);
    return parse_implant_json(read_text_file(path, "implant file"), s, path);
}

std::string implant_to_json(const ImplantParams& p) {
    nlohmann::json j;
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
