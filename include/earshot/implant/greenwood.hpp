#pragma once
// Greenwood (1990) place-frequency map of the human cochlea, F = A (10^(a x) - k), with x the fraction of
// the map's length measured from the apex (0 = apex, 1 = base). Defaults: A = 165.4 Hz, a = 2.1, k = 0.88
// over a 35 mm organ of Corti, giving 19.85 Hz at the apex and 20.68 kHz at the base (Greenwood D.D. 1990,
// J. Acoust. Soc. Am. 87:2592-2605). Positions are in mm along that length; "depth" is measured from the
// base (round window), so depth = length_mm - distance from the apex.
// Out-of-map inputs are not checked (these are noexcept): positions beyond the apex give frequencies below
// A (1 - k), and frequencies at or below -A k give NaN.

namespace earshot {

struct GreenwoodMap {
    double a_hz = 165.4;      ///< A, Hz
    double alpha = 2.1;       ///< a, per unit of relative length (0.06 /mm over 35 mm)
    double k = 0.88;          ///< some authors use 1 (then F(apex) = 0)
    double length_mm = 35.0;  ///< length of the map, apex to base
};

/// Characteristic frequency at `distance_from_apex_mm` along the map.
double greenwood_freq_hz(double distance_from_apex_mm, const GreenwoodMap& m = {}) noexcept;
/// Inverse of greenwood_freq_hz: distance from the apex (mm) whose characteristic frequency is `freq_hz`.
double greenwood_place_from_apex_mm(double freq_hz, const GreenwoodMap& m = {}) noexcept;
/// Characteristic frequency at a depth measured from the base (round window): depth = length - distance from apex.
double greenwood_freq_at_depth_hz(double depth_from_base_mm, const GreenwoodMap& m = {}) noexcept;
/// Inverse of greenwood_freq_at_depth_hz: depth from the base (mm) whose characteristic frequency is `freq_hz`.
double greenwood_depth_from_base_mm(double freq_hz, const GreenwoodMap& m = {}) noexcept;

}  // namespace earshot
