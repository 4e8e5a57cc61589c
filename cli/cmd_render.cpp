// earshot render IN... OUT: the hearing-loss render of one file, or of several files / directories
// into an output directory.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "batch.hpp"
#include "commands.hpp"
#include "earshot/core/error.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/core/param.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/io/description_io.hpp"
#include "earshot/io/output_checks.hpp"
#include "earshot/io/output_plan.hpp"
#include "earshot/io/render.hpp"
#include "earshot/io/render_keywords.hpp"
#include "earshot/core/temp_file.hpp"
#include "earshot/plots/plot_timeline.hpp"
#include "earshot/hearing/hearing_names.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/scene/scene_names.hpp"
#include "param_option.hpp"
#include "progress.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {

struct RenderArgs {
    std::vector<std::string> paths;
    std::string listener;
    double level_db_spl = params::level_db_spl.default_value;
    double full_scale_db_spl = params::full_scale_db_spl.default_value;
    double limit_dbfs = params::limit_dbfs.default_value;
    std::string ear, field = "free", degree, format;
    std::string implant, implant_ear = "both", level_measure = "active";
    double intensity = params::intensity.default_value;
    double crossover_hz = 0;
    bool both_ears = false;
    std::string hearing_aid;
    std::string scene, body, timeline;
    CLI::Option* intensity_opt = nullptr;
    CLI::Option* crossover_opt = nullptr;
    bool no_smearing = false;
    bool quiet = false;
    std::size_t jobs = 0;
    std::size_t block_frames = 8192;
    CLI::Option* level_opt = nullptr;
    CLI::Option* limit_opt = nullptr;
    CLI::Option* full_scale_opt = nullptr;
    CLI::Option* seed_opt = nullptr;
    std::size_t seed = 0;
    std::string from_sidecar;
    CLI::App* app = nullptr;
};

std::string describe(const fs::path& in, const fs::path& out, const RenderReport& r) {
    std::string cal = r.active_level_dbfs
                          ? fmt::format("active level {:.1f} dBFS presented at {:.1f} dB SPL", *r.active_level_dbfs,
                                        *r.active_level_dbfs + r.calibration.full_scale_db_spl)
                          : fmt::format("0 dBFS = {:.1f} dB SPL", r.calibration.full_scale_db_spl);
    return fmt::format("{} -> {}: {:.2f} s, {} Hz, {} ch, {}; {}; latency {} samples compensated", in.string(),
                       out.string(), r.seconds, r.sample_rate_hz, r.num_channels, audio_format_name(r.format), cal,
                       r.latency_samples);
}

void print_warnings(const RenderReport& r, bool quiet) {
    if (quiet) return;
    for (const auto& w : r.notes) fmt::print(stderr, "note: {}\n", w);
    for (const auto& w : r.warnings) fmt::print(stderr, "warning: {}\n", w);
}

// The flags as the shared keyword table's values (a flag not given stays unset).
RenderKeywords keywords(const RenderArgs& a) {
    RenderKeywords k;
    k.listener = a.listener;
    k.implant = a.implant;
    k.scene = a.scene;
    k.body = a.body;
    k.implant_ear = a.implant_ear;
    k.level_measure = a.level_measure;
    k.hearing_aid = a.hearing_aid;
    k.ear = a.ear;
    k.field = a.field;
    k.degree = a.degree;
    k.format = a.format;
    if (a.level_opt->count() > 0) k.level_db_spl = a.level_db_spl;
    if (a.full_scale_opt->count() > 0) k.full_scale_db_spl = a.full_scale_db_spl;
    if (a.limit_opt->count() > 0) k.limit_dbfs = a.limit_dbfs;
    if (a.intensity_opt->count() > 0) k.intensity = a.intensity;
    if (a.crossover_opt->count() > 0) k.crossover_hz = a.crossover_hz;
    if (a.seed_opt->count() > 0) k.seed = a.seed;
    k.both_ears = a.both_ears;
    k.smearing = !a.no_smearing;
    k.block_frames = a.block_frames;
    return k;
}

// The options of the render: the keywords' (io/render_keywords.hpp: names resolved, composed and validated, the
// body, format and block size), and the scene's timeline, staged into `timeline_stage`.
RenderOptions options_of(const RenderArgs& a, const std::shared_ptr<std::unique_ptr<TempFile>>& timeline_stage) {
    RenderOptions opt = render_options(keywords(a));
    const Description& d = opt.description;
    if (d.scene && !a.timeline.empty()) {
        check_figure_path(a.timeline, "--timeline");
        const fs::path tl = a.timeline;
        const auto sc = d.scene;
        // Drawn into a staged temp file before the audio is committed, renamed into place after it (run()).
        opt.on_finished = [tl, sc, staged = timeline_stage](const std::vector<float>& outside,
                                                           const std::vector<float>& inside, double fs) {
            *staged = stage_timeline(*sc, outside, inside, fs, tl);
        };
    }
    return opt;
}

