#pragma once
// STOI and ESTOI of one audio file against another (analysis/intelligibility.hpp: Taal et al. 2011, Jensen
// & Taal 2016), the path every front end uses (the CLI's `earshot score`, Python later): both files read whole
// and mixed to mono (read_mono_file) at rates the scores accept (params::score_input_rate_hz, 1..384 kHz),
// the reference checked for signal, DEG's delay found within +-max_delay_s (0..60 s) and removed unless
// align is off. Errors: one line naming the file or parameter and the accepted range (ConfigError).
#include <filesystem>

#include "earshot/analysis/intelligibility.hpp"
#include "earshot/core/command_params.hpp"

namespace earshot {

struct ScoreFilesOptions {
    bool align = true;         ///< find and remove DEG's delay (else both are cut to the shorter length)
    double max_delay_s = params::max_delay_s.default_value;  ///< the delay search range, +- (s; params::max_delay_s)
};

IntelligibilityScore score_files(const std::filesystem::path& ref, const std::filesystem::path& deg,
                                 const ScoreFilesOptions& options = {});

}  // namespace earshot
