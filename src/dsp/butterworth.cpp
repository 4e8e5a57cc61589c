#include "earshot/dsp/butterworth.hpp"

#include <cmath>
#include <numbers>

namespace earshot {

std::vector<BiquadCoeffs> butterworth_sections(int order, double f, double fs, bool hp) {
    std::vector<BiquadCoeffs> out;
    for (int k = 0; k < order / 2; ++k) {
        const double theta = std::numbers::pi * (2.0 * k + 1.0) / (2.0 * order);
        const double q = 1.0 / (2.0 * std::sin(theta));
        out.push_back(hp ? BiquadCoeffs::highpass(f, q, fs) : BiquadCoeffs::lowpass(f, q, fs));
    }
    if (order % 2) {
        const double k = std::tan(std::numbers::pi * f / fs);
        BiquadCoeffs c;
        c.a1 = (k - 1.0) / (k + 1.0);
        if (hp) c.b0 = 1.0 / (1.0 + k), c.b1 = -c.b0;
        else c.b0 = k / (1.0 + k), c.b1 = c.b0;
        out.push_back(c);
    }
    return out;
}

}  // namespace earshot
