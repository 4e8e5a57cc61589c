#pragma once
// A listener: what each ear hears with. (Implants join here in a later step.)
#include <string>

#include "earshot/hearing/audiogram.hpp"

namespace earshot {

enum class Ear { left, right };

struct Listener {
    std::string name;         ///< preset id or file name, for reports
    std::string description;  ///< one line for `earshot presets`
    EarHearing left;
    EarHearing right;

    const EarHearing& ear(Ear e) const noexcept { return e == Ear::left ? left : right; }
    void validate(std::string_view where) const;  ///< validates all four audiograms
};

}  // namespace earshot
