#pragma once
// Batch rendering: several inputs (or directories of them) into one output directory, one file per task
// on a small thread pool. A failing file is recorded and the rest complete. No task overwrites an input of
// the batch or another task's output (OutputPlan: such a task fails before anything is written, the rest
// render). An interrupt (SIGINT/SIGTERM/SIGHUP, cooperative mode of temp_file.hpp) stops new tasks from
// starting; the running ones stop at their next block and their temp files are removed.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "earshot/io/output_plan.hpp"
#include "earshot/io/render.hpp"
#include "progress.hpp"

namespace earshot::cli {

struct BatchTask {
    std::filesystem::path in;
    std::filesystem::path out;
    std::string error;  ///< set before running when the task cannot run (e.g. an output name collision)
};

struct BatchOutcome {
    std::optional<RenderReport> report;  ///< set on success
    std::string error;                   ///< one line, set on failure
    bool started = false;                ///< false when an interrupt came before the task started
};

/// Audio files named by `inputs`: files as given (even missing ones, which then fail as tasks) and the
/// regular, non-hidden files with an audio extension directly inside each directory (sorted by name).
std::vector<std::filesystem::path> expand_inputs(const std::vector<std::filesystem::path>& inputs);

/// Pairs every input with `<out_dir>/<stem><extension>`. `plan` already holds every input of the command;
/// an output that is one of them, or that another task already writes, makes its task fail (with a
/// one-line error) before anything is written.
std::vector<BatchTask> plan_batch(const std::vector<std::filesystem::path>& inputs,
                                  const std::filesystem::path& out_dir, std::string_view extension, OutputPlan& plan);

/// Runs the tasks on `jobs` threads; outcomes are in task order.
std::vector<BatchOutcome> run_batch(const std::vector<BatchTask>& tasks, const RenderOptions& options,
                                    std::size_t jobs, ProgressBar& progress);

/// After an interrupt: prints (stderr) which outputs were completed and which were removed or not started;
/// returns the exit code 128 + signal.
int report_interrupted(const std::vector<BatchTask>& tasks, const std::vector<BatchOutcome>& outcomes, int signal_number);

}  // namespace earshot::cli
