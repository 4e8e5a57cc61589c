#pragma once
// The earshot subcommands. Each registers its options on the app and returns a runner that executes it
// after parsing. Runners return the process exit code and let earshot::Error escape (main maps it:
// ConfigError -> 2, anything else -> 1), so every failure reaches the user as one line.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace earshot::cli {

/// Exit codes of the earshot command.
enum ExitCode : int { kOk = 0, kFailure = 1, kUsage = 2 };

struct Command {
    CLI::App* app;             ///< the subcommand
    std::function<int()> run;  ///< runs it after parsing; returns the exit code
};

Command add_render_command(CLI::App& app);
Command add_presets_command(CLI::App& app);
Command add_listener_command(CLI::App& app);
Command add_electrodogram_command(CLI::App& app);
Command add_score_command(CLI::App& app);
Command add_scene_command(CLI::App& app);
Command add_batch_command(CLI::App& app);

/// earshot render --from-sidecar SIDECAR [OUT] (cmd_batch.cpp).
int run_from_sidecar(const std::string& sidecar, const std::vector<std::string>& paths, bool quiet);

}  // namespace earshot::cli
