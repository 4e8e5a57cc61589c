#pragma once
// An audiogram: hearing threshold levels (dB HL) at an ascending set of frequencies in 125..16000 Hz.
//
// Interpolation rule (used by the model and by plots): linear in Hz between measured points, as the
// MSBG simulator does (Moore, Stone, Baer & Glasberg; Clarity `cochlea.py`), flat extension below
// the first and above the last point.
#include <string_view>
#include <vector>

namespace earshot {

struct Audiogram {
    std::vector<double> freqs_hz;  ///< strictly ascending, each in [125, 16000]
    std::vector<double> hl_db;     ///< same length, each in [-10, 120] dB HL

    bool empty() const noexcept { return freqs_hz.empty(); }
    /// Threshold at any frequency by the rule above; 0 dB HL for an empty audiogram.
    double at(double freq_hz) const noexcept;
    /// Throws ConfigError naming `where` (e.g. "listener.json: left.air") and the accepted range when
    /// lengths differ, frequencies are not strictly ascending or out of range, or a level is out of range.
    void validate(std::string_view where) const;
};

/// One ear: air-conduction thresholds and optional bone-conduction thresholds. The air-bone gap
/// (air - bone, >= 0) is a conductive component rendered as level-independent attenuation; the bone
/// thresholds are the sensorineural component (recruitment, broadening, smearing).
struct EarHearing {
    Audiogram air;
    Audiogram bone;  ///< empty: no conductive component (all of the loss is sensorineural)

    double sensorineural_db(double freq_hz) const noexcept;  ///< bone if present (<= air), else air
    double conductive_db(double freq_hz) const noexcept;     ///< max(0, air - bone), 0 without bone
};

}  // namespace earshot
