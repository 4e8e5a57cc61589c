#include "earshot/io/listener_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "json_text.hpp"
#include "implant_json.hpp"
#include "toml_json.hpp"
#include <optional>
#include <sstream>
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/core/text_file.hpp"
#include "earshot/hearing/hearing_names.hpp"
#include "earshot/io/file_keys.hpp"
#include "earshot/hearing/presets.hpp"

namespace earshot {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

enum class Format { toml, json };

// Everything a message needs to name the place of an error.
struct Ctx {
    std::string file;  // as the user gave it
    Format format;
    fs::path path;     // the base of relative implant file paths
};

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string type_name(const json& j, Format f) {
    if (j.is_number()) return "a number";
    if (j.is_string()) return "a string";
    if (j.is_boolean()) return "a boolean";
    if (j.is_array()) return "an array";
    if (j.is_object()) return f == Format::toml ? "a table" : "an object";
    return "null";
}

// --- TOML -> JSON value tree (one interpreter serves both formats: toml_json.hpp) ---------------------
json parse_toml(const std::string& text, const Ctx& ctx) { return detail::parse_toml_text(text, ctx.file); }

json parse_json(const std::string& text, const Ctx& ctx) { return detail::parse_json_text(text, ctx.file); }

// --- value readers ------------------------------------------------------------------------------------
std::string get_string(const json& obj, const char* key, const Ctx& ctx, const std::string& where) {
    const json& v = obj.at(key);
    if (!v.is_string())
        throw ConfigError(fmt::format("{}: {}: expected a string, got {}", ctx.file, where, type_name(v, ctx.format)));
    return v.get<std::string>();
}

std::vector<double> get_numbers(const json& obj, const char* key, const Ctx& ctx, const std::string& where) {
    const json& v = obj.at(key);
    if (!v.is_array())
        throw ConfigError(fmt::format("{}: {}: expected an array of numbers, got {}", ctx.file, where,
                                      type_name(v, ctx.format)));
    std::vector<double> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number())
            throw ConfigError(fmt::format("{}: {} value {}: expected a number, got {}", ctx.file, where, i + 1,
                                          type_name(v[i], ctx.format)));
        out.push_back(v[i].get<double>());
    }
    return out;
}

void check_keys(const json& obj, const std::vector<std::string_view>& accepted, const Ctx& ctx,
                const std::string& where) {
    std::vector<std::string> unknown;
    for (auto it = obj.begin(); it != obj.end(); ++it)
        if (std::none_of(accepted.begin(), accepted.end(), [&](std::string_view a) { return it.key() == a; }))
            unknown.push_back(it.key());
    if (!unknown.empty())
        throw ConfigError(fmt::format("{}: {}unknown key{} {} (accepted: {})", ctx.file, where.empty() ? "" : where + ": ",
                                      unknown.size() > 1 ? "s" : "", fmt::join(unknown, ", "),
                                      fmt::join(accepted, ", ")));
}

// Builds one audiogram from parallel arrays and checks it, naming the fields.
Audiogram make_audiogram(std::vector<double> freqs, std::vector<double> levels, const Ctx& ctx,
                         const std::string& freqs_field, const std::string& levels_field) {
    if (freqs.empty())
        throw ConfigError(fmt::format("{}: {}: empty (give at least one frequency in [{}, {}] Hz)", ctx.file,
                                      freqs_field, params::freq_hz.min_value, params::freq_hz.max_value));
    if (freqs.size() != levels.size())
        throw ConfigError(fmt::format("{}: {} has {} values but {} has {} (lengths must match)", ctx.file,
                                      freqs_field, freqs.size(), levels_field, levels.size()));
    for (std::size_t i = 0; i < freqs.size(); ++i) {
        params::freq_hz.check(freqs[i], fmt::format("{}: {} value {}", ctx.file, freqs_field, i + 1));
        if (i > 0 && !(freqs[i] > freqs[i - 1]))
            throw ConfigError(fmt::format("{}: {}: frequencies must be strictly ascending ({} Hz after {} Hz)",
                                          ctx.file, freqs_field, freqs[i], freqs[i - 1]));
        params::hl_db.check(levels[i], fmt::format("{}: {} at {} Hz", ctx.file, levels_field, freqs[i]));
    }
    return Audiogram{std::move(freqs), std::move(levels)};
}

