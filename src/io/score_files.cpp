// STOI and ESTOI of one file against another (io/score_files.hpp).
#include "earshot/io/score_files.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/io/audio_file.hpp"

namespace earshot {

namespace {

// The whole file mixed to mono (read_mono_file), at a rate the scores accept.
MonoAudio read_mono(const std::filesystem::path& path) {
    MonoAudio a = read_mono_file(path);
    const ParamSpec& rate = params::score_input_rate_hz;
    if (!(a.rate_hz >= rate.min_value && a.rate_hz <= rate.max_value))
        throw ConfigError(fmt::format("{}: sample rate {} Hz is out of range [{}, {}] Hz", printable(path.string()),
                                      a.rate_hz, rate.min_value, rate.max_value));
    return a;
}

}  // namespace

IntelligibilityScore score_files(const std::filesystem::path& ref_path, const std::filesystem::path& deg_path,
                                 const ScoreFilesOptions& o) {
    const ParamSpec& delay = params::max_delay_s;
    if (!(o.max_delay_s >= delay.min_value && o.max_delay_s <= delay.max_value))
        throw ConfigError(fmt::format("--max-delay-s: {} is out of range [{}, {}] s", o.max_delay_s, delay.min_value,
                                      delay.max_value));
    const MonoAudio ref = read_mono(ref_path);
    const MonoAudio deg = read_mono(deg_path);
    if (std::all_of(ref.samples.begin(), ref.samples.end(), [](float v) { return v == 0.0f; }))
        throw ConfigError(no_signal_message(ref_path, ref.nonfinite, "the reference needs signal"));
    try {
        return score_intelligibility(ref.samples, ref.rate_hz, deg.samples, deg.rate_hz, o.align, o.max_delay_s);
    } catch (const ConfigError& e) {
        // Too little speech: the reference decides which frames count (and, aligned, the overlap).
        throw ConfigError(fmt::format("{} vs {}: {}", ref_path.string(), deg_path.string(), e.what()));
    }
}

}  // namespace earshot
