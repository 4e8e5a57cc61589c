#include "earshot/hearing/standards.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <cstddef>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"

namespace earshot {

namespace {

// ---------------------------------------------------------------------------------------------------
// ISO 7029:2017. Coefficients as listed in the project's research notes (validation.md section 1.3),
// which copied them from the open-source `phonometry` library (J. M. Requena-Plens, hearing/threshold.py,
// citing ISO 7029:2017 Tables 1-5). The standard itself was not available; the values reproduce the
// library's own check (male, 60 y, 4 kHz: 20.21 dB) and the age table of validation.md (tested).
// Rows follow iso7029_freqs_hz.
struct MedianCoeff {
    double a, b;
};
constexpr MedianCoeff k7029_median_male[11] = {
    {2.50e-6, 3.841}, {1.39e-4, 2.832}, {4.59e-4, 2.537}, {5.70e-4, 2.512}, {7.02e-4, 2.494}, {1.09e-3, 2.446},
    {1.56e-3, 2.404}, {2.54e-3, 2.350}, {3.40e-3, 2.325}, {4.53e-3, 2.315}, {5.06e-3, 2.328}};
constexpr MedianCoeff k7029_median_female[11] = {
    {6.16e-4, 2.451}, {3.98e-4, 2.568}, {2.61e-4, 2.708}, {2.25e-4, 2.775}, {2.21e-4, 2.805}, {2.53e-4, 2.813},
    {3.12e-4, 2.792}, {4.88e-4, 2.728}, {7.37e-4, 2.660}, {1.47e-3, 2.539}, {2.53e-3, 2.439}};

// Spread polynomials s = c0 + c1 u + ... + c5 u^5, u = Y - 18 (dB). Table 2: s_u male; Table 3: s_l male;
// Table 4: s_u female; Table 5: s_l female.
using Poly5 = double[6];
constexpr Poly5 k7029_su_male[11] = {
    {4.63, .645, -8.85e-2, 3.69e-3, -5.98e-5, 3.39e-7}, {5.27, .710, -9.13e-2, 3.64e-3, -5.74e-5, 3.22e-7},
    {4.98, .751, -9.20e-2, 3.68e-3, -5.84e-5, 3.28e-7}, {4.65, .733, -8.81e-2, 3.59e-3, -5.76e-5, 3.24e-7},
    {4.42, .714, -8.54e-2, 3.57e-3, -5.82e-5, 3.29e-7}, {4.14, .679, -8.04e-2, 3.52e-3, -5.89e-5, 3.35e-7},
    {4.10, .632, -7.53e-2, 3.46e-3, -5.94e-5, 3.40e-7}, {4.29, .530, -6.28e-2, 3.09e-3, -5.37e-5, 2.95e-7},
    {4.68, .455, -5.52e-2, 2.95e-3, -5.30e-5, 2.92e-7}, {5.61, .363, -4.72e-2, 2.92e-3, -5.58e-5, 3.12e-7},
    {6.62, .291, -4.16e-2, 2.92e-3, -5.85e-5, 3.33e-7}};
constexpr Poly5 k7029_sl_male[11] = {
    {3.34, .131, -2.02e-2, 1.12e-3, -2.28e-5, 1.57e-7}, {3.32, .230, -2.54e-2, 1.20e-3, -2.27e-5, 1.46e-7},
    {3.43, .362, -4.11e-2, 1.87e-3, -3.44e-5, 2.21e-7}, {3.60, .384, -4.43e-2, 1.98e-3, -3.55e-5, 2.22e-7},
    {3.77, .363, -4.19e-2, 1.82e-3, -3.14e-5, 1.89e-7}, {3.93, .365, -4.22e-2, 1.79e-3, -2.96e-5, 1.70e-7},
    {4.01, .387, -4.47e-2, 1.87e-3, -3.02e-5, 1.69e-7}, {4.11, .405, -4.56e-2, 1.86e-3, -2.83e-5, 1.46e-7},
    {4.09, .439, -4.78e-2, 1.92e-3, -2.84e-5, 1.40e-7}, {4.01, .497, -4.97e-2, 1.93e-3, -2.67e-5, 1.18e-7},
    {3.90, .559, -5.62e-2, 2.40e-3, -3.92e-5, 2.29e-7}};
constexpr Poly5 k7029_su_female[11] = {
    {5.05, .400, -4.60e-2, 1.73e-3, -2.75e-5, 1.71e-7}, {5.01, .481, -4.88e-2, 1.80e-3, -2.81e-5, 1.67e-7},
    {4.68, .510, -5.16e-2, 1.95e-3, -3.07e-5, 1.77e-7}, {4.45, .511, -5.25e-2, 2.03e-3, -3.18e-5, 1.81e-7},
    {4.34, .492, -5.15e-2, 2.03e-3, -3.18e-5, 1.78e-7}, {4.23, .479, -5.12e-2, 2.07e-3, -3.26e-5, 1.80e-7},
    {4.26, .456, -4.91e-2, 2.01e-3, -3.16e-5, 1.70e-7}, {4.36, .476, -5.15e-2, 2.19e-3, -3.51e-5, 1.91e-7},
    {4.61, .477, -5.07e-2, 2.19e-3, -3.51e-5, 1.88e-7}, {5.22, .483, -4.83e-2, 2.13e-3, -3.39e-5, 1.74e-7},
    {5.84, .516, -4.89e-2, 2.18e-3, -3.49e-5, 1.77e-7}};
constexpr Poly5 k7029_sl_female[11] = {
    {3.64, .047, 2.28e-3, -6.68e-5, -8.72e-7, 2.30e-8}, {3.11, .226, -7.71e-3, 9.83e-5, -7.11e-7, 9.02e-9},
    {2.98, .338, -1.74e-2, 3.53e-4, -2.78e-6, 1.01e-8}, {3.03, .378, -2.24e-2, 5.20e-4, -4.60e-6, 1.50e-8},
    {3.15, .382, -2.39e-2, 5.62e-4, -4.60e-6, 9.87e-9}, {3.32, .387, -2.64e-2, 6.71e-4, -5.76e-6, 1.07e-8},
    {3.47, .392, -2.84e-2, 7.79e-4, -7.35e-6, 1.71e-8}, {3.69, .392, -2.96e-2, 8.44e-4, -7.55e-6, 8.16e-9},
    {3.84, .402, -3.17e-2, 9.99e-4, -1.08e-5, 2.99e-8}, {4.04, .403, -3.15e-2, 1.06e-3, -1.21e-5, 3.44e-8},
    {4.15, .413, -3.01e-2, 1.00e-3, -9.97e-6, 8.74e-9}};

// ---------------------------------------------------------------------------------------------------
// ISO 1999:2013. Table 1 (u, v, L0) as in validation.md section 1.4 (copied from a secondary source and
// agreeing with the research author's recollection of the standard). Table 3 (X_u, Y_u, X_l, Y_l, the
// spreads of formulas 6-7) from the `phonometry` library (hearing/noise_induced_hearing_loss.py, citing
// ISO 1999:2013 Table 3): one secondary source only, used for percentiles other than 50.
// Rows follow iso1999_freqs_hz.
struct NiptsCoeff {
    double u, v, l0_db, xu, yu, xl, yl;
};
constexpr NiptsCoeff k1999[6] = {
    {-0.033, 0.110, 93.0, 0.044, 0.016, 0.033, 0.002},   // 500 Hz
    {-0.020, 0.070, 89.0, 0.022, 0.016, 0.020, 0.000},   // 1000 Hz
    {-0.045, 0.066, 80.0, 0.031, -0.002, 0.016, 0.000},  // 2000 Hz
    {+0.012, 0.037, 77.0, 0.007, 0.016, 0.029, -0.010},  // 3000 Hz
    {+0.025, 0.025, 75.0, 0.005, 0.009, 0.016, -0.002},  // 4000 Hz
    {+0.019, 0.024, 77.0, 0.013, 0.008, 0.028, -0.007},  // 6000 Hz
};

template <std::size_t N>
std::size_t freq_index(const std::array<double, N>& freqs, double freq_hz, const char* standard) {
    for (std::size_t i = 0; i < N; ++i)
        if (std::abs(freqs[i] - freq_hz) < 1e-6 * freqs[i]) return i;
    throw ConfigError(fmt::format("{}: {} Hz is not a tabulated frequency (accepted: {} Hz)", standard, freq_hz,
                                  fmt::join(freqs, ", ")));
}

double poly5(const Poly5& c, double u) {
    return c[0] + u * (c[1] + u * (c[2] + u * (c[3] + u * (c[4] + u * c[5]))));
}

double z_of_percentile(double percentile, const char* where) {
    params::percentile.check(percentile, where);
    return standard_normal_quantile(percentile / 100.0);
}

}  // namespace

double standard_normal_quantile(double p) {
    if (!(p > 0.0 && p < 1.0))
        throw ConfigError(fmt::format("standard_normal_quantile: p = {} is out of range (0, 1)", p));
    // Starting point: Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4), then Halley steps on
    // Phi(x) = erfc(-x / sqrt 2) / 2, which converge cubically to full double precision.
    const double q = p < 0.5 ? p : 1.0 - p;
    const double t = std::sqrt(-2.0 * std::log(q));
    double x = t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
    if (p < 0.5) x = -x;
    constexpr double sqrt_2pi = 2.5066282746310002;
    for (int it = 0; it < 3; ++it) {
        const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
        const double u = e * sqrt_2pi * std::exp(0.5 * x * x);
        x -= u / (1.0 + 0.5 * x * u);
    }
    return x;
}

double iso7029_median_db(double freq_hz, double age_years, Sex sex) {
    const std::size_t i = freq_index(iso7029_freqs_hz, freq_hz, "ISO 7029");
    const double u = age_years - 18.0;
    if (u <= 0.0) return 0.0;
    const MedianCoeff& c = sex == Sex::male ? k7029_median_male[i] : k7029_median_female[i];
    return c.a * std::pow(u, c.b);
}

double iso7029_threshold_db(double freq_hz, double age_years, Sex sex, double percentile) {
    const double median = iso7029_median_db(freq_hz, age_years, sex);
    const double z = z_of_percentile(percentile, "ISO 7029 percentile");
    if (percentile == 50.0) return median;
    const std::size_t i = freq_index(iso7029_freqs_hz, freq_hz, "ISO 7029");
    // The spread polynomials are fits over the standard's age range (18..80 y at <= 2 kHz, 18..70 y above)
    // and turn over outside it (e.g. s_u, male, 8 kHz: 23 dB at 60 y, 1.3 dB at 80 y, -26 dB at 90 y), so
    // earshot holds the spread at its value at the upper age limit; the median keeps extrapolating.
    const double age_limit = freq_hz <= 2000.0 ? 80.0 : 70.0;
    const double u = std::clamp(age_years, 18.0, age_limit) - 18.0;
    const bool male = sex == Sex::male;
    const double s = z >= 0.0 ? poly5(male ? k7029_su_male[i] : k7029_su_female[i], u)
                              : poly5(male ? k7029_sl_male[i] : k7029_sl_female[i], u);
    return median + z * s;
}

double iso1999_nipts_db(double freq_hz, double level_dba, double years, double percentile) {
    const NiptsCoeff& c = k1999[freq_index(iso1999_freqs_hz, freq_hz, "ISO 1999")];
    const double z = z_of_percentile(percentile, "ISO 1999 percentile");
    if (!(years > 0.0) || level_dba <= c.l0_db) return 0.0;
    const double excess2 = (level_dba - c.l0_db) * (level_dba - c.l0_db);
    const double n50_at = [&](double t) { return (c.u + c.v * std::log10(t)) * excess2; }(std::max(years, 10.0));
    const double n50 = std::max(
        0.0, years >= 10.0 ? n50_at : std::log10(years + 1.0) / std::log10(11.0) * n50_at);
    if (percentile == 50.0) return n50;
    // Formulas 6-7 carry no below-10-years provision; they are evaluated at the actual duration
    // (the reading the phonometry library documents), clamped at 0.
    const double lg_t = std::log10(years);
    const double spread = z >= 0.0 ? std::max(0.0, (c.xu + c.yu * lg_t) * excess2)
                                   : std::max(0.0, (c.xl + c.yl * lg_t) * excess2);
    return std::max(0.0, n50 + z * spread);
}

double iso389_7_free_field_db_spl(double freq_hz) {
    // ISO 389-7:2005 Table 1, free field, frontal incidence (binaural). Third-octave values are the same as
    // ISO 226:2003's threshold T_f; 750, 1500, 3000 and 6000 Hz are the audiometric extras
    // (../shared/research/validation.md §1.7).
    static constexpr std::array<std::pair<double, double>, 33> kTable{{
        {20, 78.5},   {25, 68.7},   {31.5, 59.5}, {40, 51.1},  {50, 44.0},   {63, 37.5},  {80, 31.5},
        {100, 26.5},  {125, 22.1},  {160, 17.9},  {200, 14.4}, {250, 11.4},  {315, 8.6},  {400, 6.2},
        {500, 4.4},   {630, 3.0},   {750, 2.4},   {800, 2.2},  {1000, 2.4},  {1250, 3.5}, {1500, 2.4},
        {1600, 1.7},  {2000, -1.3}, {2500, -4.2}, {3000, -5.8}, {3150, -6.0}, {4000, -5.4}, {5000, -1.5},
        {6000, 4.3},  {6300, 6.0},  {8000, 12.6}, {10000, 13.9}, {12500, 12.3},
    }};
    const ParamSpec range{"freq_hz", "Hz", kTable.front().first, kTable.back().first, 1000.0, "ISO 389-7 table"};
    range.check(freq_hz, "iso389_7_free_field_db_spl: freq_hz");
    const auto hi = std::lower_bound(kTable.begin(), kTable.end(), freq_hz,
                                     [](const std::pair<double, double>& e, double f) { return e.first < f; });
    if (hi->first == freq_hz) return hi->second;
    const auto lo = hi - 1;
    const double t = std::log(freq_hz / lo->first) / std::log(hi->first / lo->first);
    return lo->second + t * (hi->second - lo->second);
}

double hl_to_free_field_db_spl(double hl_db, double freq_hz) {
    params::hl_db.check(hl_db, "hl_to_free_field_db_spl: hl_db");
    return hl_db + iso389_7_free_field_db_spl(freq_hz);
}

}  // namespace earshot
