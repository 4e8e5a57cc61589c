#include "earshot/implant/electrode_array.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "earshot/core/error.hpp"

namespace earshot {
namespace {

// Nominal values from the research notes (validation.md section 3.3, ci-anchors.md section 7), which
// quote manufacturer figures and Dhanasingh & Jolly (2017), Hearing Research 356:93-103, from memory.
// Where the notes give a range, the midpoint is used. min insertion = active length (the most basal
// contact at the round window), max = 35 mm (the apex of the default Greenwood map).
constexpr std::array kArrays{
    ElectrodeArray{"slim_straight", "Cochlear Slim Straight (CI422/CI522/CI622)", "Cochlear", 22, 19.5, 22.5, 19.5,
                   35.0, false,
                   "validation.md 3.3, ci-anchors.md 7 (nominal); unverified: active length midpoint of ~19-20 mm, "
                   "typical insertion midpoint of 20-25 mm"},
    ElectrodeArray{"slim_modiolar", "Cochlear Slim Modiolar (CI532/CI632)", "Cochlear", 22, 14.5, 15.0, 14.5, 35.0,
                   true,
                   "validation.md 3.3, ci-anchors.md 7 (nominal); unverified: active length midpoint of ~14-15 mm, "
                   "typical insertion midpoint of ~14-16 mm (to the marker)"},
    ElectrodeArray{"contour_advance", "Cochlear Contour Advance (CI24RE(CA)/CI512/CI612)", "Cochlear", 22, 15.0, 18.0,
                   15.0, 35.0, true,
                   "validation.md 3.3, ci-anchors.md 7 (0.714 mm pitch as used by openMHA); unverified: active "
                   "length ~15 mm, typical insertion midpoint of ~17-19 mm"},
    ElectrodeArray{"nucleus22", "Cochlear Nucleus 22 (CI22M, historical)", "Cochlear", 22, 15.75, 22.5, 15.75, 35.0,
                   false,
                   "validation.md 3.3 (nominal); unverified: active length 21 x 0.75 mm pitch (notes quote ~16-17 mm "
                   "overall), typical insertion midpoint of ~20-25 mm"},
    ElectrodeArray{"flex20", "MED-EL FLEX20", "MED-EL", 12, 15.4, 20.0, 15.4, 35.0, false,
                   "validation.md 3.3 (nominal: 15.4 mm range, 1.4 mm pitch, 20 mm array); unverified: datasheet "
                   "check pending, apical contact depth taken as the 20 mm array length"},
    ElectrodeArray{"flex24", "MED-EL FLEX24 (Medium)", "MED-EL", 12, 20.9, 24.0, 20.9, 35.0, false,
                   "validation.md 3.3, ci-anchors.md 7 (nominal: 20.9 mm range, 1.9 mm pitch, 24 mm array); "
                   "unverified: datasheet check pending, apical contact depth taken as the 24 mm array length"},
    ElectrodeArray{"flex28", "MED-EL FLEX28", "MED-EL", 12, 23.1, 28.0, 23.1, 35.0, false,
                   "validation.md 3.3, ci-anchors.md 7 (nominal: 23.1 mm range, 2.1 mm pitch, 28 mm array); "
                   "unverified: datasheet check pending, apical contact depth taken as the 28 mm array length"},
    ElectrodeArray{"flexsoft", "MED-EL FLEXsoft / Standard", "MED-EL", 12, 26.4, 31.5, 26.4, 35.0, false,
                   "validation.md 3.3, ci-anchors.md 7 (nominal: 26.4 mm range, 2.4 mm pitch, 31.5 mm insertion); "
                   "unverified: datasheet check pending, apical contact depth taken as the 31.5 mm insertion"},
    ElectrodeArray{"hifocus_slimj", "Advanced Bionics HiFocus SlimJ", "Advanced Bionics", 16, 20.0, 21.5, 20.0, 35.0,
                   false,
                   "validation.md 3.3, ci-anchors.md 7 (nominal); unverified: active length ~20 mm, typical "
                   "insertion midpoint of ~20-23 mm"},
    ElectrodeArray{"hifocus_mid_scala", "Advanced Bionics HiFocus Mid-Scala", "Advanced Bionics", 16, 15.0, 18.5,
                   15.0, 35.0, false,
                   "validation.md 3.3, ci-anchors.md 7 (nominal: 15 mm, ~1 mm pitch, 18.5 mm insertion; "
                   "mid-scalar, precurved); unverified: datasheet check pending"},
    ElectrodeArray{"hifocus_1j", "Advanced Bionics HiFocus 1J", "Advanced Bionics", 16, 17.0, 25.0, 17.0, 35.0, false,
                   "validation.md 3.3 (nominal); unverified: active length ~17 mm (~1.1 mm pitch), typical "
                   "insertion ~25 mm"},
};

// Landsberger et al. (2015) places, most basal first. The notes list them apical first (Contour Advance
// electrode 22 -> 1; FLEX24 most apical first); reversed here.
constexpr std::array kLandsbergerContourAdvance{13879.0, 12388.0, 11057.0, 9647.0, 8322.0, 7018.0, 6057.0, 5458.0,
                                                4847.0,  4209.0,  3655.0,  3149.0, 2659.0, 2282.0, 1943.0, 1668.0,
                                                1428.0,  1248.0,  1075.0,  939.0,  797.0,  722.0};
constexpr std::array kLandsbergerFlex24{15374.0, 12530.0, 9758.0, 6630.0, 4670.0, 3319.0,
                                        2228.0,  1483.0,  968.0,  689.0,  548.0,  357.0};

std::string id_list() {
    std::string s;
    for (const auto& a : kArrays) s += (s.empty() ? "" : ", ") + std::string(a.id);
    return s;
}

void check_insertion(const ElectrodeArray& a, double depth_mm, double max_mm) {
    if (!(depth_mm >= a.min_insertion_mm && depth_mm <= max_mm))
        throw ConfigError(fmt::format("insertion_depth_mm: {} is out of range [{}, {}] mm for {}", depth_mm,
                                      a.min_insertion_mm, max_mm, a.id));
}

}  // namespace

std::span<const ElectrodeArray> electrode_arrays() { return kArrays; }

const ElectrodeArray& electrode_array(std::string_view id) {
    for (const auto& a : kArrays)
        if (a.id == id) return a;
    throw ConfigError(fmt::format("array: '{}' is not one of {}", id, id_list()));
}

std::vector<double> contact_depths_mm(const ElectrodeArray& array, double insertion_depth_mm) {
    check_insertion(array, insertion_depth_mm, array.max_insertion_mm);
    std::vector<double> d(std::size_t(array.contacts));
    const double basal = insertion_depth_mm - array.active_length_mm;
    const double pitch = array.contacts > 1 ? array.active_length_mm / (array.contacts - 1) : 0.0;
    for (int i = 0; i < array.contacts; ++i) d[std::size_t(i)] = basal + pitch * i;
    d.back() = insertion_depth_mm;  // exact, whatever the rounding of the sum
    return d;
}

std::vector<double> contact_place_freq_hz(const ElectrodeArray& array, double insertion_depth_mm,
                                          const GreenwoodMap& m) {
    check_insertion(array, insertion_depth_mm, std::min(array.max_insertion_mm, m.length_mm));
    std::vector<double> f = contact_depths_mm(array, insertion_depth_mm);
    for (double& v : f) v = greenwood_freq_at_depth_hz(v, m);
    return f;
}

Mismatch place_mismatch(std::span<const double> place_freq_hz, std::span<const double> band_centre_hz,
                        const GreenwoodMap& m) {
    if (place_freq_hz.size() != band_centre_hz.size())
        throw ConfigError(fmt::format("band_centre_hz: {} values but place_freq_hz has {} (lengths must match)",
                                      band_centre_hz.size(), place_freq_hz.size()));
    Mismatch r;
    r.octaves.reserve(place_freq_hz.size());
    r.mm.reserve(place_freq_hz.size());
    for (std::size_t i = 0; i < place_freq_hz.size(); ++i) {
        const double p = place_freq_hz[i], b = band_centre_hz[i];
        if (!(p > 0 && std::isfinite(p)))
            throw ConfigError(fmt::format("place_freq_hz: value {} is {} Hz; must be positive and finite", i, p));
        if (!(b > 0 && std::isfinite(b)))
            throw ConfigError(fmt::format("band_centre_hz: value {} is {} Hz; must be positive and finite", i, b));
        r.octaves.push_back(std::log2(p / b));
        r.mm.push_back(greenwood_place_from_apex_mm(p, m) - greenwood_place_from_apex_mm(b, m));
    }
    return r;
}

std::span<const double> landsberger_place_freq_hz(std::string_view array_id) {
    if (array_id == "contour_advance") return kLandsbergerContourAdvance;
    if (array_id == "flex24") return kLandsbergerFlex24;
    return {};
}

}  // namespace earshot
