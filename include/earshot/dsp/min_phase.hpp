#pragma once
// Minimum-phase FIR with a given magnitude response, by the real-cepstrum (homomorphic) method:
// log|H| on an n-point grid -> cepstrum -> fold to causal -> exp -> inverse FFT, first `taps`
// samples, the last eighth tapered by a half Hann window.
#include <complex>
#include <cstddef>
#include <functional>
#include <vector>

namespace earshot {

std::vector<float> min_phase_fir(const std::function<double(double)>& magnitude, double sample_rate_hz,
                                 std::size_t taps, std::size_t grid = 16384);

/// Phase-correcting FIR (frequency-sampling design). Given the response h[k] = H(k fs / n) of a path on
/// the grid k = 0..n/2 (n = 2 (h.size() - 1), a power of two), the FIR's response is
///   F(f) = M(f) e^{-j (2 pi f L / fs + arg H(f))}
/// so that H F = |H| M e^{-j 2 pi f L / fs}: linear phase, positive polarity, bulk delay L samples.
/// Where |H| is more than 60 dB below its maximum the correction fades out (F ~ M H* / eps).
/// The ideal (circular) response is cut to the span that leaves out tail_before of its energy before it
/// and tail_after after it (fractions of the total), at most max_taps long, both ends tapered by short
/// half-Hann windows; L is where that span puts time 0 of the ideal response (the smallest delay that
/// keeps the FIR causal to within tail_before).
struct PhaseCorrection {
    std::vector<float> taps;
    std::size_t delay = 0;  ///< L, samples
};
PhaseCorrection phase_correction_fir(const std::vector<std::complex<double>>& h,
                                     const std::function<double(double)>& magnitude, double sample_rate_hz,
                                     std::size_t max_taps, double tail_before = 1e-7, double tail_after = 1e-8);

}  // namespace earshot
