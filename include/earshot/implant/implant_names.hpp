#pragma once
// The implant's enumerations as data (earshot/core/enum_spec.hpp): the names implant files, listener files,
// scenes and the CLI use, with one line of help each. docs/implant-files.md lists the same names (checked
// by tests/unit/test_param_tables.cpp).
#include "earshot/core/enum_spec.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot::names {

inline constexpr EnumSpec<StrategyKind, 3> strategy{"strategy", {{
    {StrategyKind::ace, "ace", "n-of-m (advanced combination encoder)"},
    {StrategyKind::cis, "cis", "continuous interleaved sampling: every channel every frame"},
    {StrategyKind::speak, "speak", "SPEAK: ACE with SPEAK's parameters (20 bands, 6 maxima, 250 pps)"},
}}};
inline constexpr EnumSpec<EnvelopeMethod, 2> envelope{"envelope", {{
    {EnvelopeMethod::power_sum, "power_sum", "band power: sum of the bins' powers"},
    {EnvelopeMethod::vector_sum, "vector_sum", "band magnitude of the summed bins (NMT default)"},
}}};
inline constexpr EnumSpec<FrontEnd, 2> front_end{"front_end", {{
    {FrontEnd::none, "none", "no microphone filter"},
    {FrontEnd::pre_emphasis, "pre_emphasis", "first-order high-pass at 1.2 kHz"},
}}};
inline constexpr EnumSpec<PulseOrder, 2> order{"order", {{
    {PulseOrder::base_to_apex, "base_to_apex", "basal electrodes first within a frame"},
    {PulseOrder::apex_to_base, "apex_to_base", "apical electrodes first within a frame"},
}}};
inline constexpr EnumSpec<Rectifier, 2> rectifier{"rectifier", {{
    {Rectifier::full_wave, "full_wave", "CIS envelope of |x|"},
    {Rectifier::half_wave, "half_wave", "CIS envelope of max(x, 0)"},
}}};
inline constexpr EnumSpec<PlaceMap, 2> place_map{"place_map", {{
    {PlaceMap::greenwood, "greenwood", "contact places from the Greenwood map"},
    {PlaceMap::landsberger, "landsberger", "measured places (Landsberger 2015; contour_advance, flex24)"},
}}};
inline constexpr EnumSpec<Carrier, 5> carrier{"carrier", {{
    {Carrier::noise, "noise", "noise bands at the places"},
    {Carrier::sine, "sine", "sines at the places"},
    {Carrier::multitone, "multitone", "SPIRAL-like ERB-spaced tones"},
    {Carrier::get, "get", "Gaussian-enveloped tone pulses"},
    {Carrier::gammatone_pulse, "gammatone_pulse", "each pulse exciting a gammatone at its place"},
}}};

}  // namespace earshot::names

#include <span>

#include "earshot/core/key_spec.hpp"

namespace earshot {

/// The keys of an implant description (implant JSON files, `implant` tables of listener and scene files),
/// in the order of docs/implant-files.md. parse_implant_json accepts exactly these; implant_to_json writes
/// them (all but `preset`; each strategy's own). The ranges that depend on other keys (rates, band counts,
/// levels per electrode) are checked by AceParams/CisParams/AuralisationParams::validate.
std::span<const KeySpec> implant_keys();

namespace params {
inline constexpr ParamSpec adaptation{"adaptation", "", 0.0, 1.0, 0.0,
    "0 = places from the array (first activation) .. 1 = matched to the bands (experienced)"};
inline constexpr ParamSpec place_shift_mm{"place_shift_mm", "mm", -10.0, 10.0, 0.0,
    "every place moved basally by this much along the Greenwood map"};
}  // namespace params

}  // namespace earshot
