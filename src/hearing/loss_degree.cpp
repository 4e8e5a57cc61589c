#include "earshot/hearing/loss_degree.hpp"

#include <algorithm>
#include <array>

#include "earshot/hearing/hearing_loss.hpp"

namespace earshot {

double mean_hl_2k_8k(const Audiogram& a) noexcept {
    double sum = 0;
    int n = 0;
    for (std::size_t i = 0; i < a.freqs_hz.size(); ++i)
        if (a.freqs_hz[i] >= 2000.0 && a.freqs_hz[i] <= 8000.0) sum += a.hl_db[i], ++n;
    if (n == 0 && !a.empty()) {
        for (double f : {2000.0, 3000.0, 4000.0, 6000.0, 8000.0}) sum += a.at(f), ++n;
    }
    return n ? sum / n : 0.0;
}

namespace {
struct Anchor {
    double hl, broadening, lower, upper;
};
// Class centres: none (<=15), mild (15..35), moderate (35..56), severe (>56, centred at 66).
constexpr std::array<Anchor, 4> kAnchors = {{{15.0, 1.5, 1.0, 1.0},
                                             {25.0, 1.5, 1.6, 1.1},
                                             {45.5, 2.0, 2.4, 1.6},
                                             {66.0, 3.0, 4.0, 2.0}}};
}  // namespace

DegreeParams degree_params(const Audiogram& sn, LossDegree mode) noexcept {
    DegreeParams p;
    const double m = mean_hl_2k_8k(sn);
    p.mean_hl_2k_8k_db = m;
    int cls = m > 56 ? 3 : m > 35 ? 2 : m > 15 ? 1 : 0;
    static constexpr std::array<std::string_view, 4> names = {"none", "mild", "moderate", "severe"};
    if (mode == LossDegree::classes) {
        const Anchor& a = kAnchors[cls];
        p.class_name = names[cls];
        p.broadening = a.broadening;
        p.smearing = cls > 0;
        p.smear_lower = a.lower;
        p.smear_upper = a.upper;
    } else {
        p.class_name = names[cls];
        if (m <= kAnchors.front().hl) {
            p.broadening = kAnchors.front().broadening;
            p.smear_lower = p.smear_upper = 1.0;
        } else if (m >= kAnchors.back().hl) {
            p.broadening = kAnchors.back().broadening;
            p.smear_lower = kAnchors.back().lower;
            p.smear_upper = kAnchors.back().upper;
        } else {
            std::size_t i = 1;
            while (m > kAnchors[i].hl) ++i;
            const Anchor& a = kAnchors[i - 1];
            const Anchor& b = kAnchors[i];
            const double t = (m - a.hl) / (b.hl - a.hl);
            p.broadening = a.broadening + t * (b.broadening - a.broadening);
            p.smear_lower = a.lower + t * (b.lower - a.lower);
            p.smear_upper = a.upper + t * (b.upper - a.upper);
        }
        p.smearing = p.smear_lower > 1.0 || p.smear_upper > 1.0;
    }
    p.spacing_cams = 0.75 * p.broadening;
    return p;
}

}  // namespace earshot
