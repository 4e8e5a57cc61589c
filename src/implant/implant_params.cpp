#include "earshot/implant/implant_params.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "earshot/core/error.hpp"
#include "earshot/core/key_error.hpp"
#include "earshot/core/key_spec.hpp"
#include "earshot/implant/electrode_array.hpp"
#include "earshot/implant/greenwood.hpp"
#include "earshot/implant/implant_names.hpp"

namespace earshot {

const char* strategy_name(StrategyKind s) noexcept { return names::strategy.to_name(s).data(); }

namespace {
// The presets (each documented with its source; all are approximations of clinical maps, not fittings).
ImplantParams nucleus_ace() {
    ImplantParams p;
    p.name = "nucleus-ace";
    p.description = "Cochlear Nucleus ACE, 8 of 22 at 900 pps, 16 kHz, power sum (clinical defaults as CCi-MOBILE and the "
                    "pulsatile vocoder, ci-anchors §3.8), Slim Straight at 20 mm, first activation (places from the array)";
    p.strategy = StrategyKind::ace;
    p.ace.audio_rate_hz = 16000;
    p.ace.maxima = 8;
    p.ace.channel_rate_pps = 900;
    p.ace.envelope = EnvelopeMethod::power_sum;
    p.array = "slim_straight";
    p.insertion_depth_mm = 20;
    return p;
}
ImplantParams nmt_ace() {
    ImplantParams p;
    p.name = "nmt-ace";
    p.description = "Nucleus MATLAB Toolbox ACE_map defaults: 15625 Hz, 12 of 22, 1000 pps requested (976.6), vector sum, "
                    "Contour Advance at 18 mm, first activation (places from the array)";
    p.array = "contour_advance";
    p.insertion_depth_mm = 18;
    return p;
}
ImplantParams speak() {
    ImplantParams p = nucleus_ace();
    p.name = "speak";
    p.strategy = StrategyKind::speak;
    p.description = "SPEAK (Nucleus 22 era) as an ACE preset: 20 bands, 6 maxima, 250 pps, Nucleus 22 array at 22.5 mm "
                    "(ci-anchors §6; approximation)";
    p.ace.bands = 20;
    p.ace.maxima = 6;
    p.ace.channel_rate_pps = 250;
    p.array = "nucleus22";
    p.insertion_depth_mm = 22.5;
    return p;
}
ImplantParams medel_cis() {
    ImplantParams p;
    p.name = "medel-cis";
    p.description = "MED-EL-like CIS (approximation; the pulsatile vocoder's MED-EL set, ci-anchors §4): 12 channels 70-8500 Hz "
                    "at the MAESTRO default centres, 800 pps, 32 us phases, FLEX28 at 28 mm, first activation (places from the array)";
    p.strategy = StrategyKind::cis;
    p.array = "flex28";
    p.insertion_depth_mm = 28;
    return p;
}
ImplantParams ab_16() {
    ImplantParams p;
    p.name = "ab-16";
    p.description = "Advanced Bionics-like 16-channel CIS (approximation: HiRes without current steering; validation §3.4): "
                    "Extended Low table 250-8700 Hz, 1450 pps, HiFocus SlimJ at 21.5 mm, first activation (places from the array)";
    p.strategy = StrategyKind::cis;
    p.cis.bands = 16;
    p.cis.num_electrodes = 16;
    p.cis.fat_edges_hz = {250, 416, 494, 587, 697, 828, 983, 1168, 1387, 1648, 1958, 2326, 2762, 3281, 3898, 4630, 8700};
    p.cis.channel_rate_pps = 1450;
    p.cis.phase_width_us = 18;
    p.cis.phase_gap_us = 0;
    p.array = "hifocus_slimj";
    p.insertion_depth_mm = 21.5;
    return p;
}
ImplantParams experienced(ImplantParams p) {
    p.name += "-experienced";
    p.adaptation = 1.0;
    const auto cut = p.description.find(", first activation (places from the array)");
    if (cut != std::string::npos) p.description = p.description.substr(0, cut) + ", experienced (mismatch adapted away: places at the band centres)";
    return p;
}

struct PresetEntry { std::string_view id; ImplantParams (*make)(); };
const PresetEntry kPresets[] = {
    {"nucleus-ace", nucleus_ace},
    {"nucleus-ace-experienced", [] { return experienced(nucleus_ace()); }},
    {"nmt-ace", nmt_ace},
    {"speak", speak},
    {"medel-cis", medel_cis},
    {"medel-cis-experienced", [] { return experienced(medel_cis()); }},
    {"ab-16", ab_16},
    {"ab-16-experienced", [] { return experienced(ab_16()); }},
};

std::string preset_list() {
    std::string s;
    for (const auto& e : kPresets) s += (s.empty() ? "" : ", ") + std::string(e.id);
    return s;
}


// The fixed ranges of the implant keys (one range for every strategy; the ranges that depend on the strategy
// or on other keys, such as audio_rate_hz, bands, maxima, channel_rate_pps or base_level < sat_level, are
// checked by the strategies and written out in docs/implant-files.md). The reader checks a value against
// its key's range as it reads it, and validate() checks the parameters against the same ranges.
constexpr ParamSpec kGainDb{"gain_db", "dB", -20.0, 80.0, 36.0, "gain before the loudness growth function"};
constexpr ParamSpec kCurrentLevel{"t_level", "clinical current level", 0.0, 255.0, 1.0, "threshold and comfort levels"};
constexpr ParamSpec kPhaseWidthUs{"phase_width_us", "µs", 9.6, 400.0, 25.0, "biphasic pulse phase width"};
constexpr ParamSpec kFilterOrder{"filter_order", "", 1.0, 8.0, 3.0, "CIS Butterworth order of each band edge"};
constexpr ParamSpec kEnvelopeCutoffHz{"envelope_cutoff_hz", "Hz", 20.0, 1000.0, 200.0, "CIS envelope low-pass"};
constexpr ParamSpec kMultitoneSpread{"multitone_spread_db_per_oct", "dB/octave", -60.0, -1.0, -8.0, "spread of the multitone carrier"};
constexpr ParamSpec kMultitoneCarriers{"multitone_carriers", "", 8.0, 400.0, 80.0, "number of multitone carriers"};
constexpr ParamSpec kCarrierCutoffHz{"carrier_envelope_cutoff_hz", "Hz", 20.0, 2000.0, 400.0, "smoothing of the electrodes' envelopes"};
constexpr ParamSpec kGetCycles{"get_cycles", "cycles", 1.0, 20.0, 4.0, "GET pulse duration in cycles of the place frequency"};

using K = ValueKind;
const KeySpec kKeys[] = {
    {"preset", K::string, "", nullptr, nullptr, "the base the other keys override"},
    {"name", K::string, "", nullptr, nullptr, "shown in reports"},
    {"description", K::string, "", nullptr, nullptr, "shown in reports"},
    {"strategy", K::string, "", nullptr, choices_of<names::strategy>, "coding strategy"},
    {"audio_rate_hz", K::number, "Hz", nullptr, nullptr, "the strategy's own audio rate"},
    {"bands", K::integer, "", nullptr, nullptr, "analysis channels"},
    {"fat_edges_hz", K::numbers, "Hz", nullptr, nullptr, "custom frequency allocation table"},
    {"maxima", K::integer, "", nullptr, nullptr, "n of the n-of-m (ACE/SPEAK only)"},
    {"channel_rate_pps", K::number, "pulses/s", nullptr, nullptr, "requested channel stimulation rate"},
    {"envelope", K::string, "", nullptr, choices_of<names::envelope>, "ACE envelope"},
    {"agc", K::boolean, "", nullptr, nullptr, "front-end AGC"},
    {"front_end", K::string, "", nullptr, choices_of<names::front_end>, "microphone filter"},
    {"gain_db", K::number, "dB", &kGainDb, nullptr, "gain before the loudness growth function"},
    {"lgf_q", K::number, "%", nullptr, nullptr, "loudness growth steepness Q"},
    {"base_level", K::number, "", nullptr, nullptr, "B of the loudness growth function"},
    {"sat_level", K::number, "", nullptr, nullptr, "S of the loudness growth function"},
    {"t_level", K::number_or_numbers, "clinical current level", &kCurrentLevel, nullptr, "threshold levels"},
    {"c_level", K::number_or_numbers, "clinical current level", &kCurrentLevel, nullptr, "comfort levels"},
    {"order", K::string, "", nullptr, choices_of<names::order>, "pulse order within a frame"},
    {"phase_width_us", K::number, "µs", &kPhaseWidthUs, nullptr, "biphasic pulse phase width"},
    {"phase_gap_us", K::number, "µs", nullptr, nullptr, "biphasic pulse inter-phase gap"},
    {"deactivated", K::integers, "electrode", nullptr, nullptr, "electrodes never stimulated"},
    {"electrodes", K::integers, "electrode", nullptr, nullptr, "explicit electrode per band (ACE)"},
    {"low_freq_hz", K::number, "Hz", nullptr, nullptr, "CIS lower band edge"},
    {"high_freq_hz", K::number, "Hz", nullptr, nullptr, "CIS upper band edge"},
    {"filter_order", K::integer, "", &kFilterOrder, nullptr, "CIS Butterworth order of each band edge"},
    {"rectifier", K::string, "", nullptr, choices_of<names::rectifier>, "CIS envelope detector"},
    {"envelope_cutoff_hz", K::number, "Hz", &kEnvelopeCutoffHz, nullptr, "CIS envelope low-pass"},
    {"array", K::string, "", nullptr, nullptr, "the electrode array id, or ideal"},
    {"insertion_depth_mm", K::number, "mm", nullptr, nullptr, "depth of the most apical contact"},
    {"place_map", K::string, "", nullptr, choices_of<names::place_map>, "contact places"},
    {"adaptation", K::number, "", &params::adaptation, nullptr, "first activation (0) .. experienced (1)"},
    {"place_shift_mm", K::number, "mm", &params::place_shift_mm, nullptr, "basal shift of every place"},
    {"carrier", K::string, "", nullptr, choices_of<names::carrier>, "how the stimulation is made audible"},
    {"spread_db_per_mm", K::number_or_none, "dB/mm", nullptr, nullptr, "current spread along the array"},
    {"multitone_spread_db_per_oct", K::number, "dB/octave", &kMultitoneSpread, nullptr, "spread of the multitone carrier"},
    {"multitone_carriers", K::integer, "", &kMultitoneCarriers, nullptr, "number of multitone carriers"},
    {"carrier_envelope_cutoff_hz", K::number, "Hz", &kCarrierCutoffHz, nullptr, "smoothing of the electrodes' envelopes"},
    {"get_cycles", K::number, "cycles", &kGetCycles, nullptr, "GET pulse duration in cycles of the place frequency"},
    {"seed", K::integer, "", nullptr, nullptr, "noise and random phases"},
    {"intensity", K::number, "", &params::intensity, nullptr, "mix of the implant sound with the original"},
};

/// The implant key a lower-level message starts with ("maxima: 30 is out of range ...") and the rest of the
/// message, or ("", the message) when it is about the implant as a whole. The strategies' own checks name
/// their field first (earshot/implant/ace.hpp, cis.hpp); the keys are this file's table, so the look-up stays here.
std::pair<std::string, std::string> leading_key(std::string_view msg) {
    const auto colon = msg.find(": ");
    const std::string key(msg.substr(0, colon));
    if (colon == std::string_view::npos || !find_key(kKeys, key)) return {std::string(), std::string(msg)};
    return {key, std::string(msg.substr(colon + 2))};
}

}  // namespace

std::span<const KeySpec> implant_keys() { return kKeys; }

void ImplantParams::validate(std::string_view where) const {
    const std::string w = where.empty() ? std::string("implant") : std::string(where);
    auto wrap = [&](auto&& f) {
        try {
            f();
        } catch (const ConfigError& e) {
            const auto [key, message] = leading_key(e.what());
            throw KeyError(w, 0, key, message);
        }
    };
    // The fixed ranges of the key table first (the active strategy's values), then what depends on the
    // strategy or on several keys: building the strategy checks that (pulse period vs rate, custom tables).
    const bool is_cis = strategy == StrategyKind::cis;
    auto in_range = [&](std::string_view key, double v) {
        const KeySpec* k = find_key(kKeys, key);
        if (k && k->range && !k->range->contains(v)) throw KeyError(w, 0, std::string(key), k->range->out_of_range(v));
    };
    in_range("gain_db", is_cis ? cis.gain_db : ace.gain_db);
    for (double v : is_cis ? cis.t_level : ace.t_level) in_range("t_level", v);
    for (double v : is_cis ? cis.c_level : ace.c_level) in_range("c_level", v);
    in_range("phase_width_us", is_cis ? cis.phase_width_us : ace.phase_width_us);
    if (is_cis) in_range("filter_order", cis.filter_order), in_range("envelope_cutoff_hz", cis.envelope_cutoff_hz);
    in_range("multitone_spread_db_per_oct", auralisation.multitone_spread_db_per_oct);
    in_range("multitone_carriers", auralisation.multitone_carriers);
    in_range("carrier_envelope_cutoff_hz", auralisation.envelope_cutoff_hz);
    in_range("get_cycles", auralisation.get_cycles);
    in_range("adaptation", adaptation);
    in_range("place_shift_mm", place_shift_mm);
    in_range("intensity", intensity);
    wrap([&] { (void)make_strategy(*this); });
    wrap([&] {
        AuralisationParams a = auralisation;  // places are filled later (build_auralisation); check the rest
        a.place_freq_hz.assign(1, 1000.0);
        a.contact_depth_mm.assign(1, 10.0);
        a.validate();
    });
    if (array == kIdealArray) {
        if (strategy != StrategyKind::cis)
            throw KeyError(w, 0, "array", "ideal (one contact per band) needs strategy cis");
        if (place_map == PlaceMap::landsberger)
            throw KeyError(w, 0, "place_map", "landsberger has no measured places for the ideal array");
    } else wrap([&] {
        const ElectrodeArray& a = electrode_array(array);
        (void)contact_depths_mm(a, insertion_depth_mm);
        const int contacts = strategy == StrategyKind::cis ? cis.num_electrodes : 22;
        if (a.contacts != contacts)
            throw ConfigError(fmt::format("array: {} has {} contacts but the {} strategy drives {} electrodes{}", array, a.contacts,
                                          strategy_name(strategy), contacts,
                                          strategy == StrategyKind::cis ? "" : " (ACE/SPEAK need a 22-contact Nucleus array)"));
        if (place_map == PlaceMap::landsberger && landsberger_place_freq_hz(array).empty())
            throw ConfigError(fmt::format("place_map: landsberger has no measured places for {} (only contour_advance, flex24)", array));
    });
}

std::unique_ptr<CodingStrategy> make_strategy(const ImplantParams& p) {
    if (p.strategy == StrategyKind::cis && p.array == kIdealArray) {
        CisParams c = p.cis;  // one contact per band
        c.num_electrodes = c.fat_edges_hz.empty() ? c.bands : int(c.fat_edges_hz.size()) - 1;
        if (c.t_level.size() != 1) c.t_level.resize(std::size_t(c.num_electrodes), c.t_level.back());
        if (c.c_level.size() != 1) c.c_level.resize(std::size_t(c.num_electrodes), c.c_level.back());
        return std::make_unique<CisStrategy>(c);
    }
    if (p.strategy == StrategyKind::cis) return std::make_unique<CisStrategy>(p.cis);
    return std::make_unique<AceStrategy>(p.ace);
}

AuralisationParams build_auralisation(const ImplantParams& p, const CodingStrategy& s) {
    AuralisationParams a = p.auralisation;
    auto shift = [&](std::vector<double>& f) {  // a basal shift along the Greenwood map
        if (p.place_shift_mm == 0) return;
        for (double& v : f) v = greenwood_freq_at_depth_hz(std::max(0.0, greenwood_depth_from_base_mm(v) - p.place_shift_mm));
    };
    if (p.array == kIdealArray) {
        // One contact per band, at the Greenwood place of the band centre (electrode 1 = highest band).
        const std::size_t nb = s.band_electrodes().size();
        a.place_freq_hz.assign(nb, 0.0);
        a.contact_depth_mm.assign(nb, 0.0);
        for (std::size_t b = 0; b < nb; ++b) {
            const std::size_t e = std::size_t(s.band_electrodes()[b] - 1);
            a.place_freq_hz[e] = s.band_centre_hz()[b];
            a.contact_depth_mm[e] = greenwood_depth_from_base_mm(s.band_centre_hz()[b]);
        }
        shift(a.place_freq_hz);
        return a;
    }
    const ElectrodeArray& arr = electrode_array(p.array);
    a.contact_depth_mm = contact_depths_mm(arr, p.insertion_depth_mm);
    std::vector<double> place = contact_place_freq_hz(arr, p.insertion_depth_mm);
    if (p.place_map == PlaceMap::landsberger) {
        const auto l = landsberger_place_freq_hz(p.array);
        place.assign(l.begin(), l.end());
    }
    // Matched places: each driven electrode at its band centre; undriven electrodes interpolated in log
    // frequency along the array (by contact index), extrapolated with the end steps.
    const int n = int(place.size());
    std::vector<double> matched(std::size_t(n), 0.0);
    std::vector<std::pair<int, double>> known;  // (electrode index basal-first, log f)
    for (std::size_t b = 0; b < s.band_electrodes().size(); ++b)
        known.push_back({s.band_electrodes()[b] - 1, std::log(s.band_centre_hz()[b])});
    std::sort(known.begin(), known.end());
    for (int e = 0; e < n; ++e) {
        double lf;
        if (known.size() == 1) {
            lf = known[0].second;
        } else {
            std::size_t i = 1;
            while (i + 1 < known.size() && known[i].first < e) ++i;
            const auto& [e0, f0] = known[i - 1];
            const auto& [e1, f1] = known[i];
            lf = e1 == e0 ? f0 : f0 + (f1 - f0) * double(e - e0) / double(e1 - e0);
        }
        matched[std::size_t(e)] = std::exp(lf);
    }
    a.place_freq_hz.resize(std::size_t(n));
    for (int e = 0; e < n; ++e)
        a.place_freq_hz[std::size_t(e)] =
            std::exp((1.0 - p.adaptation) * std::log(place[std::size_t(e)]) + p.adaptation * std::log(matched[std::size_t(e)]));
    shift(a.place_freq_hz);
    return a;
}

ImplantParams implant_preset(std::string_view id) {
    for (const auto& e : kPresets)
        if (e.id == id) return e.make();
    throw KeyError("implant", 0, "", fmt::format("'{}' is not a preset (one of {}) or a .json file", id, preset_list()));
}

std::vector<ImplantPresetInfo> implant_presets() {
    std::vector<ImplantPresetInfo> out;
    static std::vector<ImplantParams> made;
    if (made.empty())
        for (const auto& e : kPresets) made.push_back(e.make());
    for (const auto& p : made) out.push_back({p.name, p.description});
    return out;
}

bool is_implant_file_name(std::string_view s) { return s.size() >= 5 && s.substr(s.size() - 5) == ".json"; }

}  // namespace earshot
