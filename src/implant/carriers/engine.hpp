#pragma once
// Internal: the pieces of the auraliser. Auraliser (src/implant/auraliser.cpp) turns pulses into events —
// held envelope inputs for the envelope carriers, single pulses for the pulse carriers — and asks one
// Engine per carrier type to render the audio. Time is counted in output samples from the stream start.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "earshot/implant/auraliser.hpp"
#include "simd.hpp"

namespace earshot::aural {

/// Everything the engines share, fixed by prepare().
struct Design {
    AuralisationParams params;
    double fs = 0;
    int electrodes = 0;          ///< E
    std::size_t nvec = 0;        ///< vectors of kLanes lanes covering the electrodes (lane j = electrode j + 1)
    std::size_t chunk = 256;     ///< longest render() call
    std::vector<bool> audible;   ///< place frequency below 0.45 fs
    /// Spread: amplitude weight from electrode e (row) to lane j, E rows of nvec * kLanes; 0 for inaudible
    /// lanes, padding lanes and below -60 dB.
    std::vector<float> spread;
    std::size_t lanes() const noexcept { return nvec * kLanes; }
    float weight(int e, std::size_t j) const noexcept { return spread[std::size_t(e) * lanes() + j]; }
};

class Engine {
public:
    virtual ~Engine() = default;
    virtual void reset() noexcept = 0;
    virtual double latency_s() const noexcept = 0;
    /// True for noise, sine and multitone (they take set_inputs), false for the pulse carriers (pulse).
    virtual bool envelope_driven() const noexcept = 0;
    /// Envelope carriers: electrode e (0-based) holds amplitude amp (>= 0) from absolute sample s until sample
    /// `until` (exclusive) or its next hold, whichever comes first.
    virtual void hold(std::int64_t s, int e, float amp, std::int64_t until) noexcept {}
    /// Pulse carriers: a pulse of amplitude amp > 0 on electrode e (0-based) at absolute sample s; rate_pps is
    /// that electrode's pulse rate (for the normalisation).
    virtual void pulse(std::int64_t s, int e, float amp, double rate_pps) noexcept {}
    /// Renders absolute samples [pos, pos + n), n <= Design::chunk, into out[0..n). Events for these samples
    /// have all been given before.
    virtual void render(std::int64_t pos, float* out, std::size_t n) noexcept = 0;
};

std::unique_ptr<Engine> make_noise_engine(const Design& d);
std::unique_ptr<Engine> make_sine_engine(const Design& d);
std::unique_ptr<Engine> make_multitone_engine(const Design& d);
std::unique_ptr<Engine> make_get_engine(const Design& d);
std::unique_ptr<Engine> make_gammatone_engine(const Design& d);

}  // namespace earshot::aural