// One file: IN -> OUT (and the timeline, committed with the audio).
int render_one(const RenderArgs& a, const RenderOptions& opt, const fs::path& in, const fs::path& out,
               const std::shared_ptr<std::unique_ptr<TempFile>>& timeline_stage) {
    if (opt.format) check_output_format(out, *opt.format);
    OutputPlan plan;  // nothing overwritten: every output against every input and the other outputs
    plan.add_input(in, "input");
    add_side_inputs(plan, a.listener, a.implant, a.scene, a.body, "--");
    plan.add_output(out, "output");
    if (!a.timeline.empty()) plan.add_output(a.timeline, "--timeline");
    ProgressBar bar(1, !a.quiet);
    const RenderReport r = render_file(in, out, opt, [&](double f) { bar.update(0, f); });
    if (*timeline_stage) (*timeline_stage)->commit();
    bar.clear();
    print_warnings(r, a.quiet);
    if (!a.quiet) fmt::print("{}\n", describe(in, out, r));
    return kOk;
}

int run(const RenderArgs& a) {
    if (!a.from_sidecar.empty()) {  // the sidecar holds every parameter (cmd_batch.cpp)
        for (const CLI::Option* o : a.app->get_options())
            if (o->count() > 0 && o->get_name() != "--from-sidecar" && o->get_name() != "paths" && o->get_name() != "--quiet")
                throw ConfigError(fmt::format("--from-sidecar: the sidecar holds every parameter; {} cannot be combined with it",
                                              o->get_name()));
        return run_from_sidecar(a.from_sidecar, a.paths, a.quiet);
    }
    if (a.paths.size() < 2)
        throw ConfigError("render: needs an input and an output (earshot render IN... OUT --listener L)");
    // Flags that need another flag (the description's own rules are in engine/description.hpp's compose()).
    if (a.scene.empty() && (!a.body.empty() || !a.timeline.empty()))
        throw ConfigError(fmt::format("{}: needs --scene", !a.body.empty() ? "--body" : "--timeline"));
    const auto timeline_stage = std::make_shared<std::unique_ptr<TempFile>>();
    RenderOptions opt = options_of(a, timeline_stage);

    const fs::path out = a.paths.back();
    std::vector<fs::path> ins(a.paths.begin(), a.paths.end() - 1);
    std::error_code ec;
    const bool batch = ins.size() > 1 || fs::is_directory(ins.front(), ec);
    if (!batch) return render_one(a, opt, ins.front(), out, timeline_stage);

    // Batch: OUT is a directory (created if missing); outputs named like the inputs.
    if (!a.timeline.empty())
        throw ConfigError("--timeline: draws one render; give one input file (not several or a directory)");
    if (fs::exists(out, ec) && !fs::is_directory(out, ec))
        throw ConfigError(fmt::format("{}: must be a directory when rendering several files or a directory",
                                      out.string()));
    fs::create_directories(out, ec);
    if (ec) throw IoError(fmt::format("{}: cannot create the output directory ({})", out.string(), ec.message()));
    const std::vector<fs::path> files = expand_inputs(ins);
    if (files.empty())
        throw IoError(fmt::format("{}: no audio files found (.wav, .flac, .ogg, .opus, .mp3, ...)",
                                  ins.front().string()));
    const AudioFormat format = opt.format.value_or(AudioFormat::wav_float32);
    opt.format = format;
    OutputPlan plan;  // every task's output against every input of the batch and the other outputs
    for (const auto& f : files) plan.add_input(f, "input");
    add_side_inputs(plan, a.listener, a.implant, a.scene, a.body, "--");
    opt.model_key = "render";  // one description for every file: engines reused (io/batch.hpp)
    const auto tasks = plan_batch(files, out, audio_format_extension(format), plan, std::make_shared<const RenderOptions>(opt));

    ProgressBar bar(tasks.size(), !a.quiet);
    set_cooperative_interrupts(true);  // a signal stops new files; the running ones are removed (io/batch.hpp)
    const auto outcomes = run_batch(tasks, {a.jobs, false, [&](std::size_t i, double f) { bar.update(i, f); }});
    bar.clear();
    if (const int sig = interrupt_signal(); sig != 0) return report_interrupted(tasks, outcomes, sig);

    std::size_t failed = 0;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        if (!outcomes[i].report) {
            ++failed;
            continue;
        }
        print_warnings(*outcomes[i].report, a.quiet);
        if (!a.quiet) fmt::print("{}\n", describe(tasks[i].in, tasks[i].out, *outcomes[i].report));
    }
    std::fflush(stdout);
    if (failed > 0) {
        fmt::print(stderr, "{} of {} files failed:\n", failed, tasks.size());
        for (const auto& o : outcomes)
            if (!o.report) fmt::print(stderr, "  {}\n", o.error);
        return kFailure;
    }
    return kOk;
}

}  // namespace

