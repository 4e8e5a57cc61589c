#pragma once
// Outer- and middle-ear transfer ("source to cochlea"), as in the MSBG simulator (Moore, Stone, Baer &
// Glasberg; Stone & Moore 1999): correction(f) = source-to-eardrum(f) - MIDEAR(f), 0 dB at 1 kHz,
// about -50 dB at DC and +9.5 dB near 2.5 kHz in free field. Tables in ear_filter.cpp with sources.
// Magnitudes between table points: linear interpolation of linear gain in Hz (MATLAB fir2 convention,
// which MSBG's FIR design uses).
//
// How earshot applies it: MSBG filters the signal with F before the cochlea and with 1/F after it.
// Between the two every stage is linear except the level-dependent expansion, so F and 1/F cancel in
// the signal path and F matters only where levels are judged: (a) each auditory channel's envelope
// level (earshot scales it by the channel's power-weighted |F|, EarFilter::channel_gain()), and
// (b) the smearing stage's spectrum (smearing acts on |F|^2 P and is followed by |F|^-2). This is
// causal, adds no latency and no cost, and is exact for the linear path.
#include <span>
#include <string_view>

namespace earshot {

enum class SoundField;

/// Linear magnitude of the source-to-cochlea transfer at freq_hz for a sound field.
double ear_filter_gain(double freq_hz, SoundField field) noexcept;
inline double ear_filter_db(double freq_hz, SoundField field) noexcept;

/// The table grid (Hz) and the field's correction table (dB) at those points, for tests and docs.
std::span<const double> ear_filter_table_hz() noexcept;
/// correction in dB (source correction minus MIDEAR) at ear_filter_table_hz()[i]
double ear_filter_table_db(std::size_t i, SoundField field) noexcept;

std::string_view to_string(SoundField field) noexcept;

}  // namespace earshot

#include <cmath>
inline double earshot::ear_filter_db(double freq_hz, SoundField field) noexcept {
    return 20.0 * std::log10(ear_filter_gain(freq_hz, field));
}

#include <vector>

namespace earshot {

/// The ear filter as MSBG realises it at a rate: a linear-phase FIR of 2 floor(fs/16000 x 368/2) + 1 taps
/// designed by frequency sampling (MATLAB fir2 on a 512-interval grid, linear interpolation of linear
/// gains, Kaiser window beta 4) from the table correction (forward) or its negation (backward). Its
/// magnitude differs from the table where the table is steep (below ~150 Hz): the window smooths it.
/// earshot uses this magnitude wherever the ear filter acts, so that levels match MSBG's.
class EarFilterResponse {
public:
    EarFilterResponse(double sample_rate_hz, SoundField field, bool backward);
    double gain(double freq_hz) const noexcept;  ///< |H(f)|, linear
    const std::vector<double>& taps() const noexcept { return taps_; }

private:
    double fs_;
    SoundField field_;
    bool backward_;
    std::vector<double> taps_, mag_;  // mag_ on a grid of fs / (2 (mag_.size() - 1))
};

}  // namespace earshot

namespace earshot {
/// Cached EarFilterResponse per (field, direction), designed as MSBG does at 44.1 kHz whatever the
/// running rate (so that levels do not depend on the rate; above 22.05 kHz the table applies);
/// thread-safe; for prepare()-time use.
const EarFilterResponse& ear_filter_response(double sample_rate_hz, SoundField field, bool backward);
}  // namespace earshot