void check_bone(const EarHearing& ear, const Ctx& ctx, const std::string& ear_name) {
    for (std::size_t i = 0; i < ear.bone.freqs_hz.size(); ++i) {
        const double f = ear.bone.freqs_hz[i];
        const double air = ear.air.at(f);
        if (ear.bone.hl_db[i] > air + kMaxBoneAboveAirDb)
            throw ConfigError(fmt::format(
                "{}: {}.bone_hl_db at {} Hz: {} dB HL is more than {} dB above the air threshold {} dB HL "
                "(bone conduction must be <= air + {} dB)",
                ctx.file, ear_name, f, ear.bone.hl_db[i], kMaxBoneAboveAirDb, air, kMaxBoneAboveAirDb));
    }
}

// --- earshot schema -----------------------------------------------------------------------------------
// The key tables (earshot/io/file_keys.hpp; docs/listener-files.md and docs/implant-files.md list the same).
using K = ValueKind;
const KeySpec kTopTable[] = {
    {"name", K::string, ""},
    {"description", K::string, ""},
    {"preset", K::string, ""},
    {"both", K::table, ""},
    {"left", K::table, ""},
    {"right", K::table, ""},
};
const KeySpec kEarAudiogramTable[] = {
    {"freqs_hz", K::numbers, "Hz", &params::freq_hz},
    {"hl_db", K::numbers, "dB HL", &params::hl_db},
    {"bone_freqs_hz", K::numbers, "Hz", &params::freq_hz},
    {"bone_hl_db", K::numbers, "dB HL", &params::hl_db},
};
const KeySpec kEarDeviceTable[] = {
    {"implant", K::string_or_table, ""},
    {"acoustic", K::boolean, ""},
    {"crossover_hz", K::number, "Hz", &params::crossover_hz},
    {"hearing_aid", K::string, "", nullptr, choices_of<names::hearing_aid>},
};
const KeyTable kListenerTables[] = {
    {"docs/listener-files.md", "earshot schema", kTopTable},
    {"docs/listener-files.md", "earshot schema", kEarAudiogramTable},
    {"docs/implant-files.md", "In listener files", kEarDeviceTable},
};


// The devices of one ear table: implant (preset name, implant file or a table of implant keys), acoustic,
// crossover_hz. Returns whether the ear table made the ear implant-only (then no audiogram is needed).
bool apply_ear_device(const json& tbl, EarDevice& dev, const Ctx& ctx, const std::string& name) {
    if (tbl.contains("implant")) {
        const json& v = tbl.at("implant");
        try {
            dev.implant = std::make_shared<const ImplantParams>(detail::implant_from_json(v, fmt::format("{}: {}.implant", ctx.file, name), ctx.path));
        } catch (const IoError& e) {
            throw IoError(fmt::format("{}: {}.implant: {}", ctx.file, name, e.what()));
        }
        dev.acoustic = false;
    }
    if (tbl.contains("acoustic")) {
        const json& v = tbl.at("acoustic");
        if (!v.is_boolean())
            throw ConfigError(fmt::format("{}: {}.acoustic: expected true or false, got {}", ctx.file, name, type_name(v, ctx.format)));
        dev.acoustic = v.get<bool>();
    }
    if (tbl.contains("crossover_hz")) {
        const json& v = tbl.at("crossover_hz");
        if (!v.is_number())
            throw ConfigError(fmt::format("{}: {}.crossover_hz: expected a number, got {}", ctx.file, name, type_name(v, ctx.format)));
        dev.crossover_hz = params::crossover_hz.check(v.get<double>(), fmt::format("{}: {}.crossover_hz", ctx.file, name));
        if (!tbl.contains("acoustic")) dev.acoustic = true;
    }
    if (tbl.contains("hearing_aid")) {
        const json& v = tbl.at("hearing_aid");
        const auto rule = v.is_string() ? names::hearing_aid.find(v.get<std::string>()) : std::nullopt;
        if (!rule)
            throw ConfigError(fmt::format("{}: {}.hearing_aid: expected \"nal-r\" or \"none\"{}", ctx.file, name,
                                          v.is_string() ? names::hearing_aid.suggestion(v.get<std::string>()) : ""));
        dev.hearing_aid = *rule == HearingAidRule::nal_r;
    }
    if (dev.hearing_aid && !dev.acoustic)
        throw ConfigError(fmt::format("{}: {}.hearing_aid: needs acoustic hearing on that ear", ctx.file, name));
    if (!dev.implant && !dev.acoustic)
        throw ConfigError(fmt::format("{}: {}.acoustic: false needs an implant on that ear (else the ear hears nothing; "
                                      "use the sudden-profound preset for a deaf ear)", ctx.file, name));
    if (dev.crossover_hz > 0 && !dev.implant)
        throw ConfigError(fmt::format("{}: {}.crossover_hz: needs an implant on that ear", ctx.file, name));
    return dev.implant && !dev.acoustic;
}

