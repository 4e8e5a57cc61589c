#pragma once
// How a 128-point FFT's bins make the bands of a Nucleus filterbank (ci-anchors §3.3).
//  * Built-in tables: NMT's FFT_band_bins for 1..22 bands (bins from bin 2 up to bin 63).
//  * Custom frequency allocation tables (band edges in Hz): each bin weighs the fraction of its width
//    [k - 1/2, k + 1/2] bins that lies inside the band (NMT FFT_filterbank_weights' rule).
#include <vector>

namespace earshot {

/// Widths in FFT bins of the NMT tables for 1..22 bands (128-point FFT), lowest band first. Throws ConfigError.
std::vector<int> ace_band_bins(int bands);

struct FftBand {
    int first_bin = 0;
    std::vector<double> weights;  ///< weight of bins first_bin, first_bin + 1, ...
    bool integer_table = true;    ///< from a built-in table (NMT's power-sum normalisers apply)
    double centre_hz(double bin_hz) const noexcept;
};

/// Bands of a built-in table.
std::vector<FftBand> fft_bands_from_table(int bands);
/// Bands of a custom table: edges_hz ascending, size bands + 1, within (bin 1.5, bin 63.5] of the FFT at audio_rate_hz.
/// Throws ConfigError naming fat_edges_hz and the accepted range.
std::vector<FftBand> fft_bands_from_edges(const std::vector<double>& edges_hz, double audio_rate_hz);

}  // namespace earshot
