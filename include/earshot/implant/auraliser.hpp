#pragma once
// Auralisation: from cochlear-implant stimulation (pulses on electrodes) to the audio a listener hears,
// streaming. Each electrode has a carrier at its place frequency; current spread lets a pulse on one
// electrode excite the others' carriers too (ci-anchors §7: exponential decay in dB/mm along the array,
// truncated below -60 dB; SPIRAL's dB/octave for the multitone carrier).
//
// Carriers:
//   noise      per electrode: held pulse amplitudes -> envelope low-pass -> x band-passed white noise ->
//              the same band-pass again (classic noise vocoder). Bands: 4th-order Butterworth band-passes
//              with edges at the geometric midpoints between neighbouring place frequencies (the outer
//              edges mirrored; a single electrode gets a half-octave band). RMS = envelope / sqrt 2.
//   sine       envelope x a sine at the place frequency (seeded random starting phase); peak = envelope.
//   multitone  SPIRAL-like: `multitone_carriers` sines ERB-spaced over 20 Hz .. min(20 kHz, 0.45 fs), random
//              phases; carrier c's amplitude a_c = sqrt(sum_e W(e,c) env_e^2) with
//              W(e,c) = 10^(multitone_spread_db_per_oct / 10 x |log2(f_e / f_c)|) / sum_c' (same for c'),
//              so one electrode alone at envelope A gives total power A^2/2 (RMS A/sqrt 2). The dB/mm spread
//              along the array is applied to the envelopes first (set spread_db_per_mm = inf for SPIRAL's
//              dB/octave spread alone). Carrier amplitudes are updated every K samples (K = fs / (8 x
//              envelope cutoff), 1..16) and ramp linearly in between.
//   get        Gaussian-enveloped tones (GET, Meng et al.): each pulse launches
//              exp(-pi t^2 / D^2) sin(2 pi f_place t + phi) centred on the pulse time + latency,
//              D = get_cycles / f_place, truncated at +-1.5 D. The sine runs continuously per electrode
//              (overlapping grains add coherently). The Gaussians are summed on a grid of K <= D/6 samples and
//              interpolated linearly (error < 2.2 % of a grain's peak). Scaled so that a pulse train at the
//              electrode's own pulse rate R with amplitude A has RMS A/sqrt 2: the grain amplitude is
//              A / N(R D), N(u)^2 = u sum_m C(m/u), C the autocorrelation of the truncated Gaussian (unit D).
//   gammatone_pulse  each pulse is an impulse into a 4th-order gammatone (cascade of 4 complex one-poles,
//              bandwidth 1.019 ERB, real part) at the place frequency, scaled so that a train at the
//              electrode's pulse rate R with amplitude A has RMS A/sqrt 2 (power from the filter's response
//              at the harmonics of R), with the gain held to at most +20 dB over the random-timing power:
//              where no harmonic of R comes near a low place (e.g. 1800 pps into a 722 Hz filter), a perfectly
//              regular train comes out quieter than A/sqrt 2 rather than boosted by up to 50 dB.
// Envelope carriers (noise, sine, multitone): an electrode's envelope holds the latest pulse's amplitude
// until its next pulse; an idle slot (amplitude 0) or no pulse for more than 1.5 x the electrode's typical
// inter-pulse interval makes it 0. Smoothing: critically damped 2nd-order low-pass (two equal one-poles),
// -3 dB at envelope_cutoff_hz. Held amplitudes are exact to 2^-21 (4.8e-7) and clipped at 32 (+30 dB re full
// scale).
// Spread: a pulse of amplitude A on electrode e drives electrode j's carrier with
// A x 10^(-spread_db_per_mm |depth_e - depth_j| / 20) (0 where that is below -60 dB); contributions from
// several electrodes add (envelopes: sum of the held amplitudes so weighted; pulse carriers: superposition).
// Pulse rate: an electrode's typical inter-pulse interval is the shortest interval between its pulses (idle
// slots included) over its last 256 to 512 pulses; before it has one, the last estimate of any electrode is
// used, and 1/900 s before any (first pulses only).
// Latency (latency_samples(), at the output rate, fractional): the synthesis delay at the place frequencies, largest over the electrodes:
//   noise      envelope smoothing + the lowest band's band-pass energy centroid (sum n h^2 / sum h^2); every
//              other lane's envelope is delayed by the whole samples its own band-pass is faster (re-aligned)
//   sine       envelope smoothing;   multitone: envelope smoothing + K - 1 samples
//   get        1.5 D of the lowest place + one grid step; every electrode's grains are centred there
//   gammatone_pulse  the gammatone's group delay at the lowest place; every electrode's impulses are delayed
//              so that its group delay ends there too.
// Electrodes whose place frequency is at or above 0.45 x the output rate cannot be rendered: their own carriers
// are silent (their current still spreads to the others').
// Randomness (noise, carrier phases) comes from `seed` only: the same seed and pulses give bit-identical
// output whatever the block sizes; gammatone_pulse has none.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace earshot {

