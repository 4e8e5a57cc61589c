#pragma once
// Intrusive speech-intelligibility indices: STOI (Taal, Hendriks, Heusdens & Jensen 2011, IEEE TASLP
// 19(7):2125-2136) and ESTOI (Jensen & Taal 2016, IEEE/ACM TASLP 24(11):2009-2022), as the reference
// implementations compute them:
//  - both signals resampled to 10 kHz (earshot::resample);
//  - frames of 256 samples (MATLAB hanning(256)), hop 128; frames more than 40 dB below the loudest frame
//    of the reference are dropped from both signals (decided on the reference) and the kept windowed
//    frames are overlap-added back into signals;
//  - STFT of those (same frames, 512-point FFT), 15 one-third-octave bands with centres 150 * 2^(k/3) Hz
//    (edges snapped to the nearest bin, upper edge exclusive), band envelopes sqrt(sum |X|^2);
//  - segments of 30 frames (384 ms) sliding by one frame;
//  - STOI: per segment and band, the degraded envelope scaled to the reference's norm and clipped at
//    (1 + 10^(15/20)) times the reference (beta = -15 dB), then the Pearson correlation; mean of all;
//  - ESTOI: per segment, rows (bands) then columns (frames) mean-removed and unit-normalised, mean over
//    frames of the column inner products; mean of all segments.
// Both need at least 30 frames after silence removal (about 0.4 s of speech): fewer throws ConfigError.
// Neither depends on the degraded signal's gain.
#include <cstddef>
#include <vector>

namespace earshot {

struct IntelligibilityScore {
    double stoi = 0.0;
    double estoi = 0.0;
    double delay_s = 0.0;         ///< delay of the degraded signal removed before scoring (0 without alignment)
    std::size_t frames_used = 0;  ///< STFT frames (10 kHz, hop 12.8 ms) left after silence removal
};

/// Scores DEG against REF. Rates in [1000, 384000] Hz (ConfigError otherwise); DEG is first resampled to
/// REF's rate if they differ. With align, DEG's delay (estimate_delay, |delay| <= max_delay_s) is found and
/// removed; then both are cut to their common length. ConfigError for a silent reference or too little speech.
IntelligibilityScore score_intelligibility(const std::vector<float>& ref, double ref_rate_hz,
                                           const std::vector<float>& deg, double deg_rate_hz, bool align = true,
                                           double max_delay_s = 1.0);

/// STOI and ESTOI of already aligned signals at one rate (the longer one is cut to the shorter).
IntelligibilityScore intelligibility(const std::vector<float>& ref, const std::vector<float>& deg, double rate_hz);
double stoi(const std::vector<float>& ref, const std::vector<float>& deg, double rate_hz);
double estoi(const std::vector<float>& ref, const std::vector<float>& deg, double rate_hz);

}  // namespace earshot
