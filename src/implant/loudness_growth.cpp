#include "earshot/implant/loudness_growth.hpp"

#include <algorithm>
#include <cmath>

namespace earshot {

double lgf_alpha(double q, double base, double sat) {
    // v(u) = ln(1 + a r)/ln(1 + a), r = (u - B)/(S - B); find a with 100 (1 - v(S/sqrt 10)) = Q by bisection on log a.
    const double r = (sat / std::sqrt(10.0) - base) / (sat - base);
    auto q_of = [&](double a) { return 100.0 * (1.0 - std::log1p(a * r) / std::log1p(a)); };
    double lo = std::log(1e-6), hi = std::log(1e8);
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (q_of(std::exp(mid)) > q ? lo : hi) = mid;  // Q falls as alpha grows
    }
    return std::exp(0.5 * (lo + hi));
}

LoudnessMap::LoudnessMap(double q, double base, double sat, std::vector<double> t, std::vector<double> c)
    : alpha_(lgf_alpha(q, base, sat)), base_(base), sat_(sat), log1pa_(std::log1p(alpha_)), t_(std::move(t)), c_(std::move(c)) {
    // The inverse per whole current level, tabulated (real-time path: no transcendental per pulse).
    const std::size_t ne = std::max(t_.size(), c_.size());
    table_.assign(ne * 256, 0.0);
    for (std::size_t e = 0; e < ne; ++e)
        for (int cl = 0; cl < 256; ++cl) table_[e * 256 + std::size_t(cl)] = envelope_direct(cl, int(e) + 1);
}

double LoudnessMap::envelope_direct(int cl, int electrode) const noexcept {
    if (cl <= 0) return 0.0;
    const double t = t_level(electrode), c = c_level(electrode);
    const double v = c > t ? std::clamp((cl - t) / (c - t), 0.0, 1.0) : 1.0;
    const double r = std::expm1(v * log1pa_) / alpha_;
    return base_ + r * (sat_ - base_);
}

double LoudnessMap::magnitude(double u) const noexcept {
    if (!(u >= base_)) return -1e-10;
    const double r = std::min((u - base_) / (sat_ - base_), 1.0);
    return std::log1p(alpha_ * r) / log1pa_;
}

int LoudnessMap::current_level(double u, int electrode) const noexcept {
    const double v = magnitude(u);
    if (v < 0) return 0;
    const double t = t_level(electrode), c = c_level(electrode);
    return int(std::lround(t + (c - t) * std::min(v, 1.0)));
}

double LoudnessMap::envelope_for_level(int cl, int electrode) const noexcept {
    if (cl <= 0) return 0.0;
    if (cl > 255 || table_.empty()) return envelope_direct(cl, electrode);
    const std::size_t e = table_.size() == 256 ? 0 : std::size_t(electrode - 1);
    return table_[e * 256 + std::size_t(cl)];
}

}  // namespace earshot
