#pragma once
// The loudness growth function (LGF) and the T/C current-level map of Nucleus processors (ci-anchors
// §3.5): an envelope u (after the front-end gain) becomes
//   r = clamp((u - B)/(S - B), 0, 1),  v = ln(1 + alpha r)/ln(1 + alpha),  CL = round(T + (C - T) v)
// and u < B gives an idle pulse (CL 0). alpha follows from Q, the percentage drop in v when the input is
// 10 dB below S. The inverse (CL -> the envelope that produced it) is what the auralisation hears.
#include <vector>

namespace earshot {

/// alpha of v = ln(1 + alpha r)/ln(1 + alpha) for a Q: Q = 100 (1 - v(S/sqrt 10)), by bisection on log alpha.
double lgf_alpha(double q, double base_level, double sat_level);

class LoudnessMap {
public:
    LoudnessMap() = default;
    /// t_level, c_level: one value or one per electrode (index electrode - 1); levels 0..255.
    LoudnessMap(double q, double base_level, double sat_level, std::vector<double> t_level, std::vector<double> c_level);

    double alpha() const noexcept { return alpha_; }
    double base_level() const noexcept { return base_; }
    double sat_level() const noexcept { return sat_; }
    double t_level(int electrode) const noexcept { return t_.size() == 1 ? t_[0] : t_[std::size_t(electrode - 1)]; }
    double c_level(int electrode) const noexcept { return c_.size() == 1 ? c_[0] : c_[std::size_t(electrode - 1)]; }

    /// Envelope (after gain) -> clinical current level; 0 (idle) below the base level. noexcept, no allocation.
    int current_level(double envelope, int electrode) const noexcept;
    /// Magnitude v in [0, 1] for an envelope (negative below the base level).
    double magnitude(double envelope) const noexcept;
    /// Inverse: the envelope a current level stands for (0 for an idle pulse, CL 0 or below T).
    double envelope_for_level(int current_level, int electrode) const noexcept;

private:
    double envelope_direct(int current_level, int electrode) const noexcept;
    double alpha_ = 0, base_ = 0.01, sat_ = 1, log1pa_ = 1;
    std::vector<double> table_;  ///< envelope per (electrode, level 0..255)
    std::vector<double> t_{1.0}, c_{100.0};
};

}  // namespace earshot
