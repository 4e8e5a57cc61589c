#include "earshot/hearing/ear_filter.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <numbers>

#include "earshot/dsp/interpolate.hpp"
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
    return interpolate_linear(xs, ys, x);
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

namespace earshot {
namespace {
double bessel_i0(double x) {
    double sum = 1, term = 1;
    for (int k = 1; k < 50; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
    }
    return sum;
}
}  // namespace

EarFilterResponse::EarFilterResponse(double fs, SoundField field, bool backward)
    : fs_(fs), field_(field), backward_(backward) {
    const double nyq = fs / 2.0;
    // Breakpoints below Nyquist, plus the table's value at Nyquist.
    std::vector<double> f, g;
    const auto hz = ear_filter_table_hz();
    for (std::size_t i = 0; i < hz.size(); ++i)
        if (hz[i] < nyq) f.push_back(hz[i] / nyq), g.push_back(ear_filter_table_db(i, field));
    {
        std::size_t i = 1;
        while (i < hz.size() && hz[i] < nyq) ++i;
        const double t = (nyq - hz[i - 1]) / (hz[i] - hz[i - 1]);
        g.push_back(ear_filter_table_db(i - 1, field) + t * (ear_filter_table_db(i, field) - ear_filter_table_db(i - 1, field)));
        f.push_back(1.0);
    }
    for (double& v : g) v = std::pow(10.0, (backward ? -v : v) / 20.0);
    const std::size_t len = 2 * static_cast<std::size_t>(std::floor(fs / 16000.0 * 368.0 / 2.0)) + 1;
    // Frequency sampling on npt + 1 points (MATLAB fir2), linear phase, inverse DFT, Kaiser window.
    std::size_t npt = 512;
    if (len >= 1024) npt = std::size_t(1) << static_cast<int>(std::ceil(std::log2(double(len))));
    std::vector<double> h(npt + 1, 0.0);
    const std::size_t ni = npt + 1;
    std::size_t nb = 0;
    h[0] = g[0];
    for (std::size_t i = 0; i + 1 < f.size(); ++i) {
        const std::size_t ne = static_cast<std::size_t>(std::floor(f[i + 1] * double(ni))) - 1;
        for (std::size_t j = nb; j <= ne && j < h.size(); ++j) {
            const double inc = ne == nb ? 0.0 : double(j - nb) / double(ne - nb);
            h[j] = inc * g[i + 1] + (1.0 - inc) * g[i];
        }
        nb = ne + 1;
    }
    const std::size_t nfull = 2 * (ni - 1);
    const double dt = 0.5 * double(len - 1);
    std::vector<std::complex<double>> spec(nfull);
    for (std::size_t k = 0; k < ni; ++k) spec[k] = std::polar(h[k], -dt * std::numbers::pi * double(k) / double(ni - 1));
    for (std::size_t k = 1; k + 1 < ni; ++k) spec[nfull - k] = std::conj(spec[k]);
    taps_.assign(len, 0.0);
    for (std::size_t n = 0; n < len; ++n) {  // real part of the inverse DFT (design time only)
        double acc = 0;
        for (std::size_t k = 0; k < nfull; ++k)
            acc += (spec[k] * std::polar(1.0, 2.0 * std::numbers::pi * double(k * n % nfull) / double(nfull))).real();
        const double r = 2.0 * double(n) / double(len - 1) - 1.0;
        taps_[n] = acc / double(nfull) * bessel_i0(4.0 * std::sqrt(std::max(0.0, 1.0 - r * r))) / bessel_i0(4.0);
    }
    // Magnitude on a fine grid (DTFT of the taps).
    const std::size_t grid = 2048;
    mag_.resize(grid + 1);
    for (std::size_t k = 0; k <= grid; ++k) {
        const double w = std::numbers::pi * double(k) / double(grid);
        std::complex<double> acc = 0;
        for (std::size_t n = 0; n < len; ++n) acc += taps_[n] * std::polar(1.0, -w * double(n));
        mag_[k] = std::abs(acc);
    }
}

double EarFilterResponse::gain(double freq_hz) const noexcept {
    if (freq_hz > fs_ / 2.0) {  // above the design's Nyquist: the table (rates above 44.1 kHz)
        const double t = ear_filter_gain(freq_hz, field_);
        return backward_ ? 1.0 / t : t;
    }
    const double x = std::clamp(freq_hz / (fs_ / 2.0), 0.0, 1.0) * double(mag_.size() - 1);
    const std::size_t i = std::min(static_cast<std::size_t>(x), mag_.size() - 2);
    const double t = x - double(i);
    return mag_[i] + t * (mag_[i + 1] - mag_[i]);
}

}  // namespace earshot

#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace earshot {
const EarFilterResponse& ear_filter_response(double fs, SoundField field, bool backward) {
    static std::mutex mutex;
    static std::map<std::tuple<int, bool>, std::unique_ptr<EarFilterResponse>> cache;
    (void)fs;  // MSBG's 44.1 kHz design is used at every rate, so levels do not depend on the rate
    std::lock_guard lock(mutex);
    auto& slot = cache[{int(field), backward}];
    if (!slot) slot = std::make_unique<EarFilterResponse>(44100.0, field, backward);
    return *slot;
}
}  // namespace earshot