// Applies one [left]/[right]/[both] table to `ear`; returns whether it gave air thresholds.
bool apply_ear_table(const json& tbl, EarHearing& ear, const Ctx& ctx, const std::string& name) {
    if (!tbl.is_object())
        throw ConfigError(fmt::format("{}: {}: expected {} with freqs_hz and hl_db, got {}", ctx.file, name,
                                      ctx.format == Format::toml ? "a table" : "an object",
                                      type_name(tbl, ctx.format)));
    std::vector<std::string_view> ear_keys = key_names(kEarAudiogramTable);
    for (const auto& k : kEarDeviceTable) ear_keys.push_back(k.key);
    check_keys(tbl, ear_keys, ctx, name);
    auto pair = [&](const char* fk, const char* lk) -> std::optional<Audiogram> {
        const bool hf = tbl.contains(fk), hl = tbl.contains(lk);
        if (!hf && !hl) return std::nullopt;
        if (hf != hl)
            throw ConfigError(fmt::format("{}: {}: {} given without {} (give both)", ctx.file, name, hf ? fk : lk,
                                          hf ? lk : fk));
        const std::string ff = name + "." + fk, lf = name + "." + lk;
        return make_audiogram(get_numbers(tbl, fk, ctx, ff), get_numbers(tbl, lk, ctx, lf), ctx, ff, lf);
    };
    bool gave_air = false;
    if (auto air = pair("freqs_hz", "hl_db")) {
        ear.air = std::move(*air);
        gave_air = true;
    }
    if (auto bone = pair("bone_freqs_hz", "bone_hl_db")) ear.bone = std::move(*bone);
    return gave_air;
}

Listener read_earshot(const json& root, const Ctx& ctx, const fs::path& path) {
    if (!root.is_object())
        throw ConfigError(fmt::format("{}: expected {} at the top level, got {}", ctx.file,
                                      ctx.format == Format::toml ? "a table" : "an object",
                                      type_name(root, ctx.format)));
    check_keys(root, key_names(kTopTable), ctx, "");
    Listener l;
    bool have_left = false, have_right = false;
    std::string preset_id;
    if (root.contains("preset")) {
        preset_id = get_string(root, "preset", ctx, "preset");
        try {
            l = make_preset(preset_id);
        } catch (const ConfigError& e) {
            // make_preset names the CLI flag ("--listener: ..."); here the field is the place.
            std::string_view msg = e.what();
            if (msg.substr(0, 10) == "--listener") msg.remove_prefix(10);
            while (!msg.empty() && (msg.front() == ':' || msg.front() == ' ')) msg.remove_prefix(1);
            throw ConfigError(fmt::format("{}: preset: {}", ctx.file, msg));
        }
        have_left = have_right = true;
    }
    if (root.contains("both") && (root.contains("left") || root.contains("right")))
        throw ConfigError(fmt::format("{}: both: cannot be combined with left/right (use either both ears "
                                      "together or each ear on its own)",
                                      ctx.file));
    if (root.contains("both")) {
        EarHearing ear = l.left;
        if (apply_ear_table(root.at("both"), ear, ctx, "both")) have_left = have_right = true;
        l.left = ear;
        l.right = ear;
        if (apply_ear_device(root.at("both"), l.left_device, ctx, "both")) have_left = have_right = true;
        l.right_device = l.left_device;
    }
    if (root.contains("left") && apply_ear_table(root.at("left"), l.left, ctx, "left")) have_left = true;
    if (root.contains("right") && apply_ear_table(root.at("right"), l.right, ctx, "right")) have_right = true;
    // An implant-only ear needs no audiogram: it is profoundly deaf (120 dB HL, never heard acoustically).
    const Audiogram deaf{{250, 500, 1000, 2000, 4000, 8000}, {120, 120, 120, 120, 120, 120}};
    if (root.contains("left") && apply_ear_device(root.at("left"), l.left_device, ctx, "left") && !have_left)
        l.left.air = deaf, have_left = true;
    if (root.contains("right") && apply_ear_device(root.at("right"), l.right_device, ctx, "right") && !have_right)
        l.right.air = deaf, have_right = true;
    if (root.contains("both") && l.left_device.implant && !l.left_device.acoustic && l.left.air.empty())
        l.left.air = l.right.air = deaf, have_left = have_right = true;
    const char* tbl = ctx.format == Format::toml ? "table" : "object";
    if (!have_left || !have_right) {
        const char* missing = !have_left && !have_right ? "both ears" : !have_left ? "left" : "right";
        throw ConfigError(fmt::format("{}: {}: no air-conduction thresholds (give freqs_hz and hl_db in a "
                                      "'both', 'left' and 'right' {}, or a preset)",
                                      ctx.file, missing, tbl));
    }
    check_bone(l.left, ctx, root.contains("both") ? "both" : "left");
    check_bone(l.right, ctx, root.contains("both") ? "both" : "right");
    // Names and descriptions are shown on terminals and in figures: control characters escaped (printable).
    l.name = printable(root.contains("name") ? get_string(root, "name", ctx, "name") : path.stem().string());
    if (root.contains("description"))
        l.description = printable(get_string(root, "description", ctx, "description"));
    else if (root.contains("preset"))
        l.description = printable(fmt::format("listener file {}, based on preset {}", path.filename().string(), preset_id));
    else
        l.description = printable(fmt::format("listener file {}", path.filename().string()));
    l.validate(ctx.file);
    return l;
}

