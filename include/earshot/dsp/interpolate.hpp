#pragma once
// Piecewise-linear interpolation over a strictly ascending grid, held flat outside it (the rule for
// audiograms and for the ear-filter tables).
#include <algorithm>
#include <cstddef>
#include <span>

namespace earshot {

inline double interpolate_linear(std::span<const double> xs, std::span<const double> ys, double x) noexcept {
    if (xs.empty()) return 0.0;
    if (x <= xs.front()) return ys.front();
    if (x >= xs.back()) return ys.back();
    const std::size_t i = static_cast<std::size_t>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin());
    const double t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
    return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}

}  // namespace earshot
