// earshot._batch, _manifest_plan and _render_row: the library's batch driver (earshot/io/batch.hpp) for
// earshot.batch and earshot.dask (python/earshot/_batch.py, dask.py). Outcomes become dicts; nothing is decided
// here. The GIL is released while rendering.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "convert.hpp"
#include "earshot/engine/model_cache.hpp"
#include "earshot/io/batch.hpp"
#include "earshot/io/manifest.hpp"
#include "earshot/io/output_plan.hpp"

namespace earshot::py {
namespace {

const char* status_of(const BatchOutcome& o) {
    if (o.skipped) return "skipped";
    if (o.report) return "rendered";
    return o.started ? "failed" : "not started";
}

pyb::dict row_dict(std::size_t index, const BatchTask& t, const BatchOutcome* o) {
    pyb::dict d;
    d["index"] = index;
    d["line"] = t.row ? t.row->line : 0;
    d["input"] = t.in.string();
    d["output"] = t.out.string();
    d["error"] = o ? o->error : t.error;
    if (o) d["status"] = status_of(*o);
    return d;
}

// The rows of a manifest a worker process has read (a Dask worker renders many rows of one manifest), read
// again when the file's size or modification time has changed.
std::shared_ptr<const std::vector<ManifestRow>> rows_of(const std::string& manifest) {
    static std::mutex mutex;
    static std::map<std::string, std::pair<std::string, std::shared_ptr<const std::vector<ManifestRow>>>> cache;
    std::error_code ec;
    const auto stamp = std::to_string(std::filesystem::file_size(manifest, ec)) + "/" +
                       std::to_string(std::filesystem::last_write_time(manifest, ec).time_since_epoch().count());
    std::lock_guard lock(mutex);
    auto& slot = cache[manifest];
    if (!slot.second || slot.first != stamp)
        slot = {stamp, std::make_shared<const std::vector<ManifestRow>>(read_manifest(manifest))};
    return slot.second;
}

}  // namespace

void init_batch(pyb::module_& m) {
    m.def(
        "_batch",
        [](const std::string& manifest, std::size_t jobs, bool resume) {
            std::vector<BatchTask> tasks;
            std::vector<BatchOutcome> outcomes;
            {
                pyb::gil_scoped_release release;
                tasks = plan_manifest_file(manifest);
                outcomes = run_batch(tasks, {jobs, resume, {}});
            }
            pyb::list out;
            for (std::size_t i = 0; i < tasks.size(); ++i) out.append(row_dict(i, tasks[i], &outcomes[i]));
            return out;
        },
        pyb::arg("manifest"), pyb::arg("jobs") = 0, pyb::arg("resume") = true);
    m.def(
        "_manifest_plan",
        [](const std::string& manifest) {
            std::vector<BatchTask> tasks;
            {
                pyb::gil_scoped_release release;
                tasks = plan_manifest_file(manifest);
            }
            pyb::list out;
            for (std::size_t i = 0; i < tasks.size(); ++i) out.append(row_dict(i, tasks[i], nullptr));
            return out;
        },
        pyb::arg("manifest"));
    m.def(
        "_render_row",
        [](const std::string& manifest, std::size_t index, bool resume) {
            thread_local ModelCache cache;  // this worker thread's engines, kept across its rows
            BatchOutcome o;
            BatchTask t;
            {
                pyb::gil_scoped_release release;
                const auto rows = rows_of(manifest);
                o = run_manifest_row(*rows, index, manifest, resume, &cache);
                if (index < rows->size()) t.in = (*rows)[index].input, t.out = (*rows)[index].output, t.row = (*rows)[index];
            }
            return row_dict(index, t, &o);
        },
        pyb::arg("manifest"), pyb::arg("index"), pyb::arg("resume") = true);
}

}  // namespace earshot::py
