#include "earshot/io/scene_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "implant_json.hpp"
#include "earshot/core/key_error.hpp"
#include "earshot/io/file_keys.hpp"
#include "key_reader.hpp"
#include "tree.hpp"
#include "earshot/scene/scene_names.hpp"
#include <utility>
#include <vector>

#include "earshot/core/error.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/core/text_file.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/listener_file.hpp"

namespace earshot {

namespace {

namespace fs = std::filesystem;
namespace sp = scene_params;

struct Ctx {
    detail::Source src;  // the file as the user gave it, for messages; the base of relative references
    fs::path dir;        // base of relative listener and implant file paths
    std::optional<double> duration_s;
};

bool has_extension(std::string_view path, std::initializer_list<std::string_view> exts) {
    std::string ext = fs::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return std::find(exts.begin(), exts.end(), ext) != exts.end();
}

// A path as written in the scene file: relative ones are relative to the scene file's folder.
std::string beside_scene(const Ctx& ctx, const std::string& path) {
    return fs::path(path).is_relative() ? (ctx.dir / path).string() : path;
}

// One table of the scene file: the typed reader (key_reader.hpp) with the scene's own values, times within
// duration_s and the curve and ear names. Messages read "<file>:<line>: keyframe 2: severity: <what>" for a
// key of a [[keyframe]] and "<file>:<line>: keyframe 2: left.hl_db: ..." for a key of its sub-tables.
class Table : public detail::KeyReader {
public:
    Table(const Ctx& ctx, const detail::KeyReader& r) : detail::KeyReader(r), ctx_(&ctx) {}

