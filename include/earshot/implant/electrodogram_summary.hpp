#pragma once
// What an electrodogram holds, counted against the strategy that made it: analysis frames (pulse slots / the
// strategy's slots per frame), active pulses (current level > 0) and the electrodes they use, with the
// strategy's channel rate (pulses per second per channel) and slot period (microseconds). The figures a
// front end prints after `earshot electrodogram` (and a notebook shows), computed in one place.
#include <cstddef>
#include <string_view>

#include "earshot/implant/electrodogram.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot {

struct ElectrodogramSummary {
    std::string_view strategy;       ///< the strategy's name (names::strategy: ace, cis, speak)
    std::size_t slots = 0;           ///< pulse slots, idle ones included
    std::size_t frames = 0;          ///< analysis frames: slots / the strategy's slots per frame
    std::size_t active_pulses = 0;   ///< slots with a current level > 0
    std::size_t electrodes_used = 0; ///< distinct electrodes with an active pulse
    double channel_rate_pps = 0;     ///< frames per second (each channel's pulse rate)
    double period_us = 0;            ///< time between pulse slots
};

/// The summary of `e`, an electrodogram made by `implant`'s strategy (make_strategy; may throw ConfigError).
ElectrodogramSummary summarize_electrodogram(const ImplantParams& implant, const Electrodogram& e);

}  // namespace earshot
