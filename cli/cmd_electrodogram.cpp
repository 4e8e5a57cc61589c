// earshot electrodogram IN OUT.csv --implant PRESET|FILE.json: the pulses an implant would deliver for a
// sound, one row per pulse slot (idle slots included), and optionally a picture of them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <system_error>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "earshot/core/db.hpp"
#include "earshot/core/error.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/core/param.hpp"
#include "earshot/engine/description.hpp"
#include "earshot/implant/implant_processor.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/plots/plot_electrodogram.hpp"
#include "earshot/io/output_plan.hpp"
#include "earshot/io/render.hpp"
#include "earshot/core/temp_file.hpp"
#include "implant_options.hpp"
#include "param_option.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {

struct Args {
    std::string in, out, implant, plot, level_measure = "active";
    double level_db_spl = params::level_db_spl.default_value;
    double full_scale_db_spl = params::full_scale_db_spl.default_value;
    double plot_start_s = 0, plot_end_s = 0;
    bool quiet = false;
    CLI::Option* level_opt = nullptr;
};


int run(const Args& a) {
    const ImplantParams implant = load_implant(a.implant);
    const fs::path in = a.in, out = a.out;
    if (out.extension() != ".csv") throw ConfigError(fmt::format("{}: the electrodogram is written as .csv", out.string()));
    if (!a.plot.empty()) {
        const std::string ext = fs::path(a.plot).extension().string();
        if (ext != ".png" && ext != ".svg")
            throw ConfigError(fmt::format("--plot: {}: use a .png or .svg file", printable(a.plot)));
    }
    // Nothing overwritten: the CSV and the plot against the input, the implant file and each other.
    OutputPlan plan;
    plan.add_input(in, "input");
    std::error_code ec;
    if (fs::exists(a.implant, ec)) plan.add_input(a.implant, "--implant file");
    plan.add_output(out, "output");
    if (!a.plot.empty()) plan.add_output(a.plot, "--plot");
    double fs_hz = 0;
    const MonoAudio mono = read_mono_file(in);
    fs_hz = mono.rate_hz;
    const std::vector<float>& x = mono.samples;
    if (!(fs_hz >= params::electrodogram_input_rate_hz.min_value && fs_hz <= params::electrodogram_input_rate_hz.max_value))
        throw IoError(fmt::format("{}: sample rate {} Hz is out of range [{}, {}] Hz", in.string(), fs_hz,
                                  params::electrodogram_input_rate_hz.min_value, params::electrodogram_input_rate_hz.max_value));
    // The calibration (engine/description.hpp): absolute, or the file presented at --level-db-spl by its level.
    CalibrationSpec spec;
    spec.full_scale_db_spl = a.full_scale_db_spl;
    spec.measure = names::level_measure.from_name(a.level_measure, "--level-measure");
    if (a.level_opt->count() > 0) {
        spec.present_at_db_spl = params::level_db_spl.check(a.level_db_spl);
        LevelMeter meter(fs_hz, spec.measure);
        const float* p = x.data();
        meter.add(AudioView<const float>(&p, 1, x.size()));
        spec.measured_level_dbfs = meter.level_dbfs();
        if (!std::isfinite(*spec.measured_level_dbfs))
            throw Error(no_signal_message(in, mono.nonfinite, "cannot set its level: --level-db-spl needs signal"));
    }
    const Calibration cal = resolve_calibration(spec, in.string());
    const std::string cal_text =
        spec.present_at_db_spl ? fmt::format("{} level {:.1f} dBFS presented at {:.1f} dB SPL",
                                             spec.measure == LevelMeasure::rms ? "RMS" : "active",
                                             *spec.measured_level_dbfs, *spec.present_at_db_spl)
                               : fmt::format("0 dBFS = {:.1f} dB SPL", cal.full_scale_db_spl);
    const Electrodogram e = electrodogram_of(implant, x, fs_hz, cal);
    // The CSV and the plot are committed together: both are staged first, a failure of either leaves neither.
    TempFile csv_stage(out);
    e.write_csv(csv_stage.path());
    std::optional<TempFile> plot_stage;
    auto strategy = make_strategy(implant);
    if (!a.plot.empty()) {
        ElectrodogramPlotOptions po;
        po.title = fmt::format("{}: {}", in.filename().string(), implant.name);
        po.start_s = a.plot_start_s, po.end_s = a.plot_end_s;
        int cmax = 0;
        const auto& map = strategy->loudness_map();
        for (int el = 1; el <= strategy->num_electrodes(); ++el) cmax = std::max(cmax, int(std::lround(map.c_level(el))));
        po.c_level = cmax;
        po.band_centre_hz.assign(std::size_t(strategy->num_electrodes()), 0.0);
        for (std::size_t b = 0; b < strategy->band_electrodes().size(); ++b)
            po.band_centre_hz[std::size_t(strategy->band_electrodes()[b] - 1)] = strategy->band_centre_hz()[b];
        po.audio = &x;
        po.audio_rate_hz = fs_hz;
        plot_stage.emplace(a.plot);
        plot_electrodogram(e, plot_stage->path(), po);
    }
    csv_stage.commit();
    if (plot_stage) plot_stage->commit();
    if (!a.quiet) {
        std::set<int> used;
        std::size_t active = 0;
        for (const auto& p : e.pulses)
            if (p.current_level > 0) used.insert(p.electrode), ++active;
        fmt::print("{} -> {}: {} ({}), {:.2f} s; {}; {} frames at {:.1f} pps per channel, period {:.1f} us; {} pulse slots, {} active on "
                   "{} electrodes\n",
                   in.string(), out.string(), implant.name,
                   implant.strategy == StrategyKind::cis ? "cis" : implant.strategy == StrategyKind::speak ? "speak" : "ace",
                   double(x.size()) / fs_hz, cal_text, e.pulses.size() / std::max<std::size_t>(1, strategy->max_slots_per_frame()),
                   strategy->channel_rate_pps(), strategy->period_us(), e.pulses.size(), active, used.size());
    }
    return kOk;
}

}  // namespace

