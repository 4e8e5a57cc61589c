#include "earshot/hearing/ear_filter.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "earshot/hearing/hearing_loss.hpp"

namespace earshot {
namespace {

// Frequency grid of the MSBG correction tables (Hz).
constexpr std::array<double, 41> kHz = {
    0,    20,   25,   31.5, 40,   50,   63,   80,   100,  125,  160,   200,   250,   315,
    400,  500,  630,  750,  800,  1000, 1250, 1500, 1600, 2000, 2500,  3000,  3150,  4000,
    5000, 6000, 6300, 8000, 9000, 10000, 11200, 12500, 14000, 15000, 16000, 20000, 48000};

// MIDEAR: middle-ear transfer expressed as the shape of the threshold curve (dB), MSBG simulator table
// (Moore & Glasberg lineage; values as published in the Cambridge simulator).
constexpr std::array<double, 41> kMidEar = {
    50.0, 39.6, 32.0, 25.85, 21.4, 18.5, 15.9, 14.1, 12.4, 11.0, 9.6, 8.3, 7.4,  6.2,
    4.8,  3.8,  3.3,  2.9,   2.6,  2.6,  4.5,  5.4,  6.1,  8.5,  10.4, 7.3, 7.0, 6.6,
    7.0,  9.2,  10.2, 12.2,  10.8, 10.1, 12.7, 15.0, 18.2, 23.8, 32.3, 50.0, 50.0};

// Free field (frontal) to eardrum, dB re 1 kHz (Shaw 1974, as tabulated in the MSBG simulator).
constexpr std::array<double, 41> kFreeField = {
    0.0, 0.0,  0.0,  0.0,  0.0,  0.0,  0.0,  0.0,  0.0,  0.1, 0.3, 0.5,  0.9, 1.4,
    1.6, 1.7,  2.5,  2.7,  2.6,  2.6,  3.2,  5.2,  6.6,  12.0, 16.8, 15.3, 15.2, 14.2,
    10.7, 7.1, 6.4,  1.8,  -0.9, -1.6, 1.9,  4.9,  2.0,  -2.0, 2.5,  2.5,  2.5};

// Diffuse field to eardrum, dB re 1 kHz (MSBG simulator's 2008 correction table).
constexpr std::array<double, 41> kDiffuseField = {
    0.0, 0.0,  0.0,  0.0,  0.0,  0.0, 0.0, 0.0, 0.0, 0.1, 0.3, 0.4, 0.5, 1.0,
    1.6, 1.7,  2.2,  2.7,  2.9,  3.8, 5.3, 6.8, 7.2, 10.2, 14.9, 14.5, 14.4, 12.7,
    10.8, 8.9, 8.7,  8.5,  6.2,  5.0, 4.5, 4.0, 3.3, 2.6, 2.0, 2.0, 2.0};

// ITU-T P.58 (05/2013) Table 14a, ear reference point to drum reference point, negated, with 20 k and
// 48 k points extended flat (as in the MSBG simulator).
constexpr std::array<double, 24> kItuHz = {0,    100,  125,  160,  200,  250,  315,  400,
                                           500,  630,  800,  1000, 1250, 1600, 2000, 2500,
                                           3150, 4000, 5000, 6300, 8000, 10000, 20000, 48000};
constexpr std::array<double, 24> kItuErpDrp = {0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.2,  0.5,  0.6,  0.7,  1.1,  1.7,
                                               2.6, 4.2, 6.5, 9.4, 10.3, 6.6, 3.2, 3.3, 16.0, 14.4, 14.4, 14.4};

template <std::size_t N>
double interp(const std::array<double, N>& xs, const std::array<double, N>& ys, double x) noexcept {
    if (x <= xs.front()) return ys.front();
    if (x >= xs.back()) return ys.back();
    const auto it = std::upper_bound(xs.begin(), xs.end(), x);
    const std::size_t i = static_cast<std::size_t>(it - xs.begin());
    const double t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
    return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}

double source_correction_db(std::size_t i, SoundField field) noexcept {
    switch (field) {
        case SoundField::free_field: return kFreeField[i];
        case SoundField::diffuse_field: return kDiffuseField[i];
        case SoundField::ear_reference_point: return interp(kItuHz, kItuErpDrp, kHz[i]);
        case SoundField::eardrum: return 0.0;
    }
    return 0.0;
}

struct Tables {
    std::array<std::array<double, 41>, 4> gain{};  // linear gains on the grid per field
    Tables() {
        for (int f = 0; f < 4; ++f)
            for (std::size_t i = 0; i < kHz.size(); ++i)
                gain[f][i] = std::pow(10.0, (source_correction_db(i, SoundField(f)) - kMidEar[i]) / 20.0);
    }
};
const Tables& tables() {
    static const Tables t;
    return t;
}

}  // namespace

double ear_filter_gain(double freq_hz, SoundField field) noexcept {
    return interp(kHz, tables().gain[static_cast<int>(field)], freq_hz);
}

std::span<const double> ear_filter_table_hz() noexcept { return kHz; }

double ear_filter_table_db(std::size_t i, SoundField field) noexcept {
    return source_correction_db(i, field) - kMidEar[i];
}

std::string_view to_string(SoundField field) noexcept {
    switch (field) {
        case SoundField::free_field: return "free";
        case SoundField::diffuse_field: return "diffuse";
        case SoundField::ear_reference_point: return "erp";
        case SoundField::eardrum: return "eardrum";
    }
    return "?";
}

}  // namespace earshot
