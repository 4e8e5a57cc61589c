#pragma once
// CIS (continuous interleaved sampling; Wilson et al. 1991), MED-EL-like defaults (ci-anchors §4):
//   [pre-emphasis] -> front-end AGC -> Butterworth band-pass filterbank -> full- or half-wave rectification
//   -> envelope low-pass -> sampled once per frame at the channel rate -> gain -> loudness growth function
//   -> T/C levels -> one pulse per channel per frame, interleaved (never simultaneous), base to apex.
// Bands: the MED-EL 12-channel default centres (120 ... 7410 Hz, edges at geometric midpoints, outer edges
// low_freq_hz / high_freq_hz), or equal steps of cochlear place (Greenwood) between low and high, or a
// custom table (fat_edges_hz). Envelopes are scaled so a tone of amplitude A in a band gives envelope A, as
// ACE's, so both share the calibration, gain and loudness growth.
#include <cstddef>
#include <string>
#include <vector>

#include "earshot/dsp/biquad.hpp"
#include "earshot/implant/ace.hpp"
#include "earshot/implant/coding_strategy.hpp"
#include "earshot/implant/front_end.hpp"

namespace earshot {

enum class Rectifier { full_wave, half_wave };

struct CisParams {
    double audio_rate_hz = 20000.0;   ///< 16000..48000
    int bands = 12;                   ///< 1..24 channels
    int num_electrodes = 12;          ///< contacts on the array (12 MED-EL, 16 AB, 22 Cochlear)
    std::vector<double> fat_edges_hz; ///< custom band edges (bands + 1); else see low/high
    double low_freq_hz = 70.0, high_freq_hz = 8500.0;
    bool medel_centres = true;        ///< 12 bands, no custom table: MED-EL's default centres
    int filter_order = 3;             ///< Butterworth order of each band edge (high-pass and low-pass), 1..8
    Rectifier rectifier = Rectifier::full_wave;
    double envelope_cutoff_hz = 200.0;  ///< 2nd-order Butterworth, 20..1000 Hz
    double channel_rate_pps = 800;
    FrontEnd front_end = FrontEnd::none;
    bool agc = true;
    double gain_db = 36.0;
    double lgf_q = 20.0, base_level = 0.01, sat_level = 1.0;
    std::vector<double> t_level{1.0}, c_level{100.0};  ///< one value or one per electrode
    PulseOrder order = PulseOrder::base_to_apex;
    double phase_width_us = 32.0, phase_gap_us = 2.1;
    std::vector<int> deactivated;

    void validate() const;
    bool operator==(const CisParams&) const = default;
};

class CisStrategy final : public CodingStrategy {
public:
    explicit CisStrategy(CisParams params);
    const CisParams& params() const noexcept { return p_; }

    double audio_rate_hz() const noexcept override { return p_.audio_rate_hz; }
    std::size_t block_shift() const noexcept override { return shift_; }
    double period_us() const noexcept override { return period_us_; }
    int num_electrodes() const noexcept override { return p_.num_electrodes; }
    std::size_t max_slots_per_frame() const noexcept override { return electrode_of_band_.size(); }
    /// The largest band delay (band-pass group delay at the band centre + the envelope low-pass's at 0 Hz).
    double latency_samples() const noexcept override { return delay_; }
    double electrode_latency_samples(int electrode) const noexcept override;
    const std::vector<int>& band_electrodes() const noexcept override { return electrode_of_band_; }
    const std::vector<double>& band_centre_hz() const noexcept override { return centre_hz_; }
    const std::vector<double>& band_edges_hz() const noexcept { return edges_hz_; }
    const LoudnessMap& loudness_map() const noexcept override { return map_; }
    double phase_width_us() const noexcept override { return p_.phase_width_us; }
    double phase_gap_us() const noexcept override { return p_.phase_gap_us; }
    void reset() noexcept override;
    std::size_t frame(const float* hop, PulseSlot* out) noexcept override;
    /// Rectified, low-passed band signals at the last hop (before equalisation, scaling and gain).
    const std::vector<double>& last_envelopes() const noexcept { return env_; }
    /// Per band: the factor (rectifier mean x band-pass equalisation) that makes a tone's envelope its amplitude.
    double envelope_scale(std::size_t band) const noexcept { return rect_scale_ * eq_[band]; }

private:
    CisParams p_;
    std::size_t shift_ = 25;
    std::vector<double> band_delay_;  // per band, samples
    double period_us_ = 0, delay_ = 0, gain_ = 1, rect_scale_ = 1;
    LoudnessMap map_;
    std::vector<int> electrode_of_band_;
    std::vector<double> centre_hz_, edges_hz_, env_, eq_;
    std::vector<std::vector<Biquad>> bank_;  ///< per band: high-pass then low-pass sections, then envelope low-pass (2)
    std::vector<std::size_t> env_section_;   ///< index of the first envelope section per band
    ImplantFrontEnd front_;
};

}  // namespace earshot
