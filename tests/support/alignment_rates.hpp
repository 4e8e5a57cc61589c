#pragma once
// The sample rates the alignment tests run at: 16, 44.1, 48 and 96 kHz, or the one rate named by
// EARSHOT_ALIGNMENT_RATES (the asan preset sets 44100: the same code and criterion at a quarter of the cost
// under the sanitizers; the release suite runs all four).
#include <cstdlib>
#include <iterator>
#include <vector>

namespace earshot::test {

inline constexpr double kAlignmentRates[] = {16000.0, 44100.0, 48000.0, 96000.0};

inline std::vector<double> alignment_rates() {
    if (const char* e = std::getenv("EARSHOT_ALIGNMENT_RATES"); e && *e) return {std::strtod(e, nullptr)};
    return {std::begin(kAlignmentRates), std::end(kAlignmentRates)};
}

}  // namespace earshot::test
