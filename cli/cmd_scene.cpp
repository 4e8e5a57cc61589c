// earshot scene check FILE.toml: validates a scene file and prints what it describes over time.
#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "earshot/core/error.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/scene_file.hpp"

namespace earshot::cli {

namespace {

std::string secs(double t) { return fmt::format("{:g} s", t); }

// What one ear does in a keyframe besides its audiogram: its implant and switches ("" when nothing).
std::string ear_note(const Keyframe& k, Ear e) {
    const EarDevice& d = k.listener.device(e);
    const EarState& st = k.ear(e);
    std::vector<std::string> parts;
    if (d.implant) {
        parts.push_back(fmt::format("implant {} {}", d.implant->name, st.implant_on ? "on" : "off"));
        if (st.implant_on) parts.push_back(fmt::format("intensity {:g}", st.intensity));
        if (st.implant_on && d.acoustic) parts.push_back(d.crossover_hz > 0 ? fmt::format("acoustic below {:g} Hz", d.crossover_hz) : "with acoustic hearing");
    }
    if (st.processor_off) parts.push_back("processor off (hears only the body)");
    return fmt::format("{}", fmt::join(parts, ", "));
}

void print_keyframes(const Scene& s) {
    fmt::print("keyframes: {}\n", s.keyframes.size());
    for (std::size_t i = 0; i < s.keyframes.size(); ++i) {
        const Keyframe& k = s.keyframes[i];
        std::string line = fmt::format("  {:>2}  {:>9}  {}", i + 1, secs(k.time_s), k.listener_label);
        if (k.severity != 1.0) line += fmt::format(", severity {:g}", k.severity);
        if (k.transition && k.transition->duration_s > 0)
            line += fmt::format("; transition {} {} from {}", secs(k.transition->duration_s),
                                curve_name(k.transition->curve), secs(k.time_s - k.transition->duration_s));
        else if (i > 0)
            line += "; cut";
        fmt::print("{}\n", line);
        const std::string l = ear_note(k, Ear::left), r = ear_note(k, Ear::right);
        if (!l.empty() && l == r) fmt::print("{:17}both ears: {}\n", "", l);
        else {
            if (!l.empty()) fmt::print("{:17}left: {}\n", "", l);
            if (!r.empty()) fmt::print("{:17}right: {}\n", "", r);
        }
    }
}

void print_events(const Scene& s) {
    fmt::print("events: {}\n", s.tinnitus.size() + s.pops.size());
    for (const PopEvent& p : s.pops)
        fmt::print("  pop       {:>9}  {:g} dB SPL, {} ear{}\n", secs(p.time_s), p.level_db_spl, ear_sel_name(p.ear),
                   p.ear == EarSel::both ? "s" : "");
    for (const TinnitusEvent& e : s.tinnitus) {
        const std::string end = std::isfinite(e.end_s)                ? "to " + secs(e.end_s)
                                : e.kind == TinnitusKind::ring_out ? std::string("until it has rung out")
                                                                   : std::string("to the end");
        std::string what = fmt::format("{} {:g} Hz", tinnitus_kind_name(e.kind), e.freq_hz);
        if (e.kind == TinnitusKind::narrowband_noise) what += fmt::format(" ({:g} Hz wide)", e.bandwidth_hz);
        what += e.level_db_spl ? fmt::format(", {:g} dB SPL", *e.level_db_spl)
                               : fmt::format(", {:g} dB above threshold", *e.level_db_sl);
        what += fmt::format(", attack {}, release {}", secs(e.attack_s), secs(e.release_s));
        if (e.kind == TinnitusKind::ring_out) what += fmt::format(", decay {}", secs(e.decay_s));
        fmt::print("  tinnitus  {:>9} {}  {}, {} ear{}\n", secs(e.start_s), end, what, ear_sel_name(e.ear),
                   e.ear == EarSel::both ? "s" : "");
    }
}

void print_points(const char* title, const std::vector<AutomationPoint>& points, const char* unit, const char* none) {
    if (points.empty()) {
        fmt::print("{}: {}\n", title, none);
        return;
    }
    fmt::print("{}: {} point{}\n", title, points.size(), points.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < points.size(); ++i)
        fmt::print("      {:>9}  {:g}{}{}\n", secs(points[i].time_s), points[i].value, unit,
                   i == 0 ? "" : fmt::format("  ({} from {})", curve_name(points[i].curve), secs(points[i - 1].time_s)));
}

int check(const std::string& file) {
    Scene s;
    try {
        s = read_scene_file(file);
    } catch (const Error& e) {
        throw ConfigError(e.what());  // an invalid scene is a usage error (exit 2), whatever its cause
    }
    fmt::print("scene: {} ({})\n", s.name, file);
    if (!s.description.empty()) fmt::print("description: {}\n", s.description);
    if (s.duration_s)
        fmt::print("duration: {} (duration_s)\n", secs(*s.duration_s));
    else
        fmt::print("duration: the input's (the scene names times up to {})\n", secs(s.last_time_s()));
    print_keyframes(s);
    print_events(s);
    print_points("pov (inside: 1 = the listener, 0 = outside)", s.pov, "", "inside throughout");
    print_points("body bus gain", s.body_gain_db, " dB", "0 dB throughout (when --body is given)");
    fmt::print("ok\n");
    return kOk;
}

}  // namespace

Command add_scene_command(CLI::App& app) {
    auto file = std::make_shared<std::string>();
    CLI::App* sub = app.add_subcommand("scene", "inspect a scene file (hearing that changes over time)");
    sub->require_subcommand(1);
    CLI::App* c = sub->add_subcommand("check", "validate a scene file and print its timeline (docs/scene-files.md)");
    c->add_option("scene", *file, "scene file (.toml)")->required()->type_name("FILE.toml");
    const char* examples =
        "Examples:\n"
        "  earshot scene check examples/scenes/story.toml\n"
        "  earshot render speech.wav out.wav --scene examples/scenes/story.toml --timeline story.png\n";
    sub->footer(examples);
    c->footer(examples);
    return {sub, [file] { return check(*file); }};
}

}  // namespace earshot::cli
