#pragma once
// Listener presets. Ids (values in docs/presets.md, sources in the implementation):
//   normal                                  0 dB HL everywhere
//   bisgaard:N1 ... bisgaard:N7, bisgaard:S1 ... bisgaard:S3   Bisgaard, Vlaming & Dahlquist 2010
//   iso7029:age=A,sex=male|female[,percentile=P]              ISO 7029:2017 age-related thresholds
//   noise-notch[:years=Y,level=L,age=A,sex=S]                   ISO 1999:2013 noise-induced 4 kHz notch
//   sudden-profound                                            severe-to-profound sudden loss
#include <string>
#include <string_view>
#include <vector>

#include "earshot/hearing/listener.hpp"

namespace earshot {

struct PresetInfo {
    std::string id;           ///< canonical id, usable with make_preset()
    std::string description;  ///< one line
};

/// Builds the listener a preset id names; throws ConfigError ("--listener: unknown preset 'x'; known: ...")
/// for an unknown id or an out-of-range preset parameter.
Listener make_preset(std::string_view id);
/// Every preset (parameterised families listed with a representative id).
std::vector<PresetInfo> list_presets();

}  // namespace earshot
