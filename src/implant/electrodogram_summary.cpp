#include "earshot/implant/electrodogram_summary.hpp"

#include <algorithm>
#include <set>

#include "earshot/implant/coding_strategy.hpp"
#include "earshot/implant/implant_names.hpp"

namespace earshot {

ElectrodogramSummary summarize_electrodogram(const ImplantParams& implant, const Electrodogram& e) {
    const auto strategy = make_strategy(implant);
    ElectrodogramSummary s;
    s.strategy = names::strategy.to_name(implant.strategy);
    s.slots = e.pulses.size();
    s.frames = e.pulses.size() / std::max<std::size_t>(1, strategy->max_slots_per_frame());
    std::set<int> used;
    for (const auto& p : e.pulses)
        if (p.current_level > 0) used.insert(p.electrode), ++s.active_pulses;
    s.electrodes_used = used.size();
    s.channel_rate_pps = strategy->channel_rate_pps();
    s.period_us = strategy->period_us();
    return s;
}

}  // namespace earshot
