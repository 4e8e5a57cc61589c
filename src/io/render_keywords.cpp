#include "earshot/io/render_keywords.hpp"

#include <fmt/format.h>

#include <cmath>

#include "earshot/core/did_you_mean.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/hearing/hearing_names.hpp"
#include "earshot/io/description_io.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/scene/scene_names.hpp"

namespace earshot {

namespace {

// The seed's range: whole numbers a double (and a JSON number) holds exactly.
constexpr double kMaxSeed = 9007199254740992.0;  // 2^53

const KeySpec kRenderKeys[] = {
    {"listener", ValueKind::string, "", nullptr, nullptr, "preset id (earshot presets), listener file, or file#id"},
    {"implant", ValueKind::string, "", nullptr, nullptr, "cochlear implant preset or implant JSON file"},
    {"scene", ValueKind::string, "", nullptr, nullptr, "scene file (docs/scene-files.md); replaces listener"},
    {"body", ValueKind::string, "", nullptr, nullptr, "the scene's body bus, mixed after the simulation"},
    {"implant_ear", ValueKind::string, "", nullptr, choices_of<names::ears>, "which ear has the implant (default both)"},
    {"intensity", ValueKind::number, params::intensity.unit, &params::intensity, nullptr, params::intensity.help},
    {"crossover_hz", ValueKind::number, params::crossover_hz.unit, &params::crossover_hz, nullptr, params::crossover_hz.help},
    {"level_measure", ValueKind::string, "", nullptr, choices_of<names::level_measure>, "how level_db_spl is measured (default active)"},
    {"both_ears", ValueKind::boolean, "", nullptr, nullptr, "a mono input is heard by both ears (stereo output)"},
    {"hearing_aid", ValueKind::string, "", nullptr, choices_of<names::hearing_aid>, "aid every acoustic ear without an implant"},
    {"level_db_spl", ValueKind::number, params::level_db_spl.unit, &params::level_db_spl, nullptr, params::level_db_spl.help},
    {"full_scale_db_spl", ValueKind::number, params::full_scale_db_spl.unit, &params::full_scale_db_spl, nullptr, params::full_scale_db_spl.help},
    {"ear", ValueKind::string, "", nullptr, choices_of<names::ear>, "hear every channel through this ear, as it is"},
    {"field", ValueKind::string, "", nullptr, choices_of<names::field>, "sound field at the listener (default free)"},
    {"degree", ValueKind::string, "", nullptr, choices_of<names::degree>, "broadening/smearing by MSBG classes or continuously"},
    {"smearing", ValueKind::boolean, "", nullptr, nullptr, "spectral smearing (default true; the CLI's --no-smearing sets false)"},
    {"limit_dbfs", ValueKind::number, params::limit_dbfs.unit, &params::limit_dbfs, nullptr, params::limit_dbfs.help},
    {"seed", ValueKind::integer, "", nullptr, nullptr, "the implants' auralisation seed, 0..2^53 (default: each implant's own)"},
    {"format", ValueKind::string, "", nullptr, choices_of<names::audio_format>, "output encoding (files only)"},
    {"block_frames", ValueKind::integer, params::block_frames.unit, &params::block_frames, nullptr, params::block_frames.help},
};

std::string value_text(const KeywordValue& v) {
    if (std::holds_alternative<bool>(v)) return std::get<bool>(v) ? "True" : "False";
    if (std::holds_alternative<double>(v)) return fmt::format("{}", std::get<double>(v));
    if (std::holds_alternative<std::string>(v)) return fmt::format("'{}'", std::get<std::string>(v));
    return "None";
}

}  // namespace

std::span<const KeySpec> render_keys() { return kRenderKeys; }

std::string keyword_flag(std::string_view key) {
    std::string f = "--";
    for (char c : key) f.push_back(c == '_' ? '-' : c);
    return f;
}

void set_render_keyword(RenderKeywords& k, std::string_view key, const KeywordValue& value) {
    if (key == "level_ref") key = "level_measure";
    const KeySpec* spec = find_key(render_keys(), key);
    if (!spec) {
        std::vector<std::string> names;
        for (const auto& r : render_keys()) names.emplace_back(r.key);
        std::string msg = fmt::format("unknown keyword {}", key);
        if (const auto n = nearest(key, names)) msg += fmt::format("; did you mean {}?", *n);
        throw ConfigError(msg);
    }
    const std::string flag = keyword_flag(key);
    if (std::holds_alternative<std::monostate>(value)) return;  // not given
    auto number = [&]() -> double {
        if (!std::holds_alternative<double>(value))
            throw ConfigError(fmt::format("{}: {} is not a number", flag, value_text(value)));
        const double v = std::get<double>(value);
        if (!std::isfinite(v)) throw ConfigError(fmt::format("{}: {} is not a finite number", flag, v));
        return v;
    };
    switch (spec->kind) {
        case ValueKind::string: {
            if (!std::holds_alternative<std::string>(value))
                throw ConfigError(fmt::format("{}: {} is not a string", flag, value_text(value)));
            const std::string& s = std::get<std::string>(value);
            if (s.empty()) throw ConfigError(fmt::format("{}: empty; give a name or file, or leave it unset", flag));
            std::string* target = key == "listener" ? &k.listener : key == "implant" ? &k.implant
                                : key == "scene" ? &k.scene : key == "body" ? &k.body
                                : key == "implant_ear" ? &k.implant_ear : key == "level_measure" ? &k.level_measure
                                : key == "hearing_aid" ? &k.hearing_aid : key == "ear" ? &k.ear
                                : key == "field" ? &k.field : key == "degree" ? &k.degree : &k.format;
            *target = s;
            return;
        }
        case ValueKind::boolean: {
            if (!std::holds_alternative<bool>(value))
                throw ConfigError(fmt::format("{}: {} is not True or False", flag, value_text(value)));
            (key == "both_ears" ? k.both_ears : k.smearing) = std::get<bool>(value);
            return;
        }
        case ValueKind::number: {
            const double v = spec->range->check(number(), flag);
            std::optional<double>* target = key == "level_db_spl" ? &k.level_db_spl
                                          : key == "full_scale_db_spl" ? &k.full_scale_db_spl
                                          : key == "limit_dbfs" ? &k.limit_dbfs
                                          : key == "intensity" ? &k.intensity : &k.crossover_hz;
            *target = v;
            return;
        }
        case ValueKind::integer: {
            const double v = number();
            const double lo = spec->range ? spec->range->min_value : 0.0;
            const double hi = spec->range ? spec->range->max_value : kMaxSeed;
            if (v != std::floor(v)) throw ConfigError(fmt::format("{}: {} is not a whole number", flag, v));
            if (v < lo || v > hi)
                throw ConfigError(fmt::format("{}: {} is out of range [{}, {}]{}", flag, v, lo, hi,
                                              spec->unit.empty() ? "" : fmt::format(" {}", spec->unit)));
            if (key == "seed") k.seed = static_cast<std::uint64_t>(v);
            else k.block_frames = static_cast<std::size_t>(v);
            return;
        }
        default: break;
    }
    throw ConfigError(fmt::format("{}: no value of this kind is accepted", flag));  // unreachable with the table above
}

RenderOptions render_options(const RenderKeywords& k) {
    if (k.scene.empty() && !k.body.empty()) throw ConfigError("--body: needs --scene");
    if (k.level_db_spl && k.full_scale_db_spl)
        throw ConfigError("--level-db-spl excludes --full-scale-db-spl (present at a level, or calibrate absolutely)");
    RenderOptions opt;
    Description& d = opt.description;
    if (k.listener_value) {
        if (!k.listener.empty()) throw ConfigError("--listener: given both as a name and as a listener; give one");
        if (!k.scene.empty())
            throw ConfigError("--scene: the scene names its listeners; do not combine it with --listener or --implant");
        k.listener_value->validate("listener");
        d.listener = *k.listener_value;
    }
    resolve_names(d, k.listener, k.implant, k.scene);
    if (d.implant) {
        if (!k.implant_ear.empty()) d.implant->ears = names::ears.from_name(k.implant_ear, "--implant-ear");
        if (k.intensity) d.implant->intensity = *k.intensity;
        if (k.crossover_hz) d.implant->crossover_hz = *k.crossover_hz;
    } else if (k.intensity || k.crossover_hz) {
        throw ConfigError(fmt::format("{}: needs --implant", k.intensity ? "--intensity" : "--crossover-hz"));
    }
    if (!k.hearing_aid.empty()) d.hearing_aid = names::hearing_aid.from_name(k.hearing_aid, "--hearing-aid");
    if (!k.level_measure.empty()) d.calibration.measure = names::level_measure.from_name(k.level_measure, "--level-measure");
    if (k.level_db_spl) d.calibration.present_at_db_spl = *k.level_db_spl;
    d.calibration.full_scale_db_spl = k.full_scale_db_spl.value_or(params::full_scale_db_spl.default_value);
    d.limit_dbfs = k.limit_dbfs;
    d.both_ears = k.both_ears;
    if (!k.ear.empty()) d.ear = names::ear.from_name(k.ear, "--ear");
    if (!k.field.empty()) d.field = names::field.from_name(k.field, "--field");
    if (!k.degree.empty()) d.degree = names::degree.from_name(k.degree, "--degree");
    d.smearing = k.smearing;
    d.seed = k.seed;
    compose(d);  // validated here, before any file is written (one line naming the flag and range)
    if (d.scene && !k.body.empty()) opt.body = std::filesystem::path(k.body);
    if (!k.format.empty()) opt.format = names::audio_format.from_name(k.format, "--format");
    opt.block_frames = std::size_t(params::block_frames.check(double(k.block_frames.value_or(8192)), "--block-frames"));
    return opt;
}

}  // namespace earshot