/// One stimulation pulse as the auraliser sees it: `amplitude` is the acoustic-equivalent peak amplitude of the
/// band that drove it (full-scale units, i.e. a sine of this peak amplitude in the analysis band would have produced
/// this pulse); 0 = idle slot. Electrode 1 = most basal.
struct StimulusPulse {
    double time_s;
    int electrode;
    float amplitude;
};

enum class Carrier { noise, sine, multitone, get, gammatone_pulse };

struct AuralisationParams {
    Carrier carrier = Carrier::noise;
    std::vector<double> place_freq_hz;      ///< carrier centre per electrode, electrode 1 (basal) first; size = electrode count (1..24)
    std::vector<double> contact_depth_mm;   ///< contact position per electrode (mm from the round window), same order; used for spread
    double spread_db_per_mm = 8.0;          ///< exponential current decay along the array; +inf = no spread. range [0.25, inf]
    double multitone_spread_db_per_oct = -8.0;  ///< SPIRAL-like carriers only; range [-60, -1]
    int multitone_carriers = 80;            ///< ERB-spaced 20 Hz .. min(20 kHz, 0.45 fs); range [8, 400]
    double envelope_cutoff_hz = 400.0;      ///< smoothing of the per-electrode envelopes (noise/sine/multitone); range [20, 2000]
    double get_cycles = 4.0;                ///< GET: Gaussian duration D = get_cycles / f_place (range 1..20)
    std::uint64_t seed = 1;                 ///< noise and random phases; same seed -> identical output
    /// Throws ConfigError naming the key and range. place_freq_hz: 1..24 distinct values in [20, 24000] Hz;
    /// contact_depth_mm: one per electrode in [0, 50] mm (may be empty when spread_db_per_mm is inf).
    void validate() const;
    bool operator==(const AuralisationParams&) const = default;
};

class Auraliser {
public:
    Auraliser();
    ~Auraliser();
    Auraliser(Auraliser&&) noexcept;
    Auraliser& operator=(Auraliser&&) noexcept;

    /// Allocates; may throw ConfigError. output_rate_hz 16000..96000. Blocks longer than max_block_frames are
    /// accepted (rendered in pieces); the auraliser keeps no per-pulse storage, so max_pulses_per_block only
    /// has to be >= 1.
    void prepare(const AuralisationParams& p, double output_rate_hz, std::size_t max_block_frames, std::size_t max_pulses_per_block);
    /// Renders the next n output samples (stream time advances by n / fs). `pulses` are the pulses whose time_s falls in
    /// [t0, t0 + n/fs) of this block, sorted by time (a pulse earlier than t0 is rendered at t0). noexcept, no allocation,
    /// no locks; denormals are the caller's business (it wraps calls in ScopedNoDenormals) but do not rely on that for
    /// correctness. Output is written (not added) to out[0..n). Pulses land on output sample floor(time_s x fs);
    /// pulses on unknown electrodes are ignored, negative or non-finite amplitudes count as 0.
    void process(std::span<const StimulusPulse> pulses, float* out, std::size_t n) noexcept;
    void reset() noexcept;                  ///< back to the state after prepare (same seed -> same output again)
    /// Algorithmic delay of the synthesis (envelope smoothing + synthesis filters' group delay at the place
    /// frequencies), in samples at the output rate (fractional; 0 before prepare); report, used for alignment.
    double latency_samples() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Offline convenience: renders duration_s of audio from a whole pulse list (sorted by time), via the streaming class.
/// Output sample i is stream time i / fs (the synthesis delay latency_samples() is not removed).
std::vector<float> auralise(std::span<const StimulusPulse> pulses, double duration_s, const AuralisationParams& p, double output_rate_hz);

}  // namespace earshot
