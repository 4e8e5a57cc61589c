#include "earshot/io/listener_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <fmt/ranges.h>

#include "implant_json.hpp"
#include "key_reader.hpp"
#include "tree.hpp"
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/core/key_error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/core/text_file.hpp"
#include "earshot/hearing/hearing_names.hpp"
#include "earshot/io/file_keys.hpp"
#include "earshot/hearing/presets.hpp"

namespace earshot {

namespace {

namespace fs = std::filesystem;
using detail::Format;
using detail::KeyReader;
using detail::Node;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Builds one audiogram from the parallel arrays `freqs_key` and `levels_key` of table `r` (`fr` for the
// frequencies, which a Clarity listeners file shares between the ears) and checks it, naming the keys.
Audiogram make_audiogram(const KeyReader& fr, const char* freqs_key, const KeyReader& r, const char* levels_key) {
    std::vector<double> freqs = *fr.numbers(freqs_key), levels = *r.numbers(levels_key);
    if (freqs.empty())
        fr.fail(freqs_key, fmt::format("empty (give at least one frequency in [{}, {}] Hz)", params::freq_hz.min_value,
                                       params::freq_hz.max_value));
    if (freqs.size() != levels.size())
        r.fail(levels_key, fmt::format("{} values but {} has {} (lengths must match)", levels.size(), fr.path(freqs_key), freqs.size()));
    for (std::size_t i = 0; i < freqs.size(); ++i) {
        if (!params::freq_hz.contains(freqs[i])) fr.fail(freqs_key, fmt::format("value {}: {}", i + 1, params::freq_hz.out_of_range(freqs[i])));
        if (i > 0 && !(freqs[i] > freqs[i - 1]))
            fr.fail(freqs_key, fmt::format("frequencies must be strictly ascending ({} Hz after {} Hz)", freqs[i], freqs[i - 1]));
        if (!params::hl_db.contains(levels[i]))
            r.fail(levels_key, fmt::format("at {} Hz: {}", freqs[i], params::hl_db.out_of_range(levels[i])));
    }
    return Audiogram{std::move(freqs), std::move(levels)};
}

void check_bone(const EarHearing& ear, const KeyReader& r) {
    for (std::size_t i = 0; i < ear.bone.freqs_hz.size(); ++i) {
        const double f = ear.bone.freqs_hz[i];
        const double air = ear.air.at(f);
        if (ear.bone.hl_db[i] > air + kMaxBoneAboveAirDb)
            r.fail("bone_hl_db", fmt::format("at {} Hz: {} dB HL is more than {} dB above the air threshold {} dB HL (bone "
                                             "conduction must be <= air + {} dB)",
                                             f, ear.bone.hl_db[i], kMaxBoneAboveAirDb, air, kMaxBoneAboveAirDb));
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
// An ear table accepts the audiogram keys and the device keys.
const std::vector<std::string_view> kEarKeys = [] {
    std::vector<std::string_view> k = key_names(kEarAudiogramTable);
    for (const auto& d : kEarDeviceTable) k.push_back(d.key);
    return k;
}();

// The devices of one ear table: implant (preset name, implant file or a table of implant keys), acoustic,
// crossover_hz, hearing_aid. Returns whether the ear table made the ear implant-only (then no audiogram is needed).
bool apply_ear_device(const KeyReader& r, EarDevice& dev) {
    if (r.has("implant")) {
        dev.implant = std::make_shared<const ImplantParams>(detail::read_implant(r, "implant"));
        dev.acoustic = false;
    }
    if (const auto a = r.boolean("acoustic")) dev.acoustic = *a;
    if (const auto x = r.number("crossover_hz", params::crossover_hz)) {
        dev.crossover_hz = *x;
        if (!r.has("acoustic")) dev.acoustic = true;
    }
    if (const auto rule = r.choice("hearing_aid", names::hearing_aid)) dev.hearing_aid = *rule == HearingAidRule::nal_r;
    if (dev.hearing_aid && !dev.acoustic) r.fail("hearing_aid", "needs acoustic hearing on that ear");
    if (!dev.implant && !dev.acoustic)
        r.fail("acoustic", "false needs an implant on that ear (else the ear hears nothing; use the sudden-profound preset "
                           "for a deaf ear)");
    if (dev.crossover_hz > 0 && !dev.implant) r.fail("crossover_hz", "needs an implant on that ear");
    return dev.implant && !dev.acoustic;
}

// Applies the audiogram keys of one [left]/[right]/[both] table to `ear`; returns whether it gave air thresholds.
bool apply_ear_table(const KeyReader& r, EarHearing& ear) {
    r.only(std::span<const std::string_view>(kEarKeys));
    auto pair = [&](const char* fk, const char* lk) -> std::optional<Audiogram> {
        const bool hf = r.has(fk), hl = r.has(lk);
        if (!hf && !hl) return std::nullopt;
        if (hf != hl) r.fail(hf ? fk : lk, fmt::format("given without {} (give both)", hf ? lk : fk));
        return make_audiogram(r, fk, r, lk);
    };
    bool gave_air = false;
    if (auto air = pair("freqs_hz", "hl_db")) {
        ear.air = std::move(*air);
        gave_air = true;
    }
    if (auto bone = pair("bone_freqs_hz", "bone_hl_db")) ear.bone = std::move(*bone);
    return gave_air;
}

Listener read_earshot(const KeyReader& root, const fs::path& path) {
    root.only(kTopTable);
    Listener l;
    bool have_left = false, have_right = false;
    std::string preset_id;
    if (const auto preset = root.string("preset")) {
        preset_id = *preset;
        try {
            l = make_preset(preset_id);
        } catch (const ConfigError& e) {
            // make_preset names the CLI flag ("--listener: ..."); here the key is the place.
            std::string_view msg = e.what();
            if (msg.substr(0, 10) == "--listener") msg.remove_prefix(10);
            while (!msg.empty() && (msg.front() == ':' || msg.front() == ' ')) msg.remove_prefix(1);
            root.fail("preset", std::string(msg));
        }
        have_left = have_right = true;
    }
    if (root.has("both") && (root.has("left") || root.has("right")))
        root.fail("both", "cannot be combined with left/right (use either both ears together or each ear on its own)");
    const auto both = root.table("both"), left = root.table("left"), right = root.table("right");
    if (both) {
        EarHearing ear = l.left;
        if (apply_ear_table(*both, ear)) have_left = have_right = true;
        l.left = ear;
        l.right = ear;
        if (apply_ear_device(*both, l.left_device)) have_left = have_right = true;
        l.right_device = l.left_device;
    }
    if (left && apply_ear_table(*left, l.left)) have_left = true;
    if (right && apply_ear_table(*right, l.right)) have_right = true;
    // An implant-only ear needs no audiogram: it is profoundly deaf (120 dB HL, never heard acoustically).
    const Audiogram deaf{{250, 500, 1000, 2000, 4000, 8000}, {120, 120, 120, 120, 120, 120}};
    if (left && apply_ear_device(*left, l.left_device) && !have_left) l.left.air = deaf, have_left = true;
    if (right && apply_ear_device(*right, l.right_device) && !have_right) l.right.air = deaf, have_right = true;
    if (both && l.left_device.implant && !l.left_device.acoustic && l.left.air.empty())
        l.left.air = l.right.air = deaf, have_left = have_right = true;
    if (!have_left || !have_right) {
        const char* missing = !have_left && !have_right ? "both ears" : !have_left ? "left" : "right";
        throw KeyError(root.source().file, 0, "",
                       fmt::format("{}: no air-conduction thresholds (give freqs_hz and hl_db in a 'both', 'left' and 'right' "
                                   "{}, or a preset)",
                                   missing, root.source().format == Format::toml ? "table" : "object"));
    }
    check_bone(l.left, both ? *both : left ? *left : root);
    check_bone(l.right, both ? *both : right ? *right : root);
    // Names and descriptions are shown on terminals and in figures: control characters escaped (printable).
    l.name = printable(root.string("name").value_or(path.stem().string()));
    if (const auto d = root.string("description"))
        l.description = printable(*d);
    else if (root.has("preset"))
        l.description = printable(fmt::format("listener file {}, based on preset {}", path.filename().string(), preset_id));
    else
        l.description = printable(fmt::format("listener file {}", path.filename().string()));
    l.validate(root.source().file);
    return l;
}

// --- Clarity / Cadenza listener JSON --------------------------------------------------------------------
// One listener: {"name": "L0001", "audiogram_cfs": [...], "audiogram_levels_l": [...],
// "audiogram_levels_r": [...]}; a listeners file maps ids to such objects. Keys other than these are
// ignored: the format belongs to the Clarity toolkit and its files carry fields earshot does not use.
bool is_clarity_listener(const Node& j) { return j.is_table() && j.contains("audiogram_cfs"); }

bool is_clarity_listeners_file(const Node& j) {
    if (!j.is_table() || j.members.empty()) return false;
    return std::all_of(j.members.begin(), j.members.end(), [](const detail::Member& m) { return is_clarity_listener(m.value); });
}

Listener read_clarity(const KeyReader& r, const std::string& id) {
    for (const char* k : {"audiogram_cfs", "audiogram_levels_l", "audiogram_levels_r"})
        if (!r.has(k)) r.fail(k, "missing (a Clarity listener needs audiogram_cfs, audiogram_levels_l and audiogram_levels_r)");
    Listener l;
    l.left.air = make_audiogram(r, "audiogram_cfs", r, "audiogram_levels_l");
    l.right.air = make_audiogram(r, "audiogram_cfs", r, "audiogram_levels_r");
    const std::string& file = r.source().file;
    const Node* name = r.get("name");
    if (name && name->is_string())
        l.name = printable(name->string);
    else
        l.name = printable(id.empty() ? fs::path(file).stem().string() : id);
    l.description = printable(fmt::format("Clarity listener {} from {}", l.name, fs::path(file).filename().string()));
    l.validate(file);
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

Listener read_listener_root(const Node& root, const detail::Source& src, const fs::path& path, const std::string& id);

}  // namespace

std::span<const KeyTable> listener_key_tables() { return kListenerTables; }

Listener read_listener_file(const fs::path& path, std::string_view listener_id) {
    const std::string file = printable(path.string());
    const detail::Source src{file, format_of(path, file), path};
    const ReferenceGuard on_chain(path);
    const std::string text = read_text_file(path, "listener file");
    const Node root = src.format == Format::toml ? detail::parse_toml_tree(text, file) : detail::parse_json_tree(text, file);
    return read_listener_root(root, src, path, std::string(listener_id));
}

namespace {
std::string first_ids(const Node& root, std::size_t n) {
    std::vector<std::string> ids;
    for (const auto& m : root.members)
        if (ids.size() < n) ids.push_back(m.key);
    return fmt::format("{}{}", fmt::join(ids, ", "), root.members.size() > n ? ", ..." : "");
}

Listener read_listener_root(const Node& root, const detail::Source& src, const fs::path& path, const std::string& id) {
    const std::string& file = src.file;
    if (!root.is_table())
        throw KeyError(file, root.line, "", fmt::format("expected {} at the top level, got {}",
                                                        src.format == Format::toml ? "a table" : "an object",
                                                        detail::type_name(root, src.format)));
    if (src.format == Format::json && is_clarity_listener(root)) {
        const Node* name = root.get("name");
        if (!id.empty() && !(name && name->is_string() && name->string == id))
            throw ConfigError(fmt::format("{}#{}: this file holds one Clarity listener ('{}'), not a listener named '{}'", file, id,
                                          name && name->is_string() ? name->string : "unnamed", id));
        return read_clarity(KeyReader(src, root), id);
    }
    if (src.format == Format::json && is_clarity_listeners_file(root)) {
        if (id.empty()) {
            if (root.members.size() == 1) {
                const auto& m = root.members.front();
                return read_clarity(KeyReader(src, m.value, m.key), m.key);
            }
            throw ConfigError(fmt::format("{}: holds {} Clarity listeners ({}); choose one with {}#ID, e.g. {}#{}", file,
                                          root.members.size(), first_ids(root, 5), file, file, root.members.front().key));
        }
        const Node* one = root.get(id);
        if (!one) throw ConfigError(fmt::format("{}#{}: no listener '{}' in this file (it holds {})", file, id, id, first_ids(root, 5)));
        return read_clarity(KeyReader(src, *one, id), id);
    }
    if (!id.empty())
        throw ConfigError(fmt::format("{}#{}: '#{}' selects a listener in a Clarity listeners file, but this is "
                                      "a single earshot listener file",
                                      file, id, id));
    return read_earshot(KeyReader(src, root), path);
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
