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
    std::printf("frame %zu hop %zu fft %zu, mean column height %.1f (%.0f MAC/sample)\n", d.frame, d.hop, d.fft_size,
                double(d.col_data.size()) / double(d.frame), double(d.col_data.size()) / double(d.hop));
    for (std::size_t b = 0; b < d.col_lo.size(); b += 2) {
        double sum = 0;
        for (std::size_t k = 0; k < d.col_len[b]; ++k) sum += d.col_data[d.col_off[b] + k];  // first column
        std::printf("  bin %3zu (%7.1f Hz): rows %3zu..%3zu  column sum %.3f\n", 8 * b, double(8 * b) * fs / double(d.fft_size),
                    d.col_lo[b], d.col_lo[b] + d.col_len[b], sum);
    }
}
