// earshot batch MANIFEST: one render per manifest row (docs/batch.md), on every core, resumable, a sidecar per
// output; and `earshot render --from-sidecar OUT.json [NEW_OUT]`, which renders a sidecar's render again. The
// driver, the manifest, the sidecars and the rules are the library's (earshot/io/batch.hpp, manifest.hpp,
// sidecar.hpp); this file parses and prints.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "batch.hpp"
#include "commands.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/sha256.hpp"
#include "earshot/core/temp_file.hpp"
#include "earshot/io/batch.hpp"
#include "earshot/io/manifest.hpp"
#include "earshot/io/output_plan.hpp"
#include "earshot/io/sidecar.hpp"
#include "earshot/version.hpp"
#include "param_option.hpp"
#include "progress.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {

struct BatchArgs {
    std::string manifest;
    std::size_t jobs = 0;
    bool no_resume = false;
    bool quiet = false;
};

void print_warnings(const std::vector<BatchTask>& tasks, const std::vector<BatchOutcome>& outcomes, bool quiet) {
    if (quiet) return;
    for (std::size_t i = 0; i < tasks.size(); ++i)
        if (outcomes[i].report)
            for (const auto& w : outcomes[i].report->warnings) fmt::print(stderr, "warning: {}\n", w);
}

int finish(const std::vector<BatchTask>& tasks, const std::vector<BatchOutcome>& outcomes, bool quiet,
           const std::string& manifest) {
    if (const int sig = interrupt_signal(); sig != 0) return report_interrupted(tasks, outcomes, sig);
    print_warnings(tasks, outcomes, quiet);
    const BatchCounts c = count_outcomes(outcomes);
    if (!quiet)
        fmt::print("{}: {} rendered, {} already done (sidecar matches), {} failed, of {}\n", manifest, c.rendered,
                   c.skipped, c.failed, tasks.size());
    std::fflush(stdout);
    if (c.failed == 0) return kOk;
    fmt::print(stderr, "{} of {} renders failed:\n", c.failed, tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const BatchOutcome& o = outcomes[i];
        if (!o.started || o.skipped || o.report) continue;
        // Errors found while planning already name the manifest line; render errors name their file.
        const std::string place = tasks[i].row ? fmt::format("{}:{}", manifest, tasks[i].row->line) : std::string();
        if (o.error.rfind(place, 0) == 0 || place.empty()) fmt::print(stderr, "  {}\n", o.error);
        else fmt::print(stderr, "  {}: {}\n", place, o.error);
    }
    return kFailure;
}

int run(const BatchArgs& a) {
    const std::vector<BatchTask> tasks = plan_manifest_file(a.manifest);
    ProgressBar bar(tasks.size(), !a.quiet);
    set_cooperative_interrupts(true);  // a signal stops new rows; the running ones are removed (io/batch.hpp)
    const auto outcomes = run_batch(tasks, {a.jobs, !a.no_resume, [&](std::size_t i, double f) { bar.update(i, f); }});
    bar.clear();
    return finish(tasks, outcomes, a.quiet, a.manifest);
}

}  // namespace

int run_from_sidecar(const std::string& sidecar, const std::vector<std::string>& paths, bool quiet) {
    if (paths.size() > 1)
        throw ConfigError(fmt::format("--from-sidecar: give at most one output (the sidecar names the input); got {} paths",
                                      paths.size()));
    SidecarRecord rec = read_sidecar(sidecar);
    if (rec.version != kVersion)
        fmt::print(stderr, "warning: {}: written by earshot {}, this is {}: samples may differ\n", sidecar, rec.version,
                   kVersion);
    if (const std::string h = sha256_file(rec.row.input); h != rec.prov.input_sha256)
        throw IoError(fmt::format("{}: the input {} has changed since the sidecar was written (sha256 {} , recorded {})",
                                  sidecar, printable(rec.row.input), h, rec.prov.input_sha256));
    for (const auto& [role, f] : rec.prov.files)
        if (const std::string h = sha256_file(f.first); h != f.second)
            throw IoError(fmt::format("{}: the {} file {} has changed since the sidecar was written (sha256 {}, recorded {})",
                                      sidecar, role, printable(f.first), h, f.second));
    if (!paths.empty()) rec.row.output = resolve_relative({}, paths.front());
    rec.row.line = 1;
    OutputPlan plan;
    plan.add_input(sidecar, "sidecar");
    const std::vector<BatchTask> tasks = plan_manifest({rec.row}, sidecar, plan);
    if (!tasks.front().error.empty()) throw IoError(tasks.front().error);
    ProgressBar bar(1, !quiet);
    const BatchOutcome o = run_task(tasks.front(), false, nullptr, [&](double f) { bar.update(0, f); });
    bar.clear();
    if (!o.report) throw IoError(o.error);
    if (!quiet) {
        for (const auto& w : o.report->warnings) fmt::print(stderr, "warning: {}\n", w);
        fmt::print("{} -> {} (from {})\n", rec.row.input.string(), rec.row.output.string(), sidecar);
    }
    return kOk;
}

Command add_batch_command(CLI::App& app) {
    auto a = std::make_shared<BatchArgs>();
    CLI::App* sub = app.add_subcommand("batch", "render every row of a manifest (CSV or JSON Lines), resumable");
    sub->footer(
        "MANIFEST: CSV with a header row, or JSON Lines; columns input, output and any of listener, implant, scene,\n"
        "body, level_db_spl, full_scale_db_spl, seed, ... (docs/batch.md). Paths are relative to the manifest.\n"
        "Each output OUT gets a sidecar OUT.json with every parameter, the calibration, the latency, the earshot\n"
        "version and build and the input's sha256; `earshot render --from-sidecar OUT.json` renders it again.\n"
        "Run again after an interruption: rows whose output and sidecar match are skipped.\n"
        "Failed rows are listed at the end (exit 1); the other rows complete.\n"
        "Examples:\n"
        "  earshot batch corpus.csv\n"
        "  earshot batch corpus.jsonl --jobs 2\n");
    sub->add_option("manifest", a->manifest, "the manifest (.csv, .jsonl)")->required()->type_name("MANIFEST");
    add_count(*sub, params::jobs, a->jobs, "-j");
    sub->add_flag("--no-resume", a->no_resume, "render every row, even those whose output and sidecar match");
    sub->add_flag("--quiet,-q", a->quiet, "no progress bar, summary or warnings");
    return {sub, [a] { return run(*a); }};
}

}  // namespace earshot::cli
