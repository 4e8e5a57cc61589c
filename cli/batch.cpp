#include "batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <map>
#include <set>
#include <system_error>
#include <thread>

#include "earshot/core/temp_file.hpp"

namespace earshot::cli {
namespace fs = std::filesystem;

namespace {

bool has_audio_extension(const fs::path& p) {
    static const std::set<std::string> kExtensions{".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3",
                                                   ".aif", ".aiff", ".au", ".caf", ".w64"};
    std::string ext = p.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return kExtensions.count(ext) > 0;
}

}  // namespace

std::vector<fs::path> expand_inputs(const std::vector<fs::path>& inputs) {
    std::vector<fs::path> files;
    for (const auto& in : inputs) {
        std::error_code ec;
        if (!fs::is_directory(in, ec)) {
            files.push_back(in);
            continue;
        }
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator(in, ec)) {
            const fs::path& p = entry.path();
            const std::string name = p.filename().string();
            if (name.empty() || name[0] == '.') continue;  // hidden files, including earshot's own temp files
            std::error_code e2;
            if (entry.is_regular_file(e2) && has_audio_extension(p)) found.push_back(p);
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

std::vector<BatchTask> plan_batch(const std::vector<fs::path>& inputs, const fs::path& out_dir,
                                  std::string_view extension, OutputPlan& plan) {
    std::vector<BatchTask> tasks;
    for (const auto& in : inputs) {
        BatchTask t{in, out_dir / (in.stem().string() + std::string(extension)), {}};
        if (std::string why = plan.claim_output(t.out, fmt::format("the output of {}", printable(in))); !why.empty())
            t.error = std::move(why);
        tasks.push_back(std::move(t));
    }
    return tasks;
}

std::vector<BatchOutcome> run_batch(const std::vector<BatchTask>& tasks, const RenderOptions& options,
                                    std::size_t jobs, ProgressBar& progress) {
    std::vector<BatchOutcome> outcomes(tasks.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (;;) {
            if (interrupt_signal() != 0) return;  // stop starting new files
            const std::size_t i = next.fetch_add(1);
            if (i >= tasks.size()) return;
            const BatchTask& t = tasks[i];
            outcomes[i].started = true;
            if (!t.error.empty()) {
                outcomes[i].error = t.error;
                progress.update(i, 1.0);
                continue;
            }
            try {
                outcomes[i].report = render_file(t.in, t.out, options, [&](double f) { progress.update(i, f); });
            } catch (const std::exception& e) {
                outcomes[i].error = e.what();
            }
            progress.update(i, 1.0);
        }
    };
    const std::size_t n = std::clamp<std::size_t>(jobs, 1, std::max<std::size_t>(1, tasks.size()));
    std::vector<std::thread> pool;
    for (std::size_t k = 1; k < n; ++k) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    return outcomes;
}

int report_interrupted(const std::vector<BatchTask>& tasks, const std::vector<BatchOutcome>& outcomes, int signal_number) {
    std::size_t done = 0;
    for (const auto& o : outcomes) done += o.report.has_value();
    fmt::print(stderr, "earshot: {}; {} of {} files done:\n", Interrupted(signal_number).what(), done, tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const char* state = outcomes[i].report ? "done" : !outcomes[i].started ? "not started" : "removed (unfinished)";
        if (outcomes[i].started && !outcomes[i].report && !outcomes[i].error.empty() &&
            outcomes[i].error.find("interrupted") == std::string::npos)
            state = "failed";
        fmt::print(stderr, "  {}: {}\n", state, printable(tasks[i].out));
    }
    return 128 + signal_number;
}

}  // namespace earshot::cli
