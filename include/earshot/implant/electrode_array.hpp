#pragma once
// Cochlear-implant electrode arrays as data, the place (Greenwood) frequency of each contact for a given
// insertion depth, and the frequency-place mismatch between those places and the analysis bands that
// drive them. Sources and the values still to check against datasheets: docs/electrode-arrays.md.
//
// Geometry is deliberately simple: contacts are evenly spaced over the array's active length, and the
// linear insertion depth along the array is used directly as depth from the base on the organ-of-Corti
// Greenwood map (35 mm by default). Real lateral-wall arrays travel a longer path (the lateral wall is
// ~37-42 mm) and perimodiolar ones a shorter one, and spiral-ganglion places (Stakhovskaya et al. 2007)
// lie lower in frequency than organ-of-Corti places for deep contacts; no spiral-ganglion map is offered
// because the research notes do not state its relation. Use landsberger_place_freq_hz() for measured
// (CT-based, spiral-ganglion) places where they exist.
//
// Ordering: every per-contact vector here is basal first (index 0 = most basal contact), which is
// Cochlear's numbering (electrode 1 basal, 22 apical). MED-EL and Advanced Bionics number their contacts
// apical to basal clinically; their vectors are still returned basal first.
#include <span>
#include <string_view>
#include <vector>

#include "earshot/implant/greenwood.hpp"

namespace earshot {

struct ElectrodeArray {
    std::string_view id;          ///< "slim_straight", "contour_advance", "flex28", ...
    std::string_view name;        ///< "Cochlear Slim Straight (CI422/CI522/CI622)"
    std::string_view maker;       ///< "Cochlear", "MED-EL", "Advanced Bionics"
    int contacts;                 ///< 22, 12, 16
    double active_length_mm;      ///< span from the most apical to the most basal contact centre
    double typical_insertion_mm;  ///< depth of the most apical contact from the round window, typical
    double min_insertion_mm;      ///< accepted range for insertion_depth_mm (min = active length: the most
    double max_insertion_mm;      ///< basal contact at the round window; max = 35 mm, the map's apex)
    bool perimodiolar;            ///< precurved, hugging the modiolus (mid-scalar and lateral-wall arrays: false)
    std::string_view source;      ///< where the numbers come from; "unverified: ..." where not checked
};

/// All known arrays, in a stable order (Cochlear, MED-EL, Advanced Bionics).
std::span<const ElectrodeArray> electrode_arrays();
/// The array with this id; throws ConfigError "array: 'x' is not one of slim_straight, ...".
const ElectrodeArray& electrode_array(std::string_view id);

/// Contact positions as depth from the round window (mm), most basal contact first, evenly spaced over
/// active_length_mm with the most apical contact at insertion_depth_mm. Throws ConfigError naming
/// insertion_depth_mm and the array's accepted range [min_insertion_mm, max_insertion_mm].
std::vector<double> contact_depths_mm(const ElectrodeArray& array, double insertion_depth_mm);

/// Greenwood (organ-of-Corti) place frequency of each contact, most basal first. For perimodiolar arrays
/// this map overestimates the frequency of the neurons actually stimulated (see the header comment).
/// Throws ConfigError as contact_depths_mm, and also if insertion_depth_mm exceeds m.length_mm.
std::vector<double> contact_place_freq_hz(const ElectrodeArray& array, double insertion_depth_mm,
                                          const GreenwoodMap& m = {});

/// Frequency-place mismatch per channel: place frequency against the centre frequency of the analysis
/// band that drives it (same order as the inputs). Positive = place higher (more basal) than the band.
struct Mismatch {
    std::vector<double> octaves;  ///< log2(place / band centre)
    std::vector<double> mm;       ///< Greenwood distance from the band centre's place to the contact's place
};
/// Throws ConfigError if the lengths differ or a frequency is not positive and finite.
Mismatch place_mismatch(std::span<const double> place_freq_hz, std::span<const double> band_centre_hz,
                        const GreenwoodMap& m = {});

/// Landsberger et al. (2015) CT-based spiral-ganglion place frequencies, as quoted in the research notes
/// from the Williges & Juergens pulsatile vocoder: "contour_advance" (22 values) and "flex24" (12 values),
/// most basal first. Empty for every other id.
std::span<const double> landsberger_place_freq_hz(std::string_view array_id);

}  // namespace earshot
