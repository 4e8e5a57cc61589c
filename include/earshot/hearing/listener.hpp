#pragma once
// A listener: what each ear hears with: its own (possibly impaired) acoustic hearing, an implant, or both.
//  * acoustic only: the hearing-loss model with the ear's audiogram;
//  * implant only ("acoustic = false"): deaf ear with a cochlear implant;
//  * electric-acoustic (implant + acoustic): residual hearing through the hearing-loss model, low-passed at
//    crossover_hz, plus the implant fed the sound high-passed at crossover_hz (0: no split filters);
//  * bimodal: an implant on one ear, acoustic hearing on the other; bilateral: implants on both.
#include <memory>
#include <string>

#include "earshot/hearing/audiogram.hpp"

namespace earshot {

enum class Ear { left, right };

struct ImplantParams;

struct EarDevice {
    std::shared_ptr<const ImplantParams> implant;  ///< null: no implant on this ear
    bool acoustic = true;        ///< the ear's own hearing (through the hearing-loss model) is heard
    double crossover_hz = 0.0;   ///< electric-acoustic split (4th-order Butterworth); 0 = none; 100..4000 Hz
    bool hearing_aid = false;    ///< the acoustic path is aided (NAL-R linear prescription from the audiogram)
};

struct Listener {
    std::string name;         ///< preset id or file name, for reports
    std::string description;  ///< one line for `earshot presets`
    EarHearing left;
    EarHearing right;
    EarDevice left_device;
    EarDevice right_device;

    const EarHearing& ear(Ear e) const noexcept { return e == Ear::left ? left : right; }
    const EarDevice& device(Ear e) const noexcept { return e == Ear::left ? left_device : right_device; }
    bool has_implant() const noexcept { return left_device.implant || right_device.implant; }
    /// Any implant or hearing aid (the listener then runs ear by ear).
    bool has_device() const noexcept { return has_implant() || left_device.hearing_aid || right_device.hearing_aid; }
    void validate(std::string_view where) const;  ///< validates all four audiograms
};

}  // namespace earshot
