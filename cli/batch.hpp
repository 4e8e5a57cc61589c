#pragma once
// Batch rendering: several inputs (or directories of them) into one output directory, one file per task
// on a small thread pool. A failing file is recorded and the rest complete.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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
};

/// Audio files named by `inputs`: files as given (even missing ones, which then fail as tasks) and the
/// regular, non-hidden files with an audio extension directly inside each directory (sorted by name).
std::vector<std::filesystem::path> expand_inputs(const std::vector<std::filesystem::path>& inputs);

/// Pairs every input with `<out_dir>/<stem><extension>`; two inputs mapping to the same output make the
/// later one a failing task.
std::vector<BatchTask> plan_batch(const std::vector<std::filesystem::path>& inputs,
                                  const std::filesystem::path& out_dir, std::string_view extension);

/// Runs the tasks on `jobs` threads; outcomes are in task order.
std::vector<BatchOutcome> run_batch(const std::vector<BatchTask>& tasks, const RenderOptions& options,
                                    std::size_t jobs, ProgressBar& progress);

}  // namespace earshot::cli
