#include "earshot/io/manifest.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "earshot/core/did_you_mean.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/core/text_file.hpp"
#include "earshot/hearing/hearing_names.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/io/listener_file.hpp"
#include "earshot/scene/scene_names.hpp"
#include "tree.hpp"

namespace earshot {
namespace fs = std::filesystem;

namespace {

const KeySpec kColumns[] = {
    {"input", ValueKind::string, "", nullptr, nullptr, "the audio file to render (required)"},
    {"output", ValueKind::string, "", nullptr, nullptr, "the rendered file, .wav or .flac (required); never an input"},
    {"listener", ValueKind::string, "", nullptr, nullptr, "listener preset id or listener file (FILE.json#ID)"},
    {"implant", ValueKind::string, "", nullptr, nullptr, "implant preset or implant JSON file"},
    {"implant_ear", ValueKind::string, "", nullptr, &choices_of<names::ears>, "which ear has the implant"},
    {"intensity", ValueKind::number, "", &params::intensity, nullptr, "implant sound mix"},
    {"crossover_hz", ValueKind::number, "Hz", &params::crossover_hz, nullptr, "electric-acoustic split"},
    {"scene", ValueKind::string, "", nullptr, nullptr, "scene file (replaces listener and implant)"},
    {"body", ValueKind::string, "", nullptr, nullptr, "the scene's body bus (audio file)"},
    {"level_db_spl", ValueKind::number, "dB SPL", &params::level_db_spl, nullptr, "present the input at this level"},
    {"full_scale_db_spl", ValueKind::number, "dB SPL", &params::full_scale_db_spl, nullptr, "absolute calibration"},
    {"level_measure", ValueKind::string, "", nullptr, &choices_of<names::level_measure>, "how level_db_spl is measured"},
    {"seed", ValueKind::integer, "", nullptr, nullptr, "the implants' auralisation seed, 0 to 2^64 - 1"},
    {"hearing_aid", ValueKind::string, "", nullptr, &choices_of<names::hearing_aid>, "aid every acoustic ear"},
    {"field", ValueKind::string, "", nullptr, &choices_of<names::field>, "sound field at the listener"},
    {"degree", ValueKind::string, "", nullptr, &choices_of<names::degree>, "broadening by classes or continuously"},
    {"smearing", ValueKind::boolean, "", nullptr, nullptr, "spectral smearing on (true) or off"},
    {"ear", ValueKind::string, "", nullptr, &choices_of<names::ear>, "hear every channel through this ear"},
    {"both_ears", ValueKind::boolean, "", nullptr, nullptr, "a mono input is heard by both ears"},
    {"limit_dbfs", ValueKind::number, "dBFS", &params::limit_dbfs, nullptr, "output limiter ceiling"},
    {"format", ValueKind::string, "", nullptr, &choices_of<names::audio_format>, "output encoding"},
};

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> column_names() {
    std::vector<std::string> v;
    for (const auto& k : kColumns) v.emplace_back(k.key);
    return v;
}

// One cell, as text (CSV) or a JSON value, checked against its column and stored in the row.
struct Place {
    std::string_view name;
    std::size_t line;
    std::string_view column;
};

[[noreturn]] void fail(const Place& at, const std::string& what) {
    throw ConfigError(fmt::format("{}:{}: {}: {}", at.name, at.line, at.column, what));
}

double number_of(const Place& at, const std::string& text) {
    double v = 0;
    const char* b = text.data();
    const char* e = b + text.size();
    const auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p != e || !std::isfinite(v)) fail(at, fmt::format("'{}' is not a number", text));
    return v;
}

std::uint64_t seed_of(const Place& at, const std::string& text) {
    std::uint64_t v = 0;
    const char* b = text.data();
    const char* e = b + text.size();
    const auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p != e || text.empty())
        fail(at, fmt::format("'{}' is not a whole number in [0, 18446744073709551615]", text));
    return v;
}

bool bool_of(const Place& at, const std::string& text) {
    const std::string t = lower(text);
    if (t == "true" || t == "1" || t == "yes") return true;
    if (t == "false" || t == "0" || t == "no") return false;
    fail(at, fmt::format("'{}' is not a boolean (true or false)", text));
}

template <class Spec>
std::string name_of(const Place& at, const Spec& spec, const std::string& text) {
    try {
        (void)spec.from_name(text, at.column);
    } catch (const ConfigError& e) {
        throw ConfigError(fmt::format("{}:{}: {}", at.name, at.line, e.what()));
    }
    return text;
}

double ranged(const Place& at, const ParamSpec& spec, double v) {
    try {
        return spec.check(v, at.column);
    } catch (const ConfigError& e) {
        throw ConfigError(fmt::format("{}:{}: {}", at.name, at.line, e.what()));
    }
}

struct RowBuilder {
    std::string_view name;
    fs::path base;
    ManifestRow row;
    std::set<std::string> seen;

