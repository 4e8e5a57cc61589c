#include "earshot/implant/electrodogram.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/core/text_file.hpp"

namespace earshot {

double current_level_to_ua(int cl) noexcept { return cl <= 0 ? 0.0 : 17.5 * std::pow(100.0, cl / 255.0); }

void Electrodogram::write_csv(const std::filesystem::path& path) const {
    const std::filesystem::path tmp = path.parent_path() / fmt::format(".{}.tmp", path.filename().string());
    {
        std::ofstream f(tmp);
        if (!f) throw IoError(fmt::format("{}: cannot write (directory missing or not writable)", path.string()));
        f << "time_us,electrode,current_level,phase_width_us,phase_gap_us\n";
        for (const Pulse& p : pulses)
            // 0.1 us resolution (Nucleus periods are whole 0.2 us ticks, as the toolbox writes them); finer
            // when the period is not (CIS at other rates).
            if (std::fabs(p.time_us * 10 - std::round(p.time_us * 10)) < 1e-6)
                f << fmt::format("{:.1f},{},{},{:g},{:g}\n", p.time_us, p.electrode, p.current_level, p.phase_width_us, p.phase_gap_us);
            else
                f << fmt::format("{:.3f},{},{},{:g},{:g}\n", p.time_us, p.electrode, p.current_level, p.phase_width_us, p.phase_gap_us);
        f.flush();
        if (!f) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            throw IoError(fmt::format("{}: write failed (disk full?)", path.string()));
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw IoError(fmt::format("{}: cannot write ({})", path.string(), ec.message()));
    }
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
