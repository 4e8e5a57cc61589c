// The electrodogram plot's options from the implant that made it (plots/plot_electrodogram.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "earshot/implant/coding_strategy.hpp"
#include "earshot/plots/plot_electrodogram.hpp"

namespace earshot {

ElectrodogramPlotOptions electrodogram_plot_options(const ImplantParams& implant, const std::filesystem::path& input) {
    const auto strategy = make_strategy(implant);
    ElectrodogramPlotOptions po;
    po.title = fmt::format("{}: {}", input.filename().string(), implant.name);
    int cmax = 0;
    const auto& map = strategy->loudness_map();
    for (int el = 1; el <= strategy->num_electrodes(); ++el) cmax = std::max(cmax, int(std::lround(map.c_level(el))));
    po.c_level = cmax;
    po.band_centre_hz.assign(std::size_t(strategy->num_electrodes()), 0.0);
    for (std::size_t b = 0; b < strategy->band_electrodes().size(); ++b)
        po.band_centre_hz[std::size_t(strategy->band_electrodes()[b] - 1)] = strategy->band_centre_hz()[b];
    return po;
}

}  // namespace earshot