// --- Clarity / Cadenza listener JSON --------------------------------------------------------------------
// One listener: {"name": "L0001", "audiogram_cfs": [...], "audiogram_levels_l": [...],
// "audiogram_levels_r": [...]}; a listeners file maps ids to such objects. Keys other than these are
// ignored: the format belongs to the Clarity toolkit and its files carry fields earshot does not use.
bool is_clarity_listener(const json& j) { return j.is_object() && j.contains("audiogram_cfs"); }

bool is_clarity_listeners_file(const json& j) {
    if (!j.is_object() || j.empty()) return false;
    return std::all_of(j.begin(), j.end(), [](const json& v) { return is_clarity_listener(v); });
}

Listener read_clarity(const json& obj, const Ctx& ctx, const std::string& prefix, const std::string& id) {
    for (const char* k : {"audiogram_cfs", "audiogram_levels_l", "audiogram_levels_r"})
        if (!obj.contains(k))
            throw ConfigError(fmt::format("{}: {}{}: missing (a Clarity listener needs audiogram_cfs, "
                                          "audiogram_levels_l and audiogram_levels_r)",
                                          ctx.file, prefix, k));
    const std::string cfs_field = prefix + "audiogram_cfs";
    const std::vector<double> cfs = get_numbers(obj, "audiogram_cfs", ctx, cfs_field);
    Listener l;
    l.left.air = make_audiogram(cfs, get_numbers(obj, "audiogram_levels_l", ctx, prefix + "audiogram_levels_l"), ctx,
                                cfs_field, prefix + "audiogram_levels_l");
    l.right.air = make_audiogram(cfs, get_numbers(obj, "audiogram_levels_r", ctx, prefix + "audiogram_levels_r"), ctx,
                                 cfs_field, prefix + "audiogram_levels_r");
    if (obj.contains("name") && obj.at("name").is_string())
        l.name = printable(obj.at("name").get<std::string>());
    else
        l.name = printable(id.empty() ? fs::path(ctx.file).stem().string() : id);
    l.description = printable(fmt::format("Clarity listener {} from {}", l.name, fs::path(ctx.file).filename().string()));
    l.validate(ctx.file);
    return l;
}

Format format_of(const fs::path& path, const std::string& file) {
    const std::string ext = lower(path.extension().string());
    if (ext == ".toml") return Format::toml;
    if (ext == ".json") return Format::json;
    throw IoError(fmt::format("{}: unknown listener file type '{}' (accepted: .toml, .json)", file,
                              path.extension().string()));
}

bool has_listener_extension(const fs::path& p) {
    const std::string ext = lower(p.extension().string());
    return ext == ".toml" || ext == ".json";
}

