#include "earshot/implant/fft_bands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "earshot/core/error.hpp"

namespace earshot {

std::vector<int> ace_band_bins(int bands) {
    // NMT FFT_band_bins (Nucleus MATLAB Toolbox, Filterbank): the published table values for a 128-point FFT.
    static const std::vector<std::vector<int>> kTables = {
        {62},
        {7, 55},
        {7, 15, 40},
        {7, 8, 16, 31},
        {3, 4, 8, 16, 31},
        {3, 4, 6, 9, 15, 25},
        {3, 4, 4, 6, 9, 14, 22},
        {2, 2, 3, 4, 6, 9, 14, 22},
        {2, 2, 3, 3, 5, 7, 9, 13, 18},
        {2, 2, 3, 3, 4, 5, 7, 9, 12, 15},
        {1, 2, 2, 2, 3, 4, 5, 7, 9, 12, 15},
        {1, 2, 2, 2, 2, 3, 4, 5, 7, 9, 11, 14},
        {1, 2, 2, 2, 2, 3, 3, 4, 5, 7, 8, 10, 13},
        {1, 2, 2, 2, 2, 2, 3, 3, 4, 5, 6, 8, 9, 13},
        {1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 5, 6, 8, 9, 13},
        {1, 1, 1, 2, 2, 2, 2, 2, 3, 4, 4, 5, 6, 7, 9, 11},
        {1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9},
        {1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9},
        {1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9},
        {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 8},
        {1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 8},
        {1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8},
    };
    if (bands < 1 || bands > 22) throw ConfigError(fmt::format("bands: {} is out of range [1, 22]", bands));
    return kTables[std::size_t(bands - 1)];
}

double FftBand::centre_hz(double bin_hz) const noexcept {
    double s = 0, sk = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) s += weights[i], sk += weights[i] * double(first_bin + int(i));
    return s > 0 ? sk / s * bin_hz : 0.0;
}

std::vector<FftBand> fft_bands_from_table(int bands) {
    std::vector<FftBand> out;
    int bin = 2;
    for (int w : ace_band_bins(bands)) {
        out.push_back({bin, std::vector<double>(std::size_t(w), 1.0), true});
        bin += w;
    }
    return out;
}

std::vector<FftBand> fft_bands_from_edges(const std::vector<double>& edges_hz, double fs) {
    const double bin_hz = fs / 128.0;
    const double lo = 1.5 * bin_hz, hi = 63.5 * bin_hz;
    if (edges_hz.size() < 2 || edges_hz.size() > 23)
        throw ConfigError(fmt::format("fat_edges_hz: {} edges; give bands + 1 edges for 1..22 bands", edges_hz.size()));
    for (std::size_t i = 0; i < edges_hz.size(); ++i) {
        if (!(edges_hz[i] >= lo - 1e-9 && edges_hz[i] <= hi + 1e-9))
            throw ConfigError(fmt::format("fat_edges_hz: {} Hz is out of range [{:.1f}, {:.1f}] Hz at {} Hz", edges_hz[i], lo, hi, fs));
        if (i > 0 && !(edges_hz[i] > edges_hz[i - 1]))
            throw ConfigError(fmt::format("fat_edges_hz: edges must ascend ({} Hz after {} Hz)", edges_hz[i], edges_hz[i - 1]));
    }
    std::vector<FftBand> out;
    for (std::size_t b = 0; b + 1 < edges_hz.size(); ++b) {
        const double a = edges_hz[b] / bin_hz, z = edges_hz[b + 1] / bin_hz;
        FftBand band;
        band.integer_table = false;
        band.first_bin = int(std::floor(a + 0.5));
        for (int k = band.first_bin; double(k) - 0.5 < z; ++k) {
            const double w = std::max(0.0, std::min(z, k + 0.5) - std::max(a, k - 0.5));
            band.weights.push_back(w);
        }
        while (!band.weights.empty() && band.weights.back() <= 0) band.weights.pop_back();
        while (!band.weights.empty() && band.weights.front() <= 0) band.weights.erase(band.weights.begin()), ++band.first_bin;
        out.push_back(std::move(band));
    }
    return out;
}

}  // namespace earshot
