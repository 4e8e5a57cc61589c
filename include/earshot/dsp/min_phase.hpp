#pragma once
// Minimum-phase FIR with a given magnitude response, by the real-cepstrum (homomorphic) method:
// log|H| on an n-point grid -> cepstrum -> fold to causal -> exp -> inverse FFT, first `taps`
// samples, the last eighth tapered by a half Hann window.
#include <cstddef>
#include <functional>
#include <vector>

namespace earshot {

std::vector<float> min_phase_fir(const std::function<double(double)>& magnitude, double sample_rate_hz,
                                 std::size_t taps, std::size_t grid = 16384);

}  // namespace earshot