Command add_electrodogram_command(CLI::App& app) {
    auto a = std::make_shared<Args>();
    CLI::App* sub = app.add_subcommand("electrodogram", "the pulses a cochlear implant delivers for a sound (CSV, optional plot)");
    sub->footer(
        "OUT.csv has one row per pulse slot, idle slots (current level 0) included:\n"
        "  time_us,electrode,current_level,phase_width_us,phase_gap_us   (electrode 1 = most basal)\n"
        "Calibration: --level-db-spl L sets the file's level (active speech level, or with --level-measure rms the\n"
        "overall RMS, a full-scale sine being 95 dB SPL as in the Nucleus toolbox); else --full-scale-db-spl.\n"
        "Implant presets: see `earshot presets`; implant files: docs/implant-files.md.\n"
        "Examples:\n"
        "  earshot electrodogram speech.wav pulses.csv --implant nucleus-ace --level-db-spl 65\n"
        "  earshot electrodogram speech.wav pulses.csv -i my_map.json --plot pulses.png --plot-start-s 0.5 --plot-end-s 1\n");
    sub->add_option("in", a->in, "input audio file")->required()->type_name("IN");
    sub->add_option("out", a->out, "output CSV")->required()->type_name("OUT.csv");
    sub->add_option("--implant,-i", a->implant, "implant preset or implant JSON file")->required()->type_name("PRESET|FILE.json");
    a->level_opt = add_param(*sub, params::level_db_spl, a->level_db_spl, false);
    auto* fs_opt = add_param(*sub, params::full_scale_db_spl, a->full_scale_db_spl);
    a->level_opt->excludes(fs_opt);
    add_choice(*sub, "--level-measure", a->level_measure, names::level_measure, "how --level-db-spl is measured: active (speech, default) or rms");
    sub->add_option("--plot", a->plot, "also draw the electrodogram (time x electrode, pulse height by level)")->type_name("FILE.png|svg");
    add_number(*sub, params::plot_start_s, a->plot_start_s, "S", false);
    add_number(*sub, params::plot_end_s, a->plot_end_s, "S", false);
    sub->add_flag("--quiet,-q", a->quiet, "no summary");
    return {sub, [a] { return run(*a); }};
}

}  // namespace earshot::cli
