#pragma once
// Streaming sample-rate conversion (one channel) by a Kaiser-windowed sinc, polyphase.
//
// The kernel is a low-pass with its passband edge at 0.45 * min(in, out) and its stopband edge at
// 0.5 * min(in, out) (cut-off midway), Kaiser window designed for 90 dB (passband ripple < 0.001 dB,
// stopband >= 89 dB by design). Output sample n is the kernel evaluated at input time
// (n - latency) * in / out, so the output is the input delayed by latency_samples() (an integer
// number of output samples: the kernel's half length rounded up at the output rate).
//
// Rational path: when out/in = L/M in lowest terms with L <= 4096 and M <= 4096 (44100 -> 15625 is
// 625/1764, 44100 -> 16000 is 160/441, 48000 -> 16000 is 1/3), the L phases are tabulated exactly.
// Otherwise (e.g. 44100 -> 44101) the kernel is tabulated finely (about 1000 points per zero crossing)
// and the coefficients of each output are interpolated linearly between the two nearest phases.
// Each tabulated phase is normalised to unit DC gain.
//
// prepare() allocates; process() and reset() are real-time safe (no allocation, no locks, noexcept).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace earshot {

/// The anti-aliasing kernel: Kaiser design attenuation, pass and stop edges as fractions of min(in, out) rate.
/// The default is transparent (90 dB, flat to 0.45); shorter designs trade stopband for latency and speed.
struct ResamplerDesign {
    double attenuation_db = 90.0;
    double pass_edge = 0.45;
    double stop_edge = 0.50;
};

class Resampler {
public:
    /// Allocates; throws ConfigError for rates outside [1000, 384000] Hz. Polyphase Kaiser-windowed sinc,
    /// rational ratio when out/in reduces to a fraction with numerator and denominator <= 4096 (e.g.
    /// 44100->15625, 44100->16000, 48000->16000, 32000->10000), else falls back to linear-interpolated
    /// phases of a finely tabulated kernel. Passband to 0.45*min(in,out) flat within 0.1 dB, stopband
    /// >= 80 dB attenuation above 0.5*min(in,out). max_in_block >= 1 sizes the internal buffer (larger
    /// blocks are processed in pieces).
    void prepare(double in_rate_hz, double out_rate_hz, std::size_t max_in_block);
    void prepare(double in_rate_hz, double out_rate_hz, std::size_t max_in_block, const ResamplerDesign& design);
    /// Upper bound of output samples for n input samples (for buffer sizing).
    std::size_t max_output(std::size_t n_in) const noexcept;
    /// Streaming: consumes n_in samples, writes the outputs now available, returns their count. noexcept, no allocation.
    std::size_t process(const float* in, std::size_t n_in, float* out) noexcept;
    void reset() noexcept;
    /// Group delay in whole output samples (the rate this resampler hands on: its host's).
    std::size_t latency_samples() const noexcept { return latency_out_; }

    bool is_rational() const noexcept { return rational_; }
    std::size_t taps_per_phase() const noexcept { return taps_; }

private:
    std::size_t process_chunk(const float* in, std::size_t n_in, float* out) noexcept;

    double in_rate_hz_ = 0.0, out_rate_hz_ = 0.0;
    bool rational_ = true;
    std::int64_t up_ = 1, down_ = 1;    // out/in = up_/down_ (rational path)
    double step_ = 1.0;                 // in/out, input samples per output sample (fallback path)
    std::size_t phases_ = 1;            // rows of the table (fallback: phases_ + 1 rows are stored)
    std::size_t taps_ = 0;              // K = 2 * half
    std::size_t half_ = 0;              // kernel half length, input samples (rounded up)
    std::size_t max_block_ = 0;
    std::int64_t latency_out_ = 0;
    std::vector<float> table_;          // row p: K taps, reversed (dot product with the history)

    // History: buf_[j] is input sample base_ + j; fill_ samples valid.
    std::vector<float> buf_;
    std::int64_t base_ = 0;
    std::size_t fill_ = 0;
    // Time of the next output in input samples: pos_ + phase_ / up_ (rational) or pos_ + frac_.
    std::int64_t pos_ = 0;
    std::int64_t phase_ = 0;
    double frac_ = 0.0;
};

/// Offline convenience: whole signal, latency removed, output length round(n*out/in).
std::vector<float> resample(const std::vector<float>& x, double in_rate_hz, double out_rate_hz);

}  // namespace earshot
