#pragma once
// Parameters are described once (id, unit, range, default, help) and reused by the CLI flags, the
// listener/scene files, later the plugin and Python. check() is the one place a value is validated.
#include <string>
#include <string_view>

namespace earshot {

struct ParamSpec {
    std::string_view id;    ///< snake_case with unit suffix, e.g. "level_db_spl"; CLI flag is --level-db-spl
    std::string_view unit;  ///< printed unit, e.g. "dB SPL"
    double min_value;
    double max_value;
    double default_value;
    std::string_view help;

    /// Returns value if inside [min_value, max_value], else throws ConfigError
    /// "<where>: <value> is out of range [min, max] <unit>" (where defaults to the CLI flag form of id).
    double check(double value, std::string_view where = {}) const;
    /// Whether `value` is finite and inside [min_value, max_value].
    bool contains(double value) const noexcept;
    /// "<value> is out of range [min, max] <unit>", the message of check() without the place.
    std::string out_of_range(double value) const;
    /// "--level-db-spl" for id "level_db_spl".
    std::string flag() const;
};

/// The absolute calibration that presents a file measured at `file_level_dbfs` (its active or RMS level)
/// at `level_db_spl`: full-scale level = level_db_spl - file_level_dbfs, in dB SPL of a 0 dBFS sine.
/// The model is calibrated for full-scale levels within params::full_scale_db_spl's range, so only
/// presentation levels in [max(0, 60 + dBFS), min(130, 140 + dBFS)] dB SPL are accepted for this file;
/// outside it throws ConfigError naming --level-db-spl, the file, its level and that range.
double full_scale_for_level(double level_db_spl, double file_level_dbfs, std::string_view file);

namespace params {
// Calibration
inline constexpr ParamSpec level_db_spl{"level_db_spl", "dB SPL", 0.0, 130.0, 65.0,
    "present the input at this active level (10 ms frames within 12 dB of the overall RMS, all channels)"};
inline constexpr ParamSpec full_scale_db_spl{"full_scale_db_spl", "dB SPL", 60.0, 140.0, 100.0,
    "absolute calibration: level of a digital full-scale sine (0 dBFS)"};
// Audiograms
inline constexpr ParamSpec freq_hz{"freq_hz", "Hz", 125.0, 16000.0, 1000.0, "audiogram frequency"};
inline constexpr ParamSpec hl_db{"hl_db", "dB HL", -10.0, 120.0, 0.0, "hearing threshold level"};
// Output stage
inline constexpr ParamSpec limit_dbfs{"limit_dbfs", "dBFS", -60.0, 0.0, 0.0,
    "output limiter ceiling (sample peak); off unless given"};
// Presets
inline constexpr ParamSpec age_years{"age_years", "years", 18.0, 100.0, 60.0, "ISO 7029 age"};
inline constexpr ParamSpec percentile{"percentile", "%", 1.0, 99.0, 50.0, "ISO 7029 percentile of the population"};
// Implants
inline constexpr ParamSpec intensity{"intensity", "", 0.0, 1.0, 1.0,
    "implant sound mix: 0 = the original sound, 1 = the implant sound only"};
inline constexpr ParamSpec crossover_hz{"crossover_hz", "Hz", 100.0, 4000.0, 500.0,
    "electric-acoustic split: residual hearing below, implant above"};
// Stream
inline constexpr ParamSpec sample_rate_hz{"sample_rate_hz", "Hz", 16000.0, 96000.0, 44100.0,
    "sample rate the hearing-loss model runs at"};
}  // namespace params

}  // namespace earshot
