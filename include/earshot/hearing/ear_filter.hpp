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