Command add_render_command(CLI::App& app) {
    auto a = std::make_shared<RenderArgs>();
    CLI::App* sub = app.add_subcommand("render", "render audio files as the listener hears them");
    sub->footer(
        "IN is a file, or several files / directories with OUT a directory (created if missing; outputs are\n"
        "named like the inputs). The output has the input's length, rate and channels, time-aligned with it.\n"
        "Calibration: --level-db-spl L presents the file's active speech level at L dB SPL; without it,\n"
        "absolute calibration (--full-scale-db-spl: dB SPL of a 0 dBFS sine).\n"
        "Examples:\n"
        "  earshot render speech.wav out.wav --listener bisgaard:N2 --level-db-spl 65\n"
        "  earshot render speech.wav out.flac -l iso7029:age=75,sex=male --hearing-aid nal-r --limit-dbfs -1\n"
        "  earshot render corpus/ out/ -l my_audiogram.toml --format wav24 --jobs 2\n"
        "  earshot render speech.wav ci.wav --implant nucleus-ace --level-db-spl 65\n"
        "  earshot render speech.wav eas.wav -l bisgaard:S2 --implant nucleus-ace --crossover-hz 500\n"
        "  earshot render speech.wav story.wav --scene examples/scenes/story.toml --timeline story.png\n");
    a->app = sub;
    sub->add_option("paths", a->paths, "IN... OUT")->type_name("PATH");
    sub->add_option("--from-sidecar", a->from_sidecar,
                    "render a batch sidecar's render again, bit for bit (to its output, or to OUT if given)")
        ->type_name("OUT.json");
    sub->add_option("--listener,-l", a->listener,
                    "preset id (see `earshot presets`, e.g. bisgaard:N2) or listener file (.json/.toml)")
        ->type_name("PRESET|FILE");
    sub->add_option("--implant,-i", a->implant,
                    "cochlear implant preset (see `earshot presets`) or implant JSON file; alone: a deaf listener with "
                    "this implant; with --listener: implant plus the listener's residual hearing (electric-acoustic)")
        ->type_name("PRESET|FILE.json");
    add_choice(*sub, "--implant-ear", a->implant_ear, names::ears, "which ear has the implant (default both; left/right: bimodal, stereo out)");
    a->intensity_opt = add_param(*sub, params::intensity, a->intensity);
    a->crossover_opt = add_param(*sub, params::crossover_hz, a->crossover_hz, false);
    add_choice(*sub, "--level-measure", a->level_measure, names::level_measure, "how --level-db-spl is measured: active (speech, default) or rms");
    sub->add_flag("--both-ears", a->both_ears, "a mono input is heard by both ears (stereo output)");
    sub->add_option("--scene", a->scene, "hearing that changes over time (docs/scene-files.md); replaces --listener")
        ->type_name("FILE.toml");
    sub->add_option("--timeline", a->timeline, "with --scene: draw outside and inside spectrograms with the keyframes and events")
        ->type_name("FILE.png|svg");
    sub->add_option("--body", a->body, "the scene's body bus (breathing, heartbeat...), mixed after the simulation")
        ->type_name("BODY.wav");
    add_choice(*sub, "--hearing-aid", a->hearing_aid, names::hearing_aid,
               "aid every acoustic ear without an implant: nal-r (linear NAL-R prescription from its audiogram)");
    a->level_opt = add_param(*sub, params::level_db_spl, a->level_db_spl, false);
    a->full_scale_opt = add_param(*sub, params::full_scale_db_spl, a->full_scale_db_spl);
    a->level_opt->excludes(a->full_scale_opt);
    add_choice(*sub, "--ear", a->ear, names::ear,
                    "hear every channel through this ear, as it is (a mono input stays mono); default: a mono input "
                    "is heard by both ears when they differ (stereo out), stereo is left/right, 5.1 and 7.1 are "
                    "down-mixed to the two ears (ITU-R BS.775), other counts need --ear (docs/rendering.md)");
    add_choice(*sub, "--field", a->field, names::field,
               "sound field at the listener, default free (erp: ear reference point, e.g. telephone or headphone-equalised)");
    add_choice(*sub, "--degree", a->degree, names::degree, "broadening/smearing by MSBG classes (default; scenes: continuous) or continuously");
    sub->add_flag("--no-smearing", a->no_smearing, "disable spectral smearing");
    a->limit_opt = add_param(*sub, params::limit_dbfs, a->limit_dbfs, false);
    add_choice(*sub, "--format", a->format, names::audio_format,
               "output encoding: wav32 (float), wav16, wav24, flac16, flac24; default by OUT extension "
               "(.wav float32, .flac 24-bit), wav32 for a directory");
    add_count(*sub, params::jobs, a->jobs, "-j");
    a->seed_opt = add_count(*sub, params::seed, a->seed);
    sub->add_flag("--quiet,-q", a->quiet, "no progress bar, summary or warnings");
    add_count(*sub, params::block_frames, a->block_frames)
        ->group("Advanced");
    return {sub, [a] { return run(*a); }};
}

}  // namespace earshot::cli
