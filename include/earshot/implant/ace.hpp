#pragma once
// ACE (Advanced Combination Encoder, Nucleus n-of-m) as Cochlear's Nucleus MATLAB Toolbox computes it
// (described in the project's research notes, ci-anchors §3; written from that description):
//   [front end: none or first-order pre-emphasis] -> front-end AGC (infinite compression above a knee)
//   -> 128-point FFT filterbank (periodic Hann, hop from the channel rate, bands of FFT bins from bin 2, or
//   a custom frequency allocation table with fractional bin weights) -> vector-sum or power-sum envelopes
//   -> gain -> n-of-m maxima -> loudness growth function -> T/C current levels -> pulses, base to apex.
// SPEAK is this strategy with SPEAK's parameters (20 bands, 6 maxima, 250 pps). Calibration happens
// before: the strategy sees the signal on the toolbox's scale (a full-scale sine is 95 dB SPL).
// Streaming: frame() consumes one hop and emits one frame (real-time safe); process() runs a whole signal.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "earshot/dsp/fft.hpp"
#include "earshot/implant/ace_types.hpp"
#include "earshot/implant/coding_strategy.hpp"
#include "earshot/implant/front_end.hpp"
#include "earshot/implant/fft_bands.hpp"

namespace earshot {


struct AceParams {
    double audio_rate_hz = 15625.0;   ///< 15625 (NMT default) or 16000 (any 8000..48000 accepted)
    int bands = 22;                   ///< 1..22 (NMT FFT band tables); ignored when fat_edges_hz is given
    std::vector<double> fat_edges_hz; ///< custom frequency allocation table: bands + 1 edges (fractional bins)
    int maxima = 12;                  ///< n of the n-of-m (= bands: no selection, i.e. CIS on the FFT bank)
    double channel_rate_pps = 1000;   ///< requested; quantised to audio_rate / block_shift
    EnvelopeMethod envelope = EnvelopeMethod::vector_sum;
    FrontEnd front_end = FrontEnd::none;
    bool agc = true;
    double gain_db = 36.0;
    double lgf_q = 20.0, base_level = 0.01, sat_level = 1.0;
    std::vector<double> t_level{1.0}, c_level{100.0};  ///< one value or one per electrode (1..22)
    PulseOrder order = PulseOrder::base_to_apex;
    double phase_width_us = 25.0, phase_gap_us = 7.0;
    std::vector<int> deactivated;  ///< electrodes (1-based) never stimulated; their bands are reallocated
    std::vector<int> electrodes;   ///< optional explicit electrode per band, lowest band first

    void validate() const;  ///< throws ConfigError naming the key and its range
    bool operator==(const AceParams&) const = default;
};

class AceStrategy final : public CodingStrategy {
public:
    explicit AceStrategy(AceParams params);  ///< validates; allocates; throws ConfigError
    ~AceStrategy() override;
    const AceParams& params() const noexcept { return p_; }

    double audio_rate_hz() const noexcept override { return p_.audio_rate_hz; }
    std::size_t block_shift() const noexcept override { return shift_; }
    double period_us() const noexcept override { return period_us_; }
    int num_electrodes() const noexcept override { return 22; }
    std::size_t max_slots_per_frame() const noexcept override { return std::size_t(maxima_); }
    /// The periodic Hann window's centre, sample 64 of the 128 (w[64 + k] = w[64 - k]; w[0] = 0), is 63
    /// samples before the hop's last sample (it was given as 63.5, half a sample too many).
    double latency_samples() const noexcept override { return 63.0; }
    const std::vector<int>& band_electrodes() const noexcept override { return electrode_of_band_; }
    const std::vector<double>& band_centre_hz() const noexcept override { return centre_hz_; }
    const LoudnessMap& loudness_map() const noexcept override { return map_; }
    double phase_width_us() const noexcept override { return p_.phase_width_us; }
    double phase_gap_us() const noexcept override { return p_.phase_gap_us; }
    void reset() noexcept override;
    std::size_t frame(const float* hop, PulseSlot* out) noexcept override;

    double alpha() const noexcept { return map_.alpha(); }
    int bands() const noexcept { return int(bands_.size()); }
    /// Envelope equalisation per band (vector sum: band peak gain; power sum: power normaliser).
    const std::vector<double>& band_norm() const noexcept { return norm_; }
    /// Band envelopes (after the gain) of the last frame, lowest band first.
    const std::vector<double>& last_envelopes() const noexcept { return env_; }
    /// Notes about the set-up (bands reduced to the active electrodes, ...), one line each.
    const std::vector<std::string>& notes() const noexcept { return notes_; }

    /// Whole signal (already calibrated, at audio_rate_hz) -> electrodogram, from a fresh state. Optionally the
    /// per-frame band envelopes after the gain stage (frames x bands, band 0 = lowest).
    Electrodogram process(const std::vector<float>& x, std::vector<std::vector<double>>* envelopes = nullptr);

private:
    AceParams p_;
    std::size_t shift_ = 16;
    double period_us_ = 0;
    int maxima_ = 12;
    LoudnessMap map_;
    std::vector<FftBand> bands_;
    std::vector<int> electrode_of_band_;
    std::vector<double> centre_hz_, norm_, win_, hist_, env_;
    std::vector<float> buf_;
    std::vector<std::complex<float>> spec_;
    std::vector<char> selected_;
    std::vector<int> rank_;
    std::vector<std::string> notes_;
    std::unique_ptr<RealFft> fft_;
    ImplantFrontEnd front_;
    double gain_ = 1;
};

}  // namespace earshot
