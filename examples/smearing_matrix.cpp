// Prints statistics of the smearing matrix (row band widths, row sums) at a sample rate and broadening:
// smearing_matrix [fs] [r_lower] [r_upper]
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/hearing/smearing.hpp"

int main(int argc, char** argv) {
    const double fs = argc > 1 ? std::atof(argv[1]) : 44100.0;
    const double rl = argc > 2 ? std::atof(argv[2]) : 2.4, ru = argc > 3 ? std::atof(argv[3]) : 1.6;
    const auto d = earshot::design_smearing(fs, rl, ru, earshot::SoundField::free_field);
    std::size_t total = 0;
    for (std::size_t i = 0; i < d.frame; ++i) total += d.coef[i].size();
    std::printf("frame %zu hop %zu fft %zu, mean row width %.1f (%.0f MAC/sample)\n", d.frame, d.hop, d.fft_size,
                double(total) / double(d.frame), double(total) / double(d.hop));
    for (std::size_t i = 0; i < d.frame; i += d.frame / 16) {
        double sum = 0;
        for (float c : d.coef[i]) sum += c;
        std::printf("  bin %3zu (%7.1f Hz): cols %3zu..%3zu  row sum %.3f\n", i, double(i) * fs / double(d.fft_size), d.lo[i],
                    d.lo[i] + d.coef[i].size(), sum);
    }
}
