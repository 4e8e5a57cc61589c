#pragma once
// Population hearing thresholds from the ISO standards the presets are built on:
//   ISO 7029:2017  age-related hearing threshold of otologically normal people (HTLA)
//   ISO 1999:2013  noise-induced permanent threshold shift (NIPTS) and its combination with age (HTLAN)
//   ISO 389-7:2005 reference threshold of hearing in a free field (RETSPL, dB SPL), to turn dB HL into dB SPL
// Conventions: levels are dB HL re the median threshold of 18-year-olds (ISO 7029's reference, taken as
// audiometric zero); "percentile P" is the share of the population whose threshold shift is SMALLER, so
// P = 90 is worse than the median (ISO 7029 clause 4.4, ISO 1999 clause 6.3.2: N_P = N50 + z_P * spread,
// upper spread when z_P >= 0, lower spread otherwise, z_P the standard-normal quantile).
// Coefficient sources are cited next to the tables in src/hearing/standards.cpp.
#include <array>

namespace earshot {

enum class Sex { male, female };

/// The 11 audiometric frequencies ISO 7029 tabulates (Hz).
inline constexpr std::array<double, 11> iso7029_freqs_hz{125, 250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000};
/// The 6 frequencies ISO 1999 tabulates (Hz).
inline constexpr std::array<double, 6> iso1999_freqs_hz{500, 1000, 2000, 3000, 4000, 6000};

/// Standard-normal quantile z with Phi(z) = p, p in (0, 1); accurate to ~1e-15 (Newton/Halley on erfc).
double standard_normal_quantile(double p);

/// ISO 7029:2017 median threshold shift re age 18: a (Y - 18)^b (clause 4.2, Table 1); 0 at Y <= 18.
/// freq_hz must be one of iso7029_freqs_hz (else ConfigError). Not clamped.
double iso7029_median_db(double freq_hz, double age_years, Sex sex);
/// ISO 7029:2017 threshold at a population percentile (1..99): median + z * s_u (z >= 0) or z * s_l
/// (z < 0), s_u/s_l the 5th-degree polynomials in (Y - 18) of Tables 2-5. Not clamped. The standard is
/// established for 18..80 years at <= 2 kHz and 18..70 years above; for older ages the median formula
/// extrapolates while the spreads are held at their value at that age limit (earshot's rule: the
/// polynomials turn negative beyond it).
double iso7029_threshold_db(double freq_hz, double age_years, Sex sex, double percentile = 50.0);

/// ISO 1999:2013 NIPTS (dB) at a population percentile (1..99) after `years` of daily exposure at
/// L_EX,8h = level_dba. Median (clause 6.3.1 formulas 2-3): [u + v lg(t)] (L - L0)^2 for t >= 10 years,
/// lg(t + 1)/lg(11) times the 10-year value below; 0 when L < L0 or t = 0. Spreads (formulas 6-7):
/// [X + Y lg(t)] (L - L0)^2, clamped at 0. Result clamped at >= 0. freq_hz must be one of iso1999_freqs_hz.
/// The standard covers 0..40 years of exposure; longer exposure extrapolates the lg(t) law.
double iso1999_nipts_db(double freq_hz, double level_dba, double years, double percentile = 50.0);

/// ISO 1999:2013 clause 6.1 formula 1: hearing threshold associated with age and noise,
/// H' = H + N - H N / 120 (all in dB).
constexpr double iso1999_combine_db(double age_db, double nipts_db) noexcept {
    return age_db + nipts_db - age_db * nipts_db / 120.0;
}

/// ISO 389-7:2005 reference threshold of hearing in a free field, frontal incidence, binaural listening (the
/// RETSPL for free-field audiometry, dB SPL): the tabulated third-octave and audiometric frequencies 20 Hz to
/// 12.5 kHz (the third-octave values are those ISO 226:2003 gives as T_f), linear in log frequency in between.
/// Throws ConfigError outside [20, 12500] Hz.
double iso389_7_free_field_db_spl(double freq_hz);
/// A hearing level in dB HL at freq_hz as a free-field threshold in dB SPL: hl_db + iso389_7_free_field_db_spl.
double hl_to_free_field_db_spl(double hl_db, double freq_hz);

}  // namespace earshot
