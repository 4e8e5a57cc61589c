#include "earshot/hearing/audiogram.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/dsp/interpolate.hpp"
#include "earshot/hearing/listener.hpp"

namespace earshot {

double Audiogram::at(double freq_hz) const noexcept { return interpolate_linear(freqs_hz, hl_db, freq_hz); }

void Audiogram::validate(std::string_view where) const {
    if (freqs_hz.size() != hl_db.size())
        throw ConfigError(fmt::format("{}: {} frequencies but {} levels (lengths must match)", where,
                                      freqs_hz.size(), hl_db.size()));
    for (std::size_t i = 0; i < freqs_hz.size(); ++i) {
        params::freq_hz.check(freqs_hz[i], fmt::format("{}: frequency {}", where, i + 1));
        params::hl_db.check(hl_db[i], fmt::format("{}: level at {} Hz", where, freqs_hz[i]));
        if (i > 0 && !(freqs_hz[i] > freqs_hz[i - 1]))
            throw ConfigError(fmt::format("{}: frequencies must be strictly ascending ({} Hz after {} Hz)", where,
                                          freqs_hz[i], freqs_hz[i - 1]));
    }
}

double EarHearing::sensorineural_db(double freq_hz) const noexcept {
    const double a = air.at(freq_hz);
    return bone.empty() ? a : std::min(a, bone.at(freq_hz));
}

double EarHearing::conductive_db(double freq_hz) const noexcept {
    return bone.empty() ? 0.0 : std::max(0.0, air.at(freq_hz) - bone.at(freq_hz));
}

void Listener::validate(std::string_view where) const {
    left.air.validate(fmt::format("{}: left air", where));
    right.air.validate(fmt::format("{}: right air", where));
    left.bone.validate(fmt::format("{}: left bone", where));
    right.bone.validate(fmt::format("{}: right bone", where));
    for (const auto* d : {&left_device, &right_device}) {
        const char* side = d == &left_device ? "left" : "right";
        if (d->crossover_hz != 0.0 && !(d->crossover_hz >= 100.0 && d->crossover_hz <= 4000.0))
            throw ConfigError(fmt::format("{}: {} crossover_hz: {} is out of range [100, 4000] Hz (0 = none)", where, side, d->crossover_hz));
        if (d->crossover_hz != 0.0 && !(d->implant && d->acoustic))
            throw ConfigError(fmt::format("{}: {} crossover_hz: needs both an implant and acoustic hearing on that ear", where, side));
    }
}

}  // namespace earshot
