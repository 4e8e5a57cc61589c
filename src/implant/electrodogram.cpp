#include "earshot/implant/electrodogram.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/core/temp_file.hpp"
#include "earshot/core/text_file.hpp"

namespace earshot {

double current_level_to_ua(int cl) noexcept { return cl <= 0 ? 0.0 : 17.5 * std::pow(100.0, cl / 255.0); }

void Electrodogram::write_csv(const std::filesystem::path& path) const {
    TempFile tmp(path);  // O_EXCL, unpredictable name, removed on failure or interrupt (temp_file.hpp)
    std::string chunk = "time_us,electrode,current_level,phase_width_us,phase_gap_us\n";
    for (const Pulse& p : pulses) {
        // 0.1 us resolution (Nucleus periods are whole 0.2 us ticks, as the toolbox writes them); finer
        // when the period is not (CIS at other rates).
        if (std::fabs(p.time_us * 10 - std::round(p.time_us * 10)) < 1e-6)
            chunk += fmt::format("{:.1f},{},{},{:g},{:g}\n", p.time_us, p.electrode, p.current_level, p.phase_width_us, p.phase_gap_us);
        else
            chunk += fmt::format("{:.3f},{},{},{:g},{:g}\n", p.time_us, p.electrode, p.current_level, p.phase_width_us, p.phase_gap_us);
        if (chunk.size() >= (1u << 16)) tmp.write_all(chunk.data(), chunk.size()), chunk.clear();
    }
    tmp.write_all(chunk.data(), chunk.size());
    tmp.commit();
}

Electrodogram Electrodogram::read_csv(const std::filesystem::path& path) {
    // Regular files only, at most 256 MiB (about 7 minutes of a 22-electrode ACE map at 900 pps).
    std::istringstream f(read_text_file(path, "electrodogram CSV", std::size_t{256} << 20));
    Electrodogram e;
    std::string line;
    std::size_t n = 0;
    while (std::getline(f, line)) {
        ++n;
        if (n == 1 || line.empty()) continue;
        Pulse p;
        if (std::sscanf(line.c_str(), "%lf,%d,%d,%lf,%lf", &p.time_us, &p.electrode, &p.current_level, &p.phase_width_us,
                        &p.phase_gap_us) != 5)
            throw IoError(fmt::format("{}:{}: expected time_us,electrode,current_level,phase_width_us,phase_gap_us",
                                      path.string(), n));
        e.pulses.push_back(p);
    }
    return e;
}

}  // namespace earshot
