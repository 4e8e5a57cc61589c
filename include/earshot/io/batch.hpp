#pragma once
// The batch driver every front end uses (`earshot render IN... OUTDIR --jobs N`, `earshot batch MANIFEST`,
// Python's earshot.batch and the Dask tasks of earshot.dask): tasks on a pool of threads, one file per task,
// outcomes in task order. A failing task is recorded (one line) and the rest complete. No task overwrites an
// input of the batch or another task's output (OutputPlan, io/output_plan.hpp: such a task fails before
// anything is written). An interrupt (SIGINT/SIGTERM/SIGHUP, the cooperative mode of core/temp_file.hpp)
// stops new tasks from starting; the running ones stop at their next block and their temp files are removed.
// Each worker thread keeps a ModelCache (engine/model_cache.hpp): set-up is paid once per description (and
// calibration and rate) per worker, not once per file.
// Manifest tasks (io/manifest.hpp) also write a sidecar per output (io/sidecar.hpp) and, with resume, skip a
// row whose output and sidecar already match it.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/io/manifest.hpp"
#include "earshot/io/output_plan.hpp"
#include "earshot/io/render.hpp"

namespace earshot {

class ModelCache;

struct BatchTask {
    std::filesystem::path in, out;
    std::shared_ptr<const RenderOptions> options;  ///< null when `error` is set
    std::optional<ManifestRow> row;                ///< a manifest (or sidecar) task: sidecar and resume
    std::string error;  ///< set before running when the task cannot run (an output collision, a bad description)
};

struct BatchOutcome {
    std::optional<RenderReport> report;  ///< set on success (not for a skipped task)
    std::string error;                   ///< one line, set on failure
    bool started = false;                ///< false when an interrupt came before the task started
    bool skipped = false;                ///< resume: the output and its sidecar already matched
};

struct BatchSettings {
    std::size_t jobs = 0;  ///< worker threads; 0: every core (std::thread::hardware_concurrency)
    bool resume = true;    ///< manifest tasks: skip rows whose output and sidecar match
    /// Called with (task index, completed fraction 0..1) from the worker threads (thread-safe callee).
    std::function<void(std::size_t, double)> progress;
};

/// Audio files named by `inputs`: files as given (even missing ones, which then fail as tasks) and the
/// regular, non-hidden files with an audio extension directly inside each directory (sorted by name).
std::vector<std::filesystem::path> expand_inputs(const std::vector<std::filesystem::path>& inputs);

/// Pairs every input with `<out_dir>/<stem><extension>`, all with `options`. `plan` already holds every input
/// of the command; an output that is one of them, or that another task already writes, makes its task fail.
std::vector<BatchTask> plan_batch(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out_dir,
                                  std::string_view extension, OutputPlan& plan,
                                  std::shared_ptr<const RenderOptions> options);

/// One task per manifest row. The rows' inputs and named files go into `plan` first, then each row claims its
/// output and sidecar. Each distinct parameter set is resolved once (presets, description files); a row whose
/// description cannot be made, or whose output collides, fails alone (its task's error names the manifest line).
std::vector<BatchTask> plan_manifest(const std::vector<ManifestRow>& rows, std::string_view manifest_name, OutputPlan& plan);
/// The tasks of a manifest file: read_manifest() (io/manifest.hpp), the manifest itself an input of the plan
/// (no row's output may overwrite it), then plan_manifest(). The CLI's batch and Python's use this.
std::vector<BatchTask> plan_manifest_file(const std::filesystem::path& manifest);

/// The model key of a row's parameters (equal keys: equal descriptions; ModelCache).
std::string model_key(const RenderParams& params);

/// Runs one task on the calling thread (cache: optional). Never throws: failures are in the outcome.
BatchOutcome run_task(const BatchTask& task, bool resume, ModelCache* cache,
                      const std::function<void(double)>& progress = {});

/// Row `index` of `rows` as a task of its own (a Dask task, whose client has planned the whole manifest): planned
/// alone (its output against its own input and files) and run. Never throws.
BatchOutcome run_manifest_row(const std::vector<ManifestRow>& rows, std::size_t index, std::string_view manifest_name,
                              bool resume, ModelCache* cache);

/// Runs the tasks on settings.jobs threads; outcomes are in task order.
std::vector<BatchOutcome> run_batch(const std::vector<BatchTask>& tasks, const BatchSettings& settings);

/// Resume bookkeeping for a front end: how many tasks were skipped, rendered, failed.
struct BatchCounts {
    std::size_t rendered = 0, skipped = 0, failed = 0, not_started = 0;
};
BatchCounts count_outcomes(const std::vector<BatchOutcome>& outcomes);

}  // namespace earshot