// "file.json#ID" -> ("file.json", "ID") when file.json#ID itself is not an existing file.
std::pair<std::string, std::string> split_selector(const std::string& s) {
    std::error_code ec;
    const auto hash = s.rfind('#');
    if (hash == std::string::npos || fs::exists(s, ec)) return {s, ""};
    return {s.substr(0, hash), s.substr(hash + 1)};
}

Listener read_listener_root(const json& root, const Ctx& ctx, const fs::path& path, const std::string& id);

}  // namespace

std::span<const KeyTable> listener_key_tables() { return kListenerTables; }

Listener read_listener_file(const fs::path& path, std::string_view listener_id) {
    const std::string file = path.string();
    const Ctx ctx{file, format_of(path, file), path};
    const ReferenceGuard on_chain(path);
    const std::string text = read_text_file(path, "listener file");
    const json root = ctx.format == Format::toml ? parse_toml(text, ctx) : parse_json(text, ctx);
    return detail::json_errors(file, [&] { return read_listener_root(root, ctx, path, std::string(listener_id)); });
}

namespace {
Listener read_listener_root(const json& root, const Ctx& ctx, const fs::path& path, const std::string& id) {
    const std::string& file = ctx.file;
    if (ctx.format == Format::json && is_clarity_listener(root)) {
        if (!id.empty() && !(root.contains("name") && root.at("name") == id))
            throw ConfigError(fmt::format("{}#{}: this file holds one Clarity listener ('{}'), not a listener "
                                          "named '{}'",
                                          file, id, root.contains("name") && root.at("name").is_string() ? root.at("name").get<std::string>() : "unnamed", id));
        return read_clarity(root, ctx, "", id);
    }
    if (ctx.format == Format::json && is_clarity_listeners_file(root)) {
        if (id.empty()) {
            if (root.size() == 1) return read_clarity(root.begin().value(), ctx, root.begin().key() + ".", root.begin().key());
            std::vector<std::string> ids;
            for (auto it = root.begin(); it != root.end() && ids.size() < 5; ++it) ids.push_back(it.key());
            throw ConfigError(fmt::format("{}: holds {} Clarity listeners ({}{}); choose one with {}#ID, e.g. {}#{}",
                                          file, root.size(), fmt::join(ids, ", "), root.size() > ids.size() ? ", ..." : "",
                                          file, file, ids.front()));
        }
        if (!root.contains(id)) {
            std::vector<std::string> ids;
            for (auto it = root.begin(); it != root.end() && ids.size() < 5; ++it) ids.push_back(it.key());
            throw ConfigError(fmt::format("{}#{}: no listener '{}' in this file (it holds {}{})", file, id, id,
                                          fmt::join(ids, ", "), root.size() > ids.size() ? ", ..." : ""));
        }
        return read_clarity(root.at(id), ctx, id + ".", id);
    }
    if (!id.empty())
        throw ConfigError(fmt::format("{}#{}: '#{}' selects a listener in a Clarity listeners file, but this is "
                                      "a single earshot listener file",
                                      file, id, id));
    return read_earshot(root, ctx, path);
}
}  // namespace

Listener read_listener_file(const fs::path& path) {
    const auto [file, id] = split_selector(path.string());
    return read_listener_file(fs::path(file), id);
}

bool is_listener_preset_id(std::string_view s) {
    auto starts = [&](std::string_view p) { return s.substr(0, p.size()) == p; };
    return s == "normal" || s == "sudden-profound" || s == "iso7029" || s == "noise-notch" || starts("bisgaard:") ||
           starts("iso7029:") || starts("noise-notch:");
}

Listener resolve_listener(std::string_view preset_or_path) {
    const std::string s(preset_or_path);
    if (s.empty()) throw ConfigError("--listener: empty (give a preset such as bisgaard:N2 or a .toml/.json file)");
    if (is_listener_preset_id(s)) return make_preset(s);
    const auto [file, id] = split_selector(s);
    std::error_code ec;
    if (has_listener_extension(fs::path(file)) || !id.empty() || fs::exists(file, ec))
        return read_listener_file(fs::path(file), id);
    try {
        make_preset(s);
    } catch (const ConfigError& e) {
        throw ConfigError(fmt::format("{}; nor is it a listener file (.toml or .json)", e.what()));
    }
    return make_preset(s);  // unreachable: s is not a preset id
}

}  // namespace earshot
