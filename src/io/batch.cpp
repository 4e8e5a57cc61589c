#include "earshot/io/batch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <map>
#include <set>
#include <system_error>
#include <thread>

#include "earshot/core/error.hpp"
#include "earshot/core/temp_file.hpp"
#include "earshot/engine/model_cache.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/io/listener_file.hpp"
#include "earshot/io/sidecar.hpp"

namespace earshot {
namespace fs = std::filesystem;

namespace {

bool has_audio_extension(const fs::path& p) {
    static const std::set<std::string> kExtensions{".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3",
                                                   ".aif", ".aiff", ".au", ".caf", ".w64"};
    std::string ext = p.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return kExtensions.count(ext) > 0;
}

template <class T>
std::string opt_text(const std::optional<T>& v) {
    return v ? fmt::format("{}", *v) : std::string("-");
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

std::vector<BatchTask> plan_batch(const std::vector<fs::path>& inputs, const fs::path& out_dir, std::string_view extension,
                                  OutputPlan& plan, std::shared_ptr<const RenderOptions> options) {
    std::vector<BatchTask> tasks;
    for (const auto& in : inputs) {
        BatchTask t{in, out_dir / (in.stem().string() + std::string(extension)), options, std::nullopt, {}};
        if (std::string why = plan.claim_output(t.out, fmt::format("the output of {}", printable(in))); !why.empty())
            t.error = std::move(why);
        tasks.push_back(std::move(t));
    }
    return tasks;
}

std::string model_key(const RenderParams& p) {
    // Every field but the format (an output encoding, not the model), in a fixed order; doubles exactly.
    auto num = [](const std::optional<double>& v) { return v ? fmt::format("{:a}", *v) : std::string("-"); };
    return fmt::format("l={}\ni={}\nie={}\nit={}\nx={}\ns={}\nb={}\nL={}\nfs={:a}\nm={}\nseed={}\nha={}\nf={}\nd={}\n"
                       "sm={}\ne={}\nbe={}\nlim={}\nbf={}",
                       p.listener, p.implant, p.implant_ear, num(p.intensity), num(p.crossover_hz), p.scene, p.body,
                       num(p.level_db_spl), p.full_scale_db_spl, p.level_measure, opt_text(p.seed), p.hearing_aid,
                       p.field, p.degree, p.smearing, p.ear, p.both_ears, num(p.limit_dbfs), p.block_frames);
}

std::vector<BatchTask> plan_manifest(const std::vector<ManifestRow>& rows, std::string_view manifest_name, OutputPlan& plan) {
    for (const auto& r : rows) {
        plan.add_input(r.input, "input");
        add_side_inputs(plan, r.params.listener, r.params.implant, r.params.scene, r.params.body, "");
    }
    // One resolution per distinct parameter set (format and block size included: they are options too).
    std::map<std::string, std::pair<std::shared_ptr<const RenderOptions>, std::string>> resolved;
    std::vector<BatchTask> tasks;
    for (const auto& r : rows) {
        BatchTask t;
        t.in = r.input;
        t.out = r.output;
        t.row = r;
        const std::string place = fmt::format("{}:{}", manifest_name, r.line);
        const std::string key = model_key(r.params);
        auto it = resolved.find(key + "\nformat=" + r.params.format);
        if (it == resolved.end()) {
            std::shared_ptr<const RenderOptions> opt;
            std::string err;
            try {
                auto o = std::make_shared<RenderOptions>(make_render_options(r.params));
                o->model_key = key;
                opt = std::move(o);
            } catch (const std::exception& e) {
                err = e.what();
            }
            it = resolved.emplace(key + "\nformat=" + r.params.format, std::pair{opt, err}).first;
        }
        t.options = it->second.first;
        if (!it->second.second.empty()) t.error = fmt::format("{}: {}", place, it->second.second);
        if (t.error.empty()) {
            try {
                const AudioFormat f = t.options->format ? *t.options->format : audio_format_for_path(r.output);
                const std::string ext = r.output.extension().string();
                if (t.options->format && ext != std::string(audio_format_extension(f)))
                    t.error = fmt::format("{}: {}: extension {} does not match format {} (use {})", place,
                                          printable(r.output), ext, audio_format_name(f), audio_format_extension(f));
            } catch (const std::exception& e) {
                t.error = fmt::format("{}: {}", place, e.what());
            }
        }
        const std::string role = fmt::format("the output of {}", place);
        if (std::string why = plan.claim_output(r.output, role); !why.empty() && t.error.empty()) t.error = why;
        if (std::string why = plan.claim_output(sidecar_path(r.output), "the sidecar of " + place);
            !why.empty() && t.error.empty())
            t.error = why;
        if (!t.error.empty()) t.options.reset();
        tasks.push_back(std::move(t));
    }
    return tasks;
}

BatchOutcome run_task(const BatchTask& task, bool resume, ModelCache* cache, const std::function<void(double)>& progress) {
    BatchOutcome o;
    o.started = true;
    if (!task.error.empty()) {
        o.error = task.error;
        return o;
    }
    try {
        std::optional<Provenance> prov;
        if (task.row) {
            prov = provenance_of(*task.row);
            if (resume && sidecar_matches(*task.row, *prov)) {
                o.skipped = true;
                return o;
            }
            std::error_code ec;
            fs::remove(sidecar_path(task.out), ec);  // a stale sidecar never describes the new output
            // A manifest's output folders are made as needed (out/<speaker>/<file>.wav).
            if (const fs::path dir = task.out.parent_path(); !dir.empty() && !fs::is_directory(dir, ec)) {
                fs::create_directories(dir, ec);
                if (ec)
                    throw IoError(fmt::format("{}: cannot create the output folder ({})", printable(dir), ec.message()));
            }
        }
        o.report = render_file(task.in, task.out, *task.options, progress, cache);
        if (task.row) write_sidecar(*task.row, *prov, *o.report);
    } catch (const std::exception& e) {
        o.error = e.what();
        o.report.reset();
    }
    return o;
}

BatchOutcome run_manifest_row(const std::vector<ManifestRow>& rows, std::size_t index, std::string_view manifest_name,
                              bool resume, ModelCache* cache) {
    if (index >= rows.size()) {
        BatchOutcome o;
        o.started = true;
        o.error = fmt::format("{}: no row {} (the manifest has {})", manifest_name, index, rows.size());
        return o;
    }
    try {
        OutputPlan plan;
        plan.add_input(std::string(manifest_name), "manifest");
        const auto tasks = plan_manifest({rows[index]}, manifest_name, plan);
        return run_task(tasks.front(), resume, cache);
    } catch (const std::exception& e) {
        BatchOutcome o;
        o.started = true;
        o.error = e.what();
        return o;
    }
}

std::vector<BatchTask> plan_manifest_file(const fs::path& manifest) {
    const std::vector<ManifestRow> rows = read_manifest(manifest);
    OutputPlan plan;
    plan.add_input(manifest, "manifest");
    return plan_manifest(rows, manifest.string(), plan);
}

std::vector<BatchOutcome> run_batch(const std::vector<BatchTask>& tasks, const BatchSettings& settings) {
    std::vector<BatchOutcome> outcomes(tasks.size());
    std::atomic<std::size_t> next{0};
    auto report = [&](std::size_t i, double f) {
        if (settings.progress) settings.progress(i, f);
    };
    auto worker = [&] {
        ModelCache cache;  // this worker's engines (one per description, calibration and rate)
        for (;;) {
            if (interrupt_signal() != 0) return;  // stop starting new files
            const std::size_t i = next.fetch_add(1);
            if (i >= tasks.size()) return;
            outcomes[i] = run_task(tasks[i], settings.resume, &cache, [&](double f) { report(i, f); });
            report(i, 1.0);
        }
    };
    const std::size_t want = settings.jobs > 0 ? settings.jobs : std::max(1u, std::thread::hardware_concurrency());
    const std::size_t n = std::clamp<std::size_t>(want, 1, std::max<std::size_t>(1, tasks.size()));
    std::vector<std::thread> pool;
    for (std::size_t k = 1; k < n; ++k) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    return outcomes;
}

BatchCounts count_outcomes(const std::vector<BatchOutcome>& outcomes) {
    BatchCounts c;
    for (const auto& o : outcomes) {
        if (!o.started) ++c.not_started;
        else if (o.skipped) ++c.skipped;
        else if (o.report) ++c.rendered;
        else ++c.failed;
    }
    return c;
}

}  // namespace earshot
