#include "earshot/implant/front_end.hpp"

#include <complex>
#include <numbers>

namespace earshot {

void ImplantFrontEnd::prepare(FrontEnd front_end, bool agc, double fs) noexcept {
    agc_ = agc;
    w_ = 3.912 / (0.005 * fs);
    r_ = std::pow(10.0, -25.0 / (0.075 * fs) / 20.0);
    pre_ = front_end == FrontEnd::pre_emphasis;
    if (pre_) {
        const double k = std::tan(std::numbers::pi * 1200.0 / fs);
        b0_ = 1.0 / (1.0 + k), b1_ = -b0_, a1_ = (k - 1.0) / (1.0 + k);
        const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * 1000.0 / fs);
        const double g = std::abs((b0_ + b1_ * z1) / (1.0 + a1_ * z1));
        b0_ /= g, b1_ /= g;
    }
    reset();
}

}  // namespace earshot
