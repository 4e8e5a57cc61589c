#pragma once
// The electrodogram: the typed value between a coding strategy and the auralisation (or a file, a plot,
// a comparison with a reference). One entry per pulse slot, idle slots included (current level 0).
// Electrode numbering as Cochlear's: 1 = most basal, 22 = most apical.
#include <cstddef>
#include <filesystem>
#include <vector>

namespace earshot {

struct Pulse {
    double time_us = 0;        ///< start of the first phase
    int electrode = 0;         ///< 1-based
    int current_level = 0;     ///< clinical current level (0..255); 0 = idle slot
    double phase_width_us = 25;
    double phase_gap_us = 7;
};

struct Electrodogram {
    int num_electrodes = 22;
    std::vector<Pulse> pulses;

    /// `time_us,electrode,current_level,phase_width_us,phase_gap_us`, one row per pulse slot; written
    /// atomically (temporary file + rename). Throws IoError naming the file.
    void write_csv(const std::filesystem::path& path) const;
    /// Reads the same format (extra columns ignored). Throws IoError naming the file and line.
    static Electrodogram read_csv(const std::filesystem::path& path);
};

/// CIC4 / CI24RE current in microamperes for a clinical current level (0..255): 17.5 x 100^(CL/255).
double current_level_to_ua(int current_level) noexcept;

}  // namespace earshot
