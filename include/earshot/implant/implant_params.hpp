#pragma once
// Everything that describes one implanted ear: the coding strategy and its map, the electrode array and
// its insertion, and how the stimulation is made audible. Described once here (keys, units, ranges,
// defaults in docs/implant-files.md) and read from implant JSON files, listener files and presets.
//
// Place of stimulation: `adaptation` 0 ("first activation") puts each electrode's carrier at the Greenwood
// place of its contact (array + insertion depth: full frequency-place mismatch); 1 ("experienced") puts it
// at the centre of the band that drives it (mismatch adapted away); values between blend in log frequency.
// `place_map` "landsberger" uses measured spiral-ganglion places where the array has them.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/implant/ace.hpp"
#include "earshot/implant/auraliser.hpp"
#include "earshot/implant/cis.hpp"
#include "earshot/implant/coding_strategy.hpp"

namespace earshot {

enum class StrategyKind { ace, cis, speak };
enum class PlaceMap { greenwood, landsberger };

/// array id of the idealised array for vocoder studies (CIS only): one contact per band, at the Greenwood
/// place of the band's centre; spread acts over the Greenwood distances between those places.
inline constexpr const char* kIdealArray = "ideal";

struct ImplantParams {
    std::string name;         ///< preset id or file name
    std::string description;  ///< one line, with its source
    StrategyKind strategy = StrategyKind::ace;
    AceParams ace;            ///< used by ace and speak
    CisParams cis;            ///< used by cis
    std::string array = "slim_straight";
    double insertion_depth_mm = 20.0;
    PlaceMap place_map = PlaceMap::greenwood;
    double adaptation = 0.0;  ///< 0 = places from the array (first activation) .. 1 = matched to the bands
    double place_shift_mm = 0.0;  ///< every place moved basally by this much on the Greenwood map (-10..10 mm)
    AuralisationParams auralisation;  ///< carrier, spread, seed (place vectors are filled by build_auralisation)
    double intensity = 1.0;   ///< 0 = the original sound, 1 = the implant sound only; mixed in between

    void validate(std::string_view where = {}) const;  ///< throws ConfigError naming the key and range
    bool operator==(const ImplantParams&) const = default;  ///< every field equal
};

/// "ace", "cis" or "speak": the strategy's name in implant files and messages.
const char* strategy_name(StrategyKind s) noexcept;

/// The strategy object for these parameters.
std::unique_ptr<CodingStrategy> make_strategy(const ImplantParams& p);
/// The auralisation parameters with place frequencies and contact depths per electrode filled in.
AuralisationParams build_auralisation(const ImplantParams& p, const CodingStrategy& s);

/// Presets: nucleus-ace, nucleus-ace-experienced, nmt-ace, speak, medel-cis, medel-cis-experienced, ab-16,
/// ab-16-experienced. Throws ConfigError listing them.
ImplantParams implant_preset(std::string_view id);
struct ImplantPresetInfo { std::string_view id; std::string_view description; };
std::vector<ImplantPresetInfo> implant_presets();

/// Whether `preset_or_file` names an implant file (ends in ".json") rather than a preset.
bool is_implant_file_name(std::string_view preset_or_file);

}  // namespace earshot
