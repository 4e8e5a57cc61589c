#include "earshot/implant/greenwood.hpp"

#include <cmath>

namespace earshot {

double greenwood_freq_hz(double distance_from_apex_mm, const GreenwoodMap& m) noexcept {
    const double x = distance_from_apex_mm / m.length_mm;
    return m.a_hz * (std::pow(10.0, m.alpha * x) - m.k);
}

double greenwood_place_from_apex_mm(double freq_hz, const GreenwoodMap& m) noexcept {
    return m.length_mm * std::log10(freq_hz / m.a_hz + m.k) / m.alpha;
}

double greenwood_freq_at_depth_hz(double depth_from_base_mm, const GreenwoodMap& m) noexcept {
    return greenwood_freq_hz(m.length_mm - depth_from_base_mm, m);
}

double greenwood_depth_from_base_mm(double freq_hz, const GreenwoodMap& m) noexcept {
    return m.length_mm - greenwood_place_from_apex_mm(freq_hz, m);
}

}  // namespace earshot
