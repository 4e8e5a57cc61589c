#pragma once
// Compares a render with a reference render of the same input (the MSBG fixtures' procedure,
// tests/data/README.md): align by broadband-envelope cross-correlation; (a) long-term third-octave
// levels 125 Hz..8 kHz, bands more than 60 dB under the reference's loudest ignored: mean and max |delta|;
// (b) octave-band envelopes 250 Hz..4 kHz, 10 ms frames, in dB floored 50 dB under each maximum:
// Pearson r per band, each band at its own lag (the best within +-10 ms of the broadband lag, 0.5 ms
// steps: the reference's bands need not be timed alike), and the median.
#include <cstddef>
#include <span>
#include <vector>

namespace earshot {

struct ReferenceComparison {
    long lag_samples = 0;  ///< candidate[n + lag] ~ reference[n]
    std::vector<double> third_octave_hz, reference_db, candidate_db;
    std::vector<bool> band_used;
    double mean_abs_delta_db = 0, max_abs_delta_db = 0;
    std::vector<double> octave_hz, envelope_r;
    std::vector<long> envelope_lag_samples;  ///< each octave band's lag (as lag_samples)
    double median_envelope_r = 0;
};

ReferenceComparison compare_renders(std::span<const float> reference, std::span<const float> candidate,
                                    double sample_rate_hz, std::size_t max_lag);

}  // namespace earshot