    const Ctx& ctx() const { return *ctx_; }
    std::optional<Curve> curve(std::string_view key) const { return choice(key, names::curve); }
    std::optional<EarSel> ear(std::string_view key) const { return choice(key, names::ears); }
    /// A time in seconds: >= 0 and, when the scene gives duration_s, not beyond it.
    std::optional<double> time(std::string_view key) const {
        const auto t = number(key, sp::time_s);
        if (t && ctx_->duration_s && *t > *ctx_->duration_s)
            fail(key, fmt::format("{} s is beyond the scene's duration_s of {} s", *t, *ctx_->duration_s));
        return t;
    }
    std::optional<Table> table(std::string_view key) const {
        const auto r = detail::KeyReader::table(key);
        if (!r) return std::nullopt;
        return Table(*ctx_, *r);
    }
    std::vector<Table> tables(std::string_view key) const {
        std::vector<Table> out;
        for (const auto& r : detail::KeyReader::tables(key)) out.emplace_back(*ctx_, r);
        return out;
    }

private:
    const Ctx* ctx_;
};

// --- the key tables (earshot/io/file_keys.hpp; docs/scene-files.md lists the same) -------------------------
using K = ValueKind;
const KeySpec kTopTable[] = {
    {"name", K::string, ""},
    {"description", K::string, ""},
    {"duration_s", K::number, "s", &sp::duration_s},
    {"keyframe", K::tables, ""},
    {"tinnitus", K::tables, ""},
    {"pop", K::tables, ""},
    {"pov", K::tables, ""},
    {"body", K::tables, ""},
};
const KeySpec kKeyframeTable[] = {
    {"time_s", K::number, "s", &sp::time_s},
    {"listener", K::string, ""},
    {"severity", K::number, "", &sp::severity},
    {"transition", K::table, ""},
    {"both", K::table, ""},
    {"left", K::table, ""},
    {"right", K::table, ""},
};
const KeySpec kTransitionTable[] = {
    {"duration_s", K::number, "s", &sp::transition_s},
    {"curve", K::string, "", nullptr, choices_of<names::curve>},
};
const KeySpec kEarTable[] = {
    {"freqs_hz", K::numbers, "Hz", &params::freq_hz},
    {"hl_db", K::numbers, "dB HL", &params::hl_db},
    {"bone_freqs_hz", K::numbers, "Hz"},
    {"bone_hl_db", K::numbers, "dB HL"},
    {"implant", K::string_or_table, ""},
    {"acoustic", K::boolean, ""},
    {"crossover_hz", K::number, "Hz", &params::crossover_hz},
    {"implant_on", K::boolean, ""},
    {"intensity", K::number, "", &params::intensity},
    {"processor_off", K::boolean, ""},
};
const KeySpec kTinnitusTable[] = {
    {"start_s", K::number, "s", &sp::time_s},
    {"end_s", K::number, "s"},
    {"duration_s", K::number, "s", &sp::duration_s},
    {"kind", K::string, "", nullptr, choices_of<names::tinnitus_kind>},
    {"freq_hz", K::number, "Hz", &sp::event_freq_hz},
    {"bandwidth_hz", K::number, "Hz"},
    {"level_db_spl", K::number, "dB SPL", &sp::tinnitus_level_db_spl},
    {"level_db_sl", K::number, "dB SL", &sp::tinnitus_level_db_sl},
    {"attack_s", K::number, "s", &sp::ramp_s},
    {"release_s", K::number, "s", &sp::ramp_s},
    {"decay_s", K::number, "s", &sp::decay_s},
    {"ear", K::string, "", nullptr, choices_of<names::ears>},
};
const KeySpec kPopTable[] = {
    {"time_s", K::number, "s", &sp::time_s},
    {"level_db_spl", K::number, "dB SPL", &sp::pop_level_db_spl},
    {"ear", K::string, "", nullptr, choices_of<names::ears>},
};
const KeySpec kPovTable[] = {
    {"time_s", K::number, "s", &sp::time_s},
    {"inside", K::number, "", &sp::inside},
    {"curve", K::string, "", nullptr, choices_of<names::curve>},
};
const KeySpec kBodyTable[] = {
    {"time_s", K::number, "s", &sp::time_s},
    {"gain_db", K::number, "dB", &sp::body_gain_db},
    {"curve", K::string, "", nullptr, choices_of<names::curve>},
};
const KeyTable kSceneTables[] = {
    {"docs/scene-files.md", "Top level", kTopTable},
    {"docs/scene-files.md", "`[[keyframe]]`", kKeyframeTable},
    {"docs/scene-files.md", "`[keyframe.transition]` (or `transition = { ... }`)", kTransitionTable},
    {"docs/scene-files.md", "`[keyframe.both]`, `[keyframe.left]`, `[keyframe.right]`", kEarTable},
    {"docs/scene-files.md", "`[[tinnitus]]`", kTinnitusTable},
    {"docs/scene-files.md", "`[[pop]]`", kPopTable},
    {"docs/scene-files.md", "`[[pov]]` and `[[body]]`", kPovTable},
    {"docs/scene-files.md", "`[[pov]]` and `[[body]]`", kBodyTable},
};

// --- keyframes ---------------------------------------------------------------------------------------------
const std::vector<std::string_view> kKeyframeKeys = key_names(kKeyframeTable);
const std::vector<std::string_view> kEarKeys = key_names(kEarTable);

// What one ear table of a keyframe ([keyframe.both], [keyframe.left], [keyframe.right]) states.
struct EarInput {
    Table table;
    EarSel ears;
    std::optional<Audiogram> air, bone;
    std::shared_ptr<const ImplantParams> implant;
    std::optional<bool> acoustic, implant_on, processor_off;
    std::optional<double> crossover_hz, intensity;
};

Listener read_listener(const Table& t) {
    const std::string spec = *t.string("listener");
    // Listener files are found beside the scene; anything else is a preset id (resolve_listener decides).
    const std::string file_part = spec.substr(0, spec.rfind('#'));
    const std::string target = has_extension(file_part, {".toml", ".json"}) ? beside_scene(t.ctx(), spec) : spec;
    try {
        return t.placed("listener", [&] { return resolve_listener(target); });
    } catch (const KeyError& e) {
        // A preset's error names the CLI flag it was written for ("--listener bisgaard: ..."); the key is the place here.
        std::string_view msg = e.message();
        if (msg.rfind("--listener", 0) == 0) msg.remove_prefix(10);
        while (!msg.empty() && (msg.front() == ':' || msg.front() == ' ')) msg.remove_prefix(1);
        throw KeyError(e.file(), e.line(), e.key_path(), std::string(msg));
    }
}

std::shared_ptr<const ImplantParams> read_implant(const Table& et) {
    const detail::Node& n = *et.get("implant");
    if (n.is_string()) {
        // Implant files are found beside the scene (read_implant would take them from the working directory).
        const std::string spec = has_extension(n.string, {".json"}) ? beside_scene(et.ctx(), n.string) : n.string;
        return std::make_shared<const ImplantParams>(et.placed("implant", [&] { return load_implant(spec); }));
    }
    if (!n.is_table())
        et.fail("implant", fmt::format("expected an implant preset, an implant .json file or a table of implant keys, got {}",
                                       et.type_of(n)));
    ImplantParams p = detail::read_implant(et, "implant");
    if (!n.contains("name")) {
        const detail::Node* preset = n.get("preset");
        p.name = preset && preset->is_string() ? fmt::format("{} (modified)", preset->string) : "inline implant";
    }
    return std::make_shared<const ImplantParams>(std::move(p));
}

// freqs_hz + hl_db (or bone_freqs_hz + bone_hl_db) of an ear table, checked as an audiogram.
std::optional<Audiogram> read_audiogram(const Table& et, const char* freqs_key, const char* levels_key) {
    const bool hf = et.has(freqs_key), hl = et.has(levels_key);
    if (!hf && !hl) return std::nullopt;
    if (hf != hl) et.fail(hf ? freqs_key : levels_key, fmt::format("given without {} (give both)", hf ? levels_key : freqs_key));
    Audiogram a{*et.numbers(freqs_key), *et.numbers(levels_key)};
    if (a.freqs_hz.empty())
        et.fail(freqs_key, fmt::format("empty (give at least one frequency in [{}, {}] Hz)", params::freq_hz.min_value,
                                       params::freq_hz.max_value));
    if (a.freqs_hz.size() != a.hl_db.size())
        et.fail(levels_key, fmt::format("{} values but {} has {} (lengths must match)", a.hl_db.size(), freqs_key,
                                        a.freqs_hz.size()));
    for (std::size_t i = 0; i < a.freqs_hz.size(); ++i) {
        if (!params::freq_hz.contains(a.freqs_hz[i]))
            et.fail(freqs_key, fmt::format("frequency {}: {}", i + 1, params::freq_hz.out_of_range(a.freqs_hz[i])));
        if (i > 0 && !(a.freqs_hz[i] > a.freqs_hz[i - 1]))
            et.fail(freqs_key, fmt::format("frequencies must be strictly ascending ({} Hz after {} Hz)", a.freqs_hz[i],
                                           a.freqs_hz[i - 1]));
    }
    for (std::size_t i = 0; i < a.freqs_hz.size(); ++i)
        if (!params::hl_db.contains(a.hl_db[i]))
            et.fail(levels_key, fmt::format("level at {} Hz: {}", a.freqs_hz[i], params::hl_db.out_of_range(a.hl_db[i])));
    return a;
}

EarInput read_ear_table(const Table& et, EarSel ears) {
    et.only(kEarKeys);
    // Read in the order of the fields (a braced initialiser evaluates left to right).
    return EarInput{et,
                    ears,
                    read_audiogram(et, "freqs_hz", "hl_db"),
                    read_audiogram(et, "bone_freqs_hz", "bone_hl_db"),
                    et.has("implant") ? read_implant(et) : nullptr,
                    et.boolean("acoustic"),
                    et.boolean("implant_on"),
                    et.boolean("processor_off"),
                    et.number("crossover_hz", params::crossover_hz),
                    et.number("intensity", params::intensity)};
}

// Applies an ear table to one ear of the keyframe's listener, as a listener file's ear table does (an implant
// makes the ear implant-only unless acoustic or crossover_hz say otherwise). Returns whether the ear now has
// air-conduction thresholds of its own.
bool apply_hearing(const EarInput& in, EarHearing& h, EarDevice& d) {
    const Table& et = in.table;
    if (in.air) h.air = *in.air;
    if (in.bone) h.bone = *in.bone;
    if (in.implant) d = EarDevice{in.implant, false, 0.0};
    if (in.crossover_hz) d.crossover_hz = *in.crossover_hz, d.acoustic = true;
    if (in.acoustic) d.acoustic = *in.acoustic;
    if (!d.implant && !d.acoustic)
        et.fail("acoustic", "false needs an implant on that ear (else the ear hears nothing; use processor_off for "
                            "that)");
    if (d.crossover_hz > 0 && !d.implant) et.fail("crossover_hz", "needs an implant on that ear");
    // An implant-only ear needs no audiogram: it is profoundly deaf (120 dB HL, never heard acoustically).
    if (d.implant && !d.acoustic && h.air.empty())
        h.air = Audiogram{{250, 500, 1000, 2000, 4000, 8000}, {120, 120, 120, 120, 120, 120}};
    if (in.air || in.bone)
        for (std::size_t i = 0; i < h.bone.freqs_hz.size(); ++i) {
            const double f = h.bone.freqs_hz[i], air = h.air.at(f);
            if (h.bone.hl_db[i] > air + kMaxBoneAboveAirDb)
                et.fail(in.bone ? "bone_hl_db" : "hl_db",
                        fmt::format("at {} Hz the bone threshold {} dB HL is more than {} dB above the air threshold "
                                    "{} dB HL (bone conduction must be <= air + {} dB)",
                                    f, h.bone.hl_db[i], kMaxBoneAboveAirDb, air, kMaxBoneAboveAirDb));
        }
    return !h.air.empty();
}

// The switches of one ear: carried over from the previous keyframe while the ear keeps the same implant; an
// implant new to the ear starts switched on at its own intensity.
EarState ear_state(Ear e, const Keyframe& k, const Keyframe* prev, const std::vector<EarInput>& inputs) {
    const auto& implant = k.listener.device(e).implant;
    const bool same = prev && implant && implant == prev->listener.device(e).implant;
    EarState st;
    st.implant_on = same ? prev->ear(e).implant_on : bool(implant);
    st.intensity = same ? prev->ear(e).intensity : implant ? implant->intensity : 1.0;
    st.processor_off = prev && prev->ear(e).processor_off;
    for (const EarInput& in : inputs) {
        if (!includes(in.ears, e)) continue;
        if (in.implant_on) st.implant_on = *in.implant_on;
        if (in.intensity) st.intensity = *in.intensity;
        if (in.processor_off) st.processor_off = *in.processor_off;
        // A setting for both ears needs an implant on one of them; one for a single ear on that ear.
        const bool other_has = in.ears == EarSel::both && k.listener.device(e == Ear::left ? Ear::right : Ear::left).implant;
        constexpr const char* kNoImplant = "this ear has no implant (give implant = PRESET|FILE|table, or a listener with one)";
        if (!implant && !other_has && in.implant_on.value_or(false)) in.table.fail("implant_on", kNoImplant);
        if (!implant && !other_has && in.intensity) in.table.fail("intensity", kNoImplant);
    }
    if (!implant) st.implant_on = false;
    return st;
}

// "bisgaard:N2", "bisgaard:N2 with inline left audiogram", "inline audiogram": the listener named last, and
// which ears have had their air thresholds given inline since.
std::string listener_label(const std::string& previous, bool named_here, bool inline_left, bool inline_right) {
    constexpr std::string_view kWith = " with inline ";
    std::string base = previous;
    if (const auto w = previous.find(kWith); w != std::string::npos && !named_here) {
        base = previous.substr(0, w);
        const std::string ears = previous.substr(w + kWith.size());
        inline_left |= ears.rfind("left", 0) == 0 || ears.rfind("both", 0) == 0;
        inline_right |= ears.rfind("right", 0) == 0 || ears.rfind("both", 0) == 0;
    }
    if (base.empty() || base == "inline audiogram") return inline_left || inline_right ? "inline audiogram" : base;
    if (inline_left && inline_right) return "inline audiogram";  // both ears' air thresholds replaced: the base no longer shows
    if (!inline_left && !inline_right) return base;
    return fmt::format("{}{}{} audiogram", base, kWith, inline_left && inline_right ? "both" : inline_left ? "left" : "right");
}

Keyframe read_keyframe(const Table& t, const Keyframe* prev) {
    t.only(kKeyframeKeys);
    Keyframe k;
    k.line = t.line();
    k.time_s = t.need(t.time("time_s"), "time_s", "the time in seconds at which this state is reached");
    if (prev && !(k.time_s > prev->time_s))
        t.fail("time_s", fmt::format("{} s is not after the previous keyframe's {} s (keyframe times must strictly "
                                     "increase)", k.time_s, prev->time_s));
    if (const auto tr = t.table("transition")) {
        if (!prev)
            t.fail("transition", "the first keyframe has no previous state to move from (remove the transition)");
        tr->only(key_names(kTransitionTable));
        Transition x;
        x.duration_s = tr->need(tr->number("duration_s", sp::transition_s), "duration_s", "the transition's length in s");
        const double gap = k.time_s - prev->time_s;
        if (x.duration_s > gap)
            tr->fail("duration_s", fmt::format("{} s is longer than the {} s since the previous keyframe (transitions "
                                               "may not overlap)", x.duration_s, gap));
        x.curve = tr->curve("curve").value_or(Curve::linear);
        k.transition = x;
    }
    k.severity = t.number("severity", sp::severity).value_or(prev ? prev->severity : 1.0);

    bool have_left = false, have_right = false;
    if (t.has("listener")) {
        k.listener = read_listener(t);
        k.listener_label = *t.string("listener");
        have_left = have_right = true;
    } else if (prev) {
        k.listener = prev->listener;
        k.listener_label = prev->listener_label;
        have_left = have_right = true;
    }
    if (t.has("both") && (t.has("left") || t.has("right")))
        t.fail("both", "cannot be combined with left/right (use either both ears together or each ear on its own)");
    std::vector<EarInput> inputs;
    for (const auto& [key, ears] : {std::pair{"both", EarSel::both}, {"left", EarSel::left}, {"right", EarSel::right}})
        if (const auto et = t.table(key)) inputs.push_back(read_ear_table(*et, ears));
    bool inline_left = false, inline_right = false;  // air thresholds from this keyframe's ear tables
    for (const EarInput& in : inputs) {
        inline_left |= in.air && includes(in.ears, Ear::left);
        inline_right |= in.air && includes(in.ears, Ear::right);
        if (includes(in.ears, Ear::left)) have_left |= apply_hearing(in, k.listener.left, k.listener.left_device);
        if (includes(in.ears, Ear::right)) have_right |= apply_hearing(in, k.listener.right, k.listener.right_device);
    }
    if (!have_left || !have_right)
        t.fail(!have_left && !have_right ? "both" : !have_left ? "left" : "right",
               "no air-conduction thresholds (give listener = PRESET|FILE, or freqs_hz and hl_db in [keyframe.both], "
               "[keyframe.left] and [keyframe.right])");
    k.listener_label = listener_label(k.listener_label, t.has("listener"), inline_left, inline_right);
    k.listener.name = k.listener_label;
    try {
        k.listener.validate("");
    } catch (const ConfigError& e) {  // "<empty where>: left air: ..." -> the keyframe's place
        std::string_view msg = e.what();
        while (!msg.empty() && (msg.front() == ':' || msg.front() == ' ')) msg.remove_prefix(1);
        t.fail_here(std::string(msg));
    }
    k.left = ear_state(Ear::left, k, prev, inputs);
    k.right = ear_state(Ear::right, k, prev, inputs);
    return k;
}

// --- events ------------------------------------------------------------------------------------------------
// The highest frequency with a free-field reference threshold (iso389_7_free_field_db_spl), so with a dB SL level.
constexpr double kMaxSlFreqHz = 12500.0;

TinnitusEvent read_tinnitus(const Table& t) {
    t.only(key_names(kTinnitusTable));
    TinnitusEvent e;
    e.line = t.line();
    e.start_s = t.need(t.time("start_s"), "start_s", "the time in seconds at which the tinnitus begins");
    e.kind = t.choice("kind", names::tinnitus_kind)
                 .value_or(TinnitusKind::tone);
    e.freq_hz = t.need(t.number("freq_hz", sp::event_freq_hz), "freq_hz", "the tinnitus frequency in Hz");
    if (t.has("level_db_spl") == t.has("level_db_sl"))
        t.fail(t.has("level_db_spl") ? "level_db_sl" : "level_db_spl",
               t.has("level_db_spl") ? "give either level_db_spl or level_db_sl, not both"
                                     : "missing (give level_db_spl, or level_db_sl above the listener's threshold)");
    e.level_db_spl = t.number("level_db_spl", sp::tinnitus_level_db_spl);
    e.level_db_sl = t.number("level_db_sl", sp::tinnitus_level_db_sl);
    if (e.level_db_sl && e.freq_hz > kMaxSlFreqHz)
        t.fail("level_db_sl", fmt::format("needs freq_hz <= {} Hz (the free-field reference thresholds, ISO 389-7, end "
                                          "there; give level_db_spl)", kMaxSlFreqHz));
    if (t.has("bandwidth_hz") && e.kind != TinnitusKind::narrowband_noise)
        t.fail("bandwidth_hz", "only for kind = \"narrowband_noise\"");
    if (e.kind == TinnitusKind::narrowband_noise) {
        // Default: one third of an octave around freq_hz (at least 10 Hz).
        const double third = e.freq_hz * (std::exp2(1.0 / 6) - std::exp2(-1.0 / 6));
        e.bandwidth_hz = t.number("bandwidth_hz", sp::bandwidth_hz).value_or(std::max(sp::bandwidth_hz.min_value, third));
        if (e.bandwidth_hz > e.freq_hz)
            t.fail("bandwidth_hz", fmt::format("{} Hz is wider than freq_hz = {} Hz (accepted: [{}, freq_hz] Hz)",
                                               e.bandwidth_hz, e.freq_hz, sp::bandwidth_hz.min_value));
    }
    if (t.has("decay_s") && e.kind != TinnitusKind::ring_out) t.fail("decay_s", "only for kind = \"ring_out\"");
    if (e.kind == TinnitusKind::ring_out) e.decay_s = t.number("decay_s", sp::decay_s).value_or(sp::decay_s.default_value);
    e.attack_s = t.number("attack_s", sp::ramp_s).value_or(e.attack_s);
    e.release_s = t.number("release_s", sp::ramp_s).value_or(e.release_s);
    e.ear = t.ear("ear").value_or(EarSel::both);
    if (t.has("end_s") && t.has("duration_s")) t.fail("duration_s", "give either end_s or duration_s, not both");
    if (const auto end = t.time("end_s")) {
        if (!(*end > e.start_s))
            t.fail("end_s", fmt::format("{} s is not after start_s = {} s (an event ends after it starts)", *end, e.start_s));
        e.end_s = *end;
    } else if (const auto d = t.number("duration_s", sp::duration_s)) {
        e.end_s = e.start_s + *d;
        if (t.ctx().duration_s && e.end_s > *t.ctx().duration_s)
            t.fail("duration_s", fmt::format("ends at {} s, beyond the scene's duration_s of {} s", e.end_s, *t.ctx().duration_s));
    }
    return e;
}

PopEvent read_pop(const Table& t) {
    t.only(key_names(kPopTable));
    PopEvent p;
    p.line = t.line();
    p.time_s = t.need(t.time("time_s"), "time_s", "the time in seconds of the pop");
    p.level_db_spl = t.number("level_db_spl", sp::pop_level_db_spl).value_or(sp::pop_level_db_spl.default_value);
    p.ear = t.ear("ear").value_or(EarSel::both);
    return p;
}

// [[pov]] or [[body]]: points strictly increasing in time, each with its value and the curve from the last.
std::vector<AutomationPoint> read_points(const Table& top, std::string_view key, std::string_view value_key,
                                         const ParamSpec& range) {
    std::vector<AutomationPoint> out;
    for (const Table& t : top.tables(key)) {
        t.only(key_names(value_key == "inside" ? std::span<const KeySpec>(kPovTable) : std::span<const KeySpec>(kBodyTable)));
        AutomationPoint p;
        p.line = t.line();
        p.time_s = t.need(t.time("time_s"), "time_s", "the time in seconds of this point");
        if (!out.empty() && !(p.time_s > out.back().time_s))
            t.fail("time_s", fmt::format("{} s is not after the previous point's {} s (points must strictly increase in "
                                         "time)", p.time_s, out.back().time_s));
        p.value = t.need(t.number(value_key, range), value_key, fmt::format("{}", range.help));
        if (t.has("curve") && out.empty())
            t.fail("curve", "the first point has no previous point to move from (remove the curve)");
        p.curve = t.curve("curve").value_or(Curve::linear);
        out.push_back(p);
    }
    return out;
}

}  // namespace

std::span<const KeyTable> scene_key_tables() { return kSceneTables; }

Scene parse_scene_toml(std::string_view text, std::string_view file_name) {
    Ctx ctx{detail::Source{printable(file_name), detail::Format::toml, fs::path(file_name)}, fs::path(file_name).parent_path(),
            std::nullopt};
    const detail::Node root = detail::parse_toml_tree(text, ctx.src.file);
    const Table top(ctx, detail::KeyReader(ctx.src, root));
    top.only(key_names(kTopTable));
    Scene s;
    s.file = std::string(file_name);
    // Shown on terminals: control characters escaped (printable).
    s.name = printable(top.string("name").value_or(fs::path(file_name).stem().string()));
    s.description = printable(top.string("description").value_or(""));
    s.duration_s = ctx.duration_s = top.number("duration_s", sp::duration_s);
    for (const Table& t : top.tables("keyframe")) s.keyframes.push_back(read_keyframe(t, s.keyframes.empty() ? nullptr : &s.keyframes.back()));
    if (s.keyframes.empty())
        top.fail("keyframe", "no [[keyframe]] tables (a scene needs at least one listener state)");
    for (const Table& t : top.tables("tinnitus")) s.tinnitus.push_back(read_tinnitus(t));
    for (const Table& t : top.tables("pop")) s.pops.push_back(read_pop(t));
    std::stable_sort(s.tinnitus.begin(), s.tinnitus.end(), [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
    std::stable_sort(s.pops.begin(), s.pops.end(), [](const auto& a, const auto& b) { return a.time_s < b.time_s; });
    s.pov = read_points(top, "pov", "inside", sp::inside);
    s.body_gain_db = read_points(top, "body", "gain_db", sp::body_gain_db);
    check_scene_limits(s, ctx.src.file);  // caps on keyframes, events and events sounding at once (scene.hpp)
    return s;
}

Scene read_scene_file(const fs::path& path) {
    const std::string file = path.string();
    const ReferenceGuard on_chain(path);  // the top of the chain of the listener and implant files it names
    return parse_scene_toml(read_text_file(path, "scene file"), file);
}

}  // namespace earshot
