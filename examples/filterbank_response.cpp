// Prints the auditory filterbank's channels and the recombined bank's magnitude response
// (third-octave centres), for a sample rate and broadening: filterbank_response [fs] [broadening]
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "earshot/hearing/auditory_filterbank.hpp"

int main(int argc, char** argv) {
    const double fs = argc > 1 ? std::atof(argv[1]) : 44100.0;
    const double br = argc > 2 ? std::atof(argv[2]) : 1.5;
    const auto bank = earshot::design_auditory_filterbank(fs, br, 0.75 * br);
    std::printf("%zu channels, latency %zu samples (%.2f ms)\n", bank.channels.size(), bank.latency_samples,
                1e3 * double(bank.latency_samples) / fs);
    for (const auto& ch : bank.channels)
        std::printf("  cf %8.1f Hz  b %7.1f Hz  peak %4zu  w %.3f%s\n", ch.cf_hz, ch.bandwidth_hz, ch.peak_samples,
                    ch.weight, ch.has_highpass ? "  hp" : "");
    std::printf("response (dB):\n");
    for (double f = 50; f < 0.48 * fs; f *= std::pow(2.0, 1.0 / 6.0))
        std::printf("  %8.1f Hz %7.2f\n", f, 20 * std::log10(std::abs(bank.response(f))));
}
