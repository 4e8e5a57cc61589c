#pragma once
// A cochlear-implant sound-coding strategy as a streaming frame coder: it takes audio at its own audio rate,
// one hop of block_shift() samples at a time, and emits the frame's pulse slots in stimulation order.
// Pulse slots carry the clinical current level and the acoustic-equivalent amplitude the auralisation
// uses (the band amplitude the level stands for, on the strategy's input scale; 0 = idle).
// frame() is real-time safe: noexcept, no allocation, no locks, no I/O.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "earshot/implant/electrodogram.hpp"
#include "earshot/implant/loudness_growth.hpp"

namespace earshot {

struct PulseSlot {
    int electrode = 0;      ///< 1 = most basal
    int current_level = 0;  ///< 0 = idle slot
    float amplitude = 0;    ///< acoustic-equivalent peak amplitude of the band (strategy input scale); 0 = idle
};

class CodingStrategy {
public:
    virtual ~CodingStrategy() = default;
    virtual double audio_rate_hz() const noexcept = 0;
    virtual std::size_t block_shift() const noexcept = 0;       ///< samples per frame (hop)
    double channel_rate_pps() const noexcept { return audio_rate_hz() / double(block_shift()); }
    virtual double period_us() const noexcept = 0;               ///< time between pulse slots
    virtual int num_electrodes() const noexcept = 0;             ///< 22 (Nucleus), 12 (MED-EL), 16 (AB)
    virtual std::size_t max_slots_per_frame() const noexcept = 0;
    /// The analysis latency, in samples at the strategy's input rate (audio_rate_hz(), the rate it is fed at;
    /// fractional): from a hop's last sample back to where the frame's energy is centred (ACE: 63 for the
    /// 128-point periodic Hann window, centred on its sample 64); for latency reports and alignment.
    virtual double latency_samples() const noexcept = 0;
    /// The same for one electrode's band, where bands have delays of their own (CIS: each band-pass's group
    /// delay at its centre); at most latency_samples(), which is then the largest. The implant
    /// processor renders each electrode's pulses the difference later, so that every band's sound comes out
    /// after the same latency (the electrodogram itself is the strategy's).
    virtual double electrode_latency_samples(int electrode) const noexcept {
        (void)electrode;
        return latency_samples();
    }
    /// Electrodes in use, band order (lowest band first), and each band's centre frequency.
    virtual const std::vector<int>& band_electrodes() const noexcept = 0;
    virtual const std::vector<double>& band_centre_hz() const noexcept = 0;
    virtual const LoudnessMap& loudness_map() const noexcept = 0;
    virtual double phase_width_us() const noexcept = 0;
    virtual double phase_gap_us() const noexcept = 0;

    virtual void reset() noexcept = 0;
    /// Consumes block_shift() samples; writes the frame's slots in stimulation order; returns their count.
    virtual std::size_t frame(const float* hop, PulseSlot* out) noexcept = 0;
};

/// Runs a whole signal (at the strategy's audio rate, already calibrated) through a fresh state: frames =
/// ceil(n / block_shift), the last hop zero-padded; pulse n starts at n x period_us (the toolbox's timing).
/// after_frame (optional) is called after each frame (e.g. to read the strategy's envelopes).
Electrodogram run_strategy(CodingStrategy& strategy, const std::vector<float>& x, const std::function<void()>& after_frame = {});

}  // namespace earshot