    // A column's value as text (a JSON number is given as its text: the same checks).
    void set(std::string_view column, const std::string& text) {
        const Place at{name, row.line, column};
        RenderParams& p = row.params;
        if (text.empty()) {
            if (column == "input" || column == "output") fail(at, "empty (each row needs an input and an output)");
            return;  // the default
        }
        if (column == "input") row.input = resolve_relative(base, text);
        else if (column == "output") row.output = resolve_relative(base, text);
        else if (column == "listener") p.listener = resolve_listener_name(base, text);
        else if (column == "implant") p.implant = resolve_implant_name(base, text);
        else if (column == "implant_ear") p.implant_ear = name_of(at, names::ears, text);
        else if (column == "intensity") p.intensity = ranged(at, params::intensity, number_of(at, text));
        else if (column == "crossover_hz") p.crossover_hz = ranged(at, params::crossover_hz, number_of(at, text));
        else if (column == "scene") p.scene = resolve_relative(base, text).string();
        else if (column == "body") p.body = resolve_relative(base, text).string();
        else if (column == "level_db_spl") p.level_db_spl = ranged(at, params::level_db_spl, number_of(at, text));
        else if (column == "full_scale_db_spl") p.full_scale_db_spl = ranged(at, params::full_scale_db_spl, number_of(at, text));
        else if (column == "level_measure") p.level_measure = name_of(at, names::level_measure, text);
        else if (column == "seed") p.seed = seed_of(at, text);
        else if (column == "hearing_aid") p.hearing_aid = name_of(at, names::hearing_aid, text);
        else if (column == "field") p.field = name_of(at, names::field, text);
        else if (column == "degree") p.degree = name_of(at, names::degree, text);
        else if (column == "smearing") p.smearing = bool_of(at, text);
        else if (column == "ear") p.ear = name_of(at, names::ear, text);
        else if (column == "both_ears") p.both_ears = bool_of(at, text);
        else if (column == "limit_dbfs") p.limit_dbfs = ranged(at, params::limit_dbfs, number_of(at, text));
        else if (column == "format") p.format = name_of(at, names::audio_format, text);
    }
    ManifestRow finish() {
        for (const char* c : {"input", "output"})
            if (!seen.count(c)) fail({name, row.line, c}, "missing (each row needs an input and an output)");
        return std::move(row);
    }
};

void check_column(std::string_view name, std::size_t line, const std::string& column) {
    for (const auto& k : kColumns)
        if (k.key == column) return;
    const auto near = nearest(column, column_names());
    std::string list;
    for (const auto& k : kColumns) list += (list.empty() ? "" : ", ") + std::string(k.key);
    throw ConfigError(fmt::format("{}:{}: unknown column '{}'{} (columns: {})", name, line, column,
                                  near ? fmt::format(" (did you mean '{}'?)", *near) : "", list));
}

// RFC 4180 records: fields separated by commas, "quoted" fields may hold commas, quotes ("") and line breaks.
struct CsvRecord {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

std::vector<CsvRecord> csv_records(std::string_view text, std::string_view name) {
    std::vector<CsvRecord> out;
    std::size_t i = 0, line = 1;
    while (i < text.size()) {
        CsvRecord r;
        r.line = line;
        std::string field;
        bool quoted = false, was_quoted = false, any = false;
        for (;;) {
            if (i >= text.size()) {
                if (quoted) throw ConfigError(fmt::format("{}:{}: a quoted field is not closed", name, r.line));
                r.fields.push_back(std::move(field));
                break;
            }
            const char c = text[i];
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') field.push_back('"'), i += 2;
                    else quoted = false, ++i;
                } else {
                    if (c == '\n') ++line;
                    field.push_back(c), ++i;
                }
                continue;
            }
            if (c == '"' && field.empty() && !was_quoted) {
                quoted = was_quoted = any = true, ++i;
            } else if (c == ',') {
                r.fields.push_back(std::move(field)), field.clear(), was_quoted = false, any = true, ++i;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
                ++i, ++line;
                r.fields.push_back(std::move(field));
                break;
            } else if (was_quoted) {
                throw ConfigError(fmt::format("{}:{}: text after a quoted field (quote the whole field: \"a \"\"b\"\"\")",
                                              name, line));
            } else {
                field.push_back(c), any = true, ++i;
            }
        }
        const bool blank = r.fields.size() == 1 && r.fields[0].find_first_not_of(" \t") == std::string::npos && !any;
        if (!blank) out.push_back(std::move(r));
    }
    return out;
}

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

