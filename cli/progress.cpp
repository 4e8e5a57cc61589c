#include "progress.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace earshot::cli {

namespace {
constexpr double kExpectedSecondsToShow = 2.0;  // show only for work expected to take longer
constexpr double kMinSecondsBeforeJudging = 0.3;
constexpr double kRedrawSeconds = 0.1;
constexpr int kWidth = 30;
}  // namespace

ProgressBar::ProgressBar(std::size_t num_tasks, bool enabled)
    : enabled_(enabled && ::isatty(STDERR_FILENO) == 1),
      fractions_(num_tasks, 0.0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::update(std::size_t task, double fraction) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    if (task < fractions_.size()) fractions_[task] = std::clamp(fraction, 0.0, 1.0);
    const double total = std::accumulate(fractions_.begin(), fractions_.end(), 0.0) /
                         static_cast<double>(std::max<std::size_t>(1, fractions_.size()));
    draw_locked(total);
}

void ProgressBar::draw_locked(double total) {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (!drawn_) {
        if (elapsed < kMinSecondsBeforeJudging || total >= 1.0) return;
        const double projected = total > 0 ? elapsed / total : 1e9;
        if (projected < kExpectedSecondsToShow) return;
    } else if (std::chrono::duration<double>(now - last_draw_).count() < kRedrawSeconds) {
        return;
    }
    last_draw_ = now;
    const int filled = static_cast<int>(total * kWidth + 0.5);
    std::string eta;
    if (total > 0.01) eta = fmt::format("  {:.0f} s left", std::max(0.0, elapsed / total - elapsed));
    std::string files;
    if (fractions_.size() > 1) {
        const auto finished = std::count_if(fractions_.begin(), fractions_.end(), [](double f) { return f >= 1.0; });
        files = fmt::format("  {}/{} files", finished, fractions_.size());
    }
    fmt::print(stderr, "\r[{}{}] {:3.0f}%{}{}\x1b[K", std::string(static_cast<std::size_t>(filled), '#'),
               std::string(static_cast<std::size_t>(kWidth - filled), '.'), total * 100, files, eta);
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::clear() {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    if (drawn_) {
        fmt::print(stderr, "\r\x1b[K");
        std::fflush(stderr);
        drawn_ = false;
    }
}

}  // namespace earshot::cli
