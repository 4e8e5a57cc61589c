#pragma once
// Offline analysis used by the reference comparisons (tests, `earshot compare`, plots): long-term
// third-octave band levels, octave-band envelopes, envelope cross-correlation alignment, Pearson r.
// Band filtering is done in the frequency domain on the whole signal (zero-phase, brick-wall at the
// nominal band edges f_c 2^(+-1/6) or f_c 2^(+-1/2)), which is what "long-term band level" means.
#include <cstddef>
#include <span>
#include <vector>

namespace earshot {

/// Nominal third-octave centres 125 Hz .. 8 kHz (base-2: 1000 x 2^(k/3)).
std::vector<double> third_octave_centres_hz(double lo_hz = 125.0, double hi_hz = 8000.0);

/// Long-term level (dB re 1, i.e. 10 log10 of the mean-square in the band) per centre; bands
/// [f 2^(-1/(2 n)), f 2^(1/(2 n))] for n bands per octave.
std::vector<double> band_levels_db(std::span<const float> x, double sample_rate_hz, std::span<const double> centres_hz,
                                   double bands_per_octave);

/// Envelope of one band in dB per frame (frame RMS, floored floor_db under its maximum).
std::vector<double> band_envelope_db(std::span<const float> x, double sample_rate_hz, double centre_hz,
                                     double bands_per_octave, double frame_s, double floor_db);

/// The same for the segments x[o, o + len) of each offset o: the band filtered once over all of x, then
/// framed from each offset (empty where a segment passes the end).
std::vector<std::vector<double>> band_envelopes_db(std::span<const float> x, double sample_rate_hz, double centre_hz,
                                                   double bands_per_octave, double frame_s, double floor_db,
                                                   std::span<const std::size_t> offsets, std::size_t len);

/// Lag L (samples, |L| <= max_lag) maximising the correlation of broadband envelopes, i.e.
/// degraded[n + L] ~ reference[n].
long align_lag(std::span<const float> reference, std::span<const float> degraded, double sample_rate_hz,
               std::size_t max_lag);

double pearson(std::span<const double> a, std::span<const double> b);

}  // namespace earshot
