#pragma once
// The front end shared by the coding strategies, sample by sample (ci-anchors §3.2):
//   [first-order pre-emphasis: high-pass at 1.2 kHz (6 dB/octave below, as openMHA's CI front end), bilinear,
//    normalised to 0 dB at 1 kHz like NMT's microphone response]
//   -> front-end AGC, infinite compression above the knee (NMT FE_AGC_proc): env = max(|x|, env r),
//      raw gain = knee / env above the knee, g = w raw + (1 - w) g, y = x g; knee 0.0793 (speech peaks at
//      65 dB SPL on the 95 dB full-scale sine), attack 5 ms (w = 3.912 / (t_att fs)), release 75 ms at 25 dB.
#include <algorithm>
#include <cmath>

#include "earshot/implant/ace_types.hpp"

namespace earshot {

class ImplantFrontEnd {
public:
    void prepare(FrontEnd front_end, bool agc, double sample_rate_hz) noexcept;
    void reset() noexcept { env_ = 0, gain_ = 1, x1_ = y1_ = 0; }
    double operator()(double x) noexcept {
        if (pre_) {
            const double y = b0_ * x + b1_ * x1_ - a1_ * y1_;
            x1_ = x, y1_ = y, x = y;
        }
        if (agc_) {
            env_ = std::max(std::fabs(x), env_ * r_);
            const double raw = env_ > kKnee ? kKnee / env_ : 1.0;
            gain_ = w_ * raw + (1.0 - w_) * gain_;
            x *= gain_;
        }
        return x;
    }

private:
    static constexpr double kKnee = 0.0793386857653367;
    bool pre_ = false, agc_ = true;
    double b0_ = 1, b1_ = 0, a1_ = 0, x1_ = 0, y1_ = 0;
    double env_ = 0, gain_ = 1, w_ = 0, r_ = 1;
};

}  // namespace earshot
