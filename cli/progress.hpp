#pragma once
// A hand-rolled progress bar on stderr. It draws only when stderr is a terminal and the work is expected
// to take more than about 2 s (judged from the rate so far), so short runs and redirected output stay
// silent. Thread-safe: several tasks report their own fraction.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace earshot::cli {

class ProgressBar {
public:
    /// enabled = false (e.g. --quiet) never draws; otherwise draws only if stderr is a terminal.
    ProgressBar(std::size_t num_tasks, bool enabled);
    ~ProgressBar();
    /// Task `task` has completed `fraction` (0..1) of its work.
    void update(std::size_t task, double fraction);
    /// Erases the bar (call before printing other lines to stderr).
    void clear();

private:
    void draw_locked(double total);

    std::mutex mutex_;
    bool enabled_;
    bool drawn_ = false;
    std::vector<double> fractions_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace earshot::cli
