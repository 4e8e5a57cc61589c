// The electrodogram of an audio file (io/electrodogram_file.hpp).
#include "earshot/io/electrodogram_file.hpp"

#include <fmt/format.h>

#include <cmath>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/core/temp_file.hpp"
#include "earshot/implant/implant_processor.hpp"
#include "earshot/io/output_checks.hpp"
#include "earshot/io/output_plan.hpp"

namespace earshot {

namespace {

void check_outputs(const std::filesystem::path& in, const std::filesystem::path& out, const ElectrodogramFileOptions& o) {
    if (out.extension() != ".csv") throw ConfigError(fmt::format("{}: the electrodogram is written as .csv", out.string()));
    if (o.plot) check_figure_path(*o.plot, "--plot");
    OutputPlan plan;
    plan.add_input(in, "input");
    std::error_code ec;
    if (o.implant_file && std::filesystem::exists(*o.implant_file, ec)) plan.add_input(*o.implant_file, "--implant file");
    plan.add_output(out, "output");
    if (o.plot) plan.add_output(*o.plot, "--plot");
}

MonoAudio read_input(const std::filesystem::path& in) {
    MonoAudio mono = read_mono_file(in);
    const ParamSpec& rate = params::electrodogram_input_rate_hz;
    if (!(mono.rate_hz >= rate.min_value && mono.rate_hz <= rate.max_value))
        throw IoError(fmt::format("{}: sample rate {} Hz is out of range [{}, {}] Hz", in.string(), mono.rate_hz,
                                  rate.min_value, rate.max_value));
    return mono;
}

// Presented at a level: the file's level by the chosen measure (needs signal).
void measure_level(CalibrationSpec& spec, const MonoAudio& mono, const std::filesystem::path& in) {
    if (!spec.present_at_db_spl) return;
    spec.present_at_db_spl = params::level_db_spl.check(*spec.present_at_db_spl);
    LevelMeter meter(mono.rate_hz, spec.measure);
    const float* p = mono.samples.data();
    meter.add(AudioView<const float>(&p, 1, mono.samples.size()));
    spec.measured_level_dbfs = meter.level_dbfs();
    if (!std::isfinite(*spec.measured_level_dbfs))
        throw Error(no_signal_message(in, mono.nonfinite, "cannot set its level: --level-db-spl needs signal"));
}

}  // namespace

ElectrodogramFileResult electrodogram_file(const std::filesystem::path& in, const std::filesystem::path& out,
                                           const ImplantParams& implant, const ElectrodogramFileOptions& options) {
    check_outputs(in, out, options);
    ElectrodogramFileResult r;
    r.input = read_input(in);
    r.calibration = options.calibration;
    measure_level(r.calibration, r.input, in);
    r.resolved = resolve_calibration(r.calibration, in.string());
    r.electrodogram = electrodogram_of(implant, r.input.samples, r.input.rate_hz, r.resolved);
    TempFile csv_stage(out);
    r.electrodogram.write_csv(csv_stage.path());
    r.summary = summarize_electrodogram(implant, r.electrodogram);
    if (options.on_finished) options.on_finished(r);
    csv_stage.commit();
    return r;
}

}  // namespace earshot
