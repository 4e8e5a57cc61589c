#include "batch.hpp"

#include <fmt/format.h>

#include <string>

#include "earshot/core/temp_file.hpp"

namespace earshot::cli {

int report_interrupted(const std::vector<BatchTask>& tasks, const std::vector<BatchOutcome>& outcomes, int signal_number) {
    std::size_t done = 0;
    for (const auto& o : outcomes) done += o.report.has_value() || o.skipped;
    fmt::print(stderr, "earshot: {}; {} of {} files done:\n", Interrupted(signal_number).what(), done, tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const BatchOutcome& o = outcomes[i];
        const char* state = o.skipped ? "done (already)" : o.report ? "done" : !o.started ? "not started" : "removed (unfinished)";
        if (o.started && !o.report && !o.skipped && !o.error.empty() && o.error.find("interrupted") == std::string::npos)
            state = "failed";
        fmt::print(stderr, "  {}: {}\n", state, printable(tasks[i].out));
    }
    return 128 + signal_number;
}

}  // namespace earshot::cli