std::vector<ManifestRow> parse_csv(std::string_view text, std::string_view name, const fs::path& base) {
    const auto records = csv_records(text, name);
    if (records.empty()) throw ConfigError(fmt::format("{}: empty manifest (a header row and one row per render)", name));
    std::vector<std::string> header;
    std::set<std::string> seen;
    for (const auto& f : records[0].fields) {
        std::string c = trim(f);
        check_column(name, records[0].line, c);
        if (!seen.insert(c).second) throw ConfigError(fmt::format("{}:{}: column '{}' given twice", name, records[0].line, c));
        header.push_back(std::move(c));
    }
    for (const char* c : {"input", "output"})
        if (!seen.count(c))
            throw ConfigError(fmt::format("{}:{}: the header has no '{}' column (input and output are required)", name,
                                          records[0].line, c));
    std::vector<ManifestRow> rows;
    for (std::size_t k = 1; k < records.size(); ++k) {
        const CsvRecord& r = records[k];
        if (r.fields.size() != header.size())
            throw ConfigError(fmt::format("{}:{}: {} fields, the header has {}", name, r.line, r.fields.size(), header.size()));
        RowBuilder b{name, base, {}, {}};
        b.row.line = r.line;
        for (std::size_t i = 0; i < header.size(); ++i) {
            b.seen.insert(header[i]);
            b.set(header[i], trim(r.fields[i]));
        }
        rows.push_back(b.finish());
    }
    if (rows.empty()) throw ConfigError(fmt::format("{}: no rows after the header", name));
    return rows;
}

std::vector<ManifestRow> parse_json_lines(std::string_view text, std::string_view name, const fs::path& base) {
    std::vector<ManifestRow> rows;
    std::size_t line = 0, pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view l = text.substr(pos, end - pos);
        pos = end + 1;
        ++line;
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        if (l.find_first_not_of(" \t") == std::string_view::npos) continue;
        detail::Node obj;
        try {
            obj = detail::parse_json_tree(l, fmt::format("{}:{}", name, line));
        } catch (const Error& e) {
            // "<name>:<line>:1:<col>: ..." -> keep the reader's place but name the manifest line.
            throw ConfigError(e.what());
        }
        if (!obj.is_table())
            throw ConfigError(fmt::format("{}:{}: each line must be a JSON object {{\"input\": ..., \"output\": ...}}", name, line));
        RowBuilder b{name, base, {}, {}};
        b.row.line = line;
        for (const auto& [key, key_line, value] : obj.members) {
            (void)key_line;
            check_column(name, line, key);
            b.seen.insert(key);
            const KeySpec* spec = find_key(kColumns, key);
            const Place at{name, line, spec->key};
            if (value.type == detail::Node::Type::null) continue;
            std::string t;
            switch (spec->kind) {
                case ValueKind::string:
                    if (!value.is_string()) fail(at, "must be a string");
                    t = value.string;
                    break;
                case ValueKind::number:
                    if (!value.is_number()) fail(at, "must be a number");
                    t = fmt::format("{}", value.number);
                    break;
                case ValueKind::integer:
                    // The tree's numbers are doubles: whole numbers up to 2^53 are exact (params::seed's range).
                    if (!value.is_number() || !value.integer || value.number < 0 || value.number > 9007199254740992.0)
                        fail(at, "must be a whole number in [0, 9007199254740992]");
                    t = std::to_string(static_cast<std::uint64_t>(value.number));
                    break;
                case ValueKind::boolean:
                    if (!value.is_boolean()) fail(at, "must be true or false");
                    t = value.boolean ? "true" : "false";
                    break;
                default: fail(at, "unsupported");
            }
            if (spec->kind == ValueKind::string && t.empty()) fail(at, "empty");
            b.set(spec->key, t);
        }
        rows.push_back(b.finish());
    }
    if (rows.empty()) throw ConfigError(fmt::format("{}: empty manifest (one JSON object per line)", name));
    return rows;
}

}  // namespace

std::span<const KeySpec> manifest_columns() { return kColumns; }

fs::path resolve_relative(const fs::path& base_dir, const fs::path& p) {
    std::error_code ec;
    fs::path b = base_dir.empty() ? fs::current_path(ec) : fs::absolute(base_dir, ec);
    return (p.is_absolute() ? p : b / p).lexically_normal();
}

std::string resolve_listener_name(const fs::path& base_dir, const std::string& listener) {
    if (listener.empty() || is_listener_preset_id(listener)) return listener;
    return resolve_relative(base_dir, listener).string();
}

std::string resolve_implant_name(const fs::path& base_dir, const std::string& implant) {
    if (implant.empty() || !is_implant_file_name(implant)) return implant;
    return resolve_relative(base_dir, implant).string();
}

std::vector<ManifestRow> parse_manifest(std::string_view text, std::string_view name, const fs::path& base_dir,
                                        bool json_lines) {
    if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);  // UTF-8 byte-order mark
    return json_lines ? parse_json_lines(text, name, base_dir) : parse_csv(text, name, base_dir);
}

std::vector<ManifestRow> read_manifest(const fs::path& manifest) {
    const std::string text = read_text_file(manifest, "manifest", std::size_t{256} << 20);
    const std::string ext = lower(manifest.extension().string());
    bool jsonl = ext == ".jsonl" || ext == ".ndjson" || ext == ".json";
    if (ext != ".csv" && !jsonl) {
        const auto p = text.find_first_not_of(" \t\r\n\xef\xbb\xbf");
        jsonl = p != std::string::npos && text[p] == '{';
    }
    std::error_code ec;
    const fs::path base = fs::absolute(manifest, ec).parent_path();
    return parse_manifest(text, manifest.string(), base, jsonl);
}

}  // namespace earshot
