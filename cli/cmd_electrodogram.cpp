// earshot electrodogram IN OUT.csv --implant PRESET|FILE.json: the pulses an implant would deliver for a
// sound, one row per pulse slot (idle slots included), and optionally a picture of them.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/core/temp_file.hpp"
#include "earshot/io/electrodogram_file.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/plots/plot_electrodogram.hpp"
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
    ElectrodogramFileOptions opt;
    opt.calibration.full_scale_db_spl = a.full_scale_db_spl;
    opt.calibration.measure = names::level_measure.from_name(a.level_measure, "--level-measure");
    if (a.level_opt->count() > 0) opt.calibration.present_at_db_spl = a.level_db_spl;
    opt.implant_file = fs::path(a.implant);
    std::optional<TempFile> plot_stage;
    if (!a.plot.empty()) {
        opt.plot = fs::path(a.plot);
        opt.on_finished = [&](const ElectrodogramFileResult& r) {
            ElectrodogramPlotOptions po = electrodogram_plot_options(implant, in);
            po.start_s = a.plot_start_s, po.end_s = a.plot_end_s;
            po.audio = &r.input.samples;
            po.audio_rate_hz = r.input.rate_hz;
            plot_stage.emplace(a.plot);
            plot_electrodogram(r.electrodogram, plot_stage->path(), po);
        };
    }
    const ElectrodogramFileResult r = electrodogram_file(in, out, implant, opt);
    if (plot_stage) plot_stage->commit();
    if (!a.quiet) {
        const CalibrationSpec& spec = r.calibration;
        const std::string cal_text =
            spec.present_at_db_spl ? fmt::format("{} level {:.1f} dBFS presented at {:.1f} dB SPL",
                                                 spec.measure == LevelMeasure::rms ? "RMS" : "active",
                                                 *spec.measured_level_dbfs, *spec.present_at_db_spl)
                                   : fmt::format("0 dBFS = {:.1f} dB SPL", r.resolved.full_scale_db_spl);
        const ElectrodogramSummary& s = r.summary;
        fmt::print("{} -> {}: {} ({}), {:.2f} s; {}; {} frames at {:.1f} pps per channel, period {:.1f} us; {} pulse slots, {} active on "
                   "{} electrodes\n",
                   in.string(), out.string(), implant.name, s.strategy, double(r.input.samples.size()) / r.input.rate_hz,
                   cal_text, s.frames, s.channel_rate_pps, s.period_us, s.slots, s.active_pulses, s.electrodes_used);
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
