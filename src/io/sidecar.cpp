#include "earshot/io/sidecar.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <system_error>

#include "earshot/core/build_info.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/sha256.hpp"
#include "earshot/core/temp_file.hpp"
#include "earshot/core/text_file.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/io/listener_file.hpp"
#include "earshot/version.hpp"
#include "json_text.hpp"

namespace earshot {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// Names relative to the sidecar's folder (presets as they are), and back.
std::string rel(const fs::path& dir, const std::string& abs) {
    if (abs.empty()) return abs;
    const fs::path r = fs::path(abs).lexically_relative(dir);
    return r.empty() ? abs : r.string();
}

template <class T>
json opt(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}
json str(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json params_json(const RenderParams& p, const fs::path& dir) {
    json j;
    j["listener"] = str(is_listener_preset_id(p.listener) ? p.listener : rel(dir, p.listener));
    j["implant"] = str(p.implant.empty() || !fs::path(p.implant).is_absolute() ? p.implant : rel(dir, p.implant));
    j["implant_ear"] = p.implant_ear;
    j["intensity"] = opt(p.intensity);
    j["crossover_hz"] = opt(p.crossover_hz);
    j["scene"] = str(rel(dir, p.scene));
    j["body"] = str(rel(dir, p.body));
    j["level_db_spl"] = opt(p.level_db_spl);
    j["full_scale_db_spl"] = p.full_scale_db_spl;
    j["level_measure"] = p.level_measure;
    j["seed"] = opt(p.seed);
    j["hearing_aid"] = p.hearing_aid;
    j["field"] = p.field;
    j["degree"] = str(p.degree);
    j["smearing"] = p.smearing;
    j["ear"] = str(p.ear);
    j["both_ears"] = p.both_ears;
    j["limit_dbfs"] = opt(p.limit_dbfs);
    j["format"] = str(p.format);
    j["block_frames"] = p.block_frames;
    return j;
}

json files_json(const Provenance& prov, const fs::path& dir) {
    json j = json::object();
    for (const auto& [role, f] : prov.files) j[role] = {{"path", rel(dir, f.first.string())}, {"sha256", f.second}};
    return j;
}

// The part a resumed batch compares.
json identity_json(const ManifestRow& row, const Provenance& prov) {
    const fs::path dir = row.output.parent_path();
    return json{{"version", kVersion},
                {"input", rel(dir, row.input.string())},
                {"input_sha256", prov.input_sha256},
                {"parameters", params_json(row.params, dir)},
                {"files", files_json(prov, dir)}};
}

}  // namespace

fs::path sidecar_path(const fs::path& output) { return fs::path(output.string() + ".json"); }

Provenance provenance_of(const ManifestRow& row) {
    Provenance p;
    p.input_sha256 = sha256_file(row.input);
    auto add = [&](const char* role, const std::string& name) {
        if (name.empty()) return;
        const fs::path f = role == std::string("listener") ? listener_file_part(name) : fs::path(name);
        p.files[role] = {f, sha256_file(f)};
    };
    if (!row.params.listener.empty() && !is_listener_preset_id(row.params.listener)) add("listener", row.params.listener);
    if (!row.params.implant.empty() && fs::path(row.params.implant).is_absolute()) add("implant", row.params.implant);
    add("scene", row.params.scene);
    add("body", row.params.body);
    return p;
}

std::string sidecar_json(const ManifestRow& row, const Provenance& prov, const RenderReport& r,
                         const std::string& output_sha256) {
    const fs::path dir = row.output.parent_path();
    json j;
    j["earshot"] = {{"version", kVersion}, {"build", build_description()}};
    j["input"] = {{"path", rel(dir, row.input.string())}, {"sha256", prov.input_sha256}};
    j["output"] = {{"path", row.output.filename().string()},
                   {"format", std::string(audio_format_name(r.format))},
                   {"sha256", output_sha256},
                   {"frames", r.frames},
                   {"sample_rate_hz", r.sample_rate_hz},
                   {"channels", r.num_channels}};
    j["parameters"] = params_json(row.params, dir);
    j["files"] = files_json(prov, dir);
    j["calibration"] = {{"full_scale_db_spl", r.calibration.full_scale_db_spl},
                        {"measured_level_dbfs", opt(r.active_level_dbfs)},
                        {"level_measure", row.params.level_measure}};
    j["latency_samples"] = r.latency_samples;
    j["seed"] = opt(row.params.seed);
    j["notes"] = r.notes;
    j["warnings"] = r.warnings;
    return j.dump(2) + "\n";
}

void write_sidecar(const ManifestRow& row, const Provenance& prov, const RenderReport& report) {
    const std::string text = sidecar_json(row, prov, report, sha256_file(row.output));
    TempFile t(sidecar_path(row.output));
    t.write_all(text.data(), text.size());
    t.commit();
}

bool sidecar_matches(const ManifestRow& row, const Provenance& prov) {
    const fs::path sc = sidecar_path(row.output);
    std::error_code ec;
    if (!fs::is_regular_file(row.output, ec) || !fs::is_regular_file(sc, ec)) return false;
    try {
        const auto j = json::parse(read_text_file(sc, "sidecar"));
        const json have{{"version", j.at("earshot").at("version")},
                        {"input", j.at("input").at("path")},
                        {"input_sha256", j.at("input").at("sha256")},
                        {"parameters", j.at("parameters")},
                        {"files", j.at("files")}};
        if (have != identity_json(row, prov)) return false;
        return j.at("output").at("sha256").get<std::string>() == sha256_file(row.output);
    } catch (const std::exception&) {
        return false;  // unreadable or not a sidecar: render again
    }
}

SidecarRecord read_sidecar(const fs::path& sidecar) {
    const std::string name = sidecar.string();
    const nlohmann::json j = detail::parse_json_text(read_text_file(sidecar, "sidecar"), name);
    std::error_code ec;
    const fs::path dir = fs::absolute(sidecar, ec).parent_path();
    return detail::json_errors(name, [&] {
        auto need = [&](const nlohmann::json& o, const char* key, const char* where) -> const nlohmann::json& {
            if (!o.is_object() || !o.contains(key))
                throw ConfigError(fmt::format("{}: {}{}: missing (not an earshot sidecar?)", name, where, key));
            return o.at(key);
        };
        SidecarRecord s;
        s.version = need(need(j, "earshot", ""), "version", "earshot.").get<std::string>();
        const auto& in = need(j, "input", "");
        s.row.input = resolve_relative(dir, need(in, "path", "input.").get<std::string>());
        s.prov.input_sha256 = need(in, "sha256", "input.").get<std::string>();
        s.row.output = resolve_relative(dir, need(need(j, "output", ""), "path", "output.").get<std::string>());
        const auto& p = need(j, "parameters", "");
        auto text = [&](const char* key) {
            const auto& v = need(p, key, "parameters.");
            return v.is_null() ? std::string() : v.get<std::string>();
        };
        auto num = [&](const char* key) {
            const auto& v = need(p, key, "parameters.");
            return v.is_null() ? std::optional<double>() : std::optional<double>(v.get<double>());
        };
        RenderParams& r = s.row.params;
        r.listener = resolve_listener_name(dir, text("listener"));
        r.implant = resolve_implant_name(dir, text("implant"));
        r.implant_ear = text("implant_ear");
        r.intensity = num("intensity");
        r.crossover_hz = num("crossover_hz");
        if (const std::string sc = text("scene"); !sc.empty()) r.scene = resolve_relative(dir, sc).string();
        if (const std::string b = text("body"); !b.empty()) r.body = resolve_relative(dir, b).string();
        r.level_db_spl = num("level_db_spl");
        r.full_scale_db_spl = need(p, "full_scale_db_spl", "parameters.").get<double>();
        r.level_measure = text("level_measure");
        if (const auto& v = need(p, "seed", "parameters."); !v.is_null()) r.seed = v.get<std::uint64_t>();
        r.hearing_aid = text("hearing_aid");
        r.field = text("field");
        r.degree = text("degree");
        r.smearing = need(p, "smearing", "parameters.").get<bool>();
        r.ear = text("ear");
        r.both_ears = need(p, "both_ears", "parameters.").get<bool>();
        r.limit_dbfs = num("limit_dbfs");
        r.format = text("format");
        if (r.format.empty()) r.format = need(need(j, "output", ""), "format", "output.").get<std::string>();
        r.block_frames = need(p, "block_frames", "parameters.").get<std::size_t>();
        if (j.contains("files") && j.at("files").is_object())
            for (const auto& [role, f] : j.at("files").items())
                s.prov.files[role] = {resolve_relative(dir, need(f, "path", "files.").get<std::string>()),
                                      need(f, "sha256", "files.").get<std::string>()};
        return s;
    });
}

}  // namespace earshot
