#pragma once
// Printing the end of an interrupted batch (the driver itself is the library's: earshot/io/batch.hpp).
#include <vector>

#include "earshot/io/batch.hpp"

namespace earshot::cli {

/// After an interrupt: prints (stderr) which outputs were completed and which were removed or not started;
/// returns the exit code 128 + signal.
int report_interrupted(const std::vector<BatchTask>& tasks, const std::vector<BatchOutcome>& outcomes, int signal_number);

}  // namespace earshot::cli
