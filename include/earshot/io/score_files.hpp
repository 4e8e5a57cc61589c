#pragma once
// STOI and ESTOI of one audio file against another (analysis/intelligibility.hpp: Taal et al. 2011, Jensen
// & Taal 2016), the path every front end uses (the CLI's `earshot score`, Python later): both files read whole
// and mixed to mono (read_mono_file) at rates the scores accept (params::score_input_rate_hz, 1..384 kHz),
// the reference checked for signal, DEG's delay found within +-max_delay_s (0..60 s) and removed unless
// align is off. Errors: one line naming the file or parameter and the accepted range (ConfigError).
#include <filesystem>

#include "earshot/analysis/intelligibility.hpp"

namespace earshot {

struct ScoreFilesOptions {
    bool align = true;         ///< find and remove DEG's delay (else both are cut to the shorter length)
    double max_delay_s = 1.0;  ///< 0..60 s: the delay search range, +-
};

/// The largest max_delay_s accepted (s).
inline constexpr double kMaxScoreDelayS = 60.0;

IntelligibilityScore score_files(const std::filesystem::path& ref, const std::filesystem::path& deg,
                                 const ScoreFilesOptions& options = {});

}  // namespace earshot
