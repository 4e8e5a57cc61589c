#include "earshot/scene/scene.hpp"

#include "earshot/scene/scene_names.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "earshot/core/error.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/scene/pop.hpp"

namespace earshot {

namespace {

// Value of a change that runs over [end_s - duration_s, end_s] along `curve`, at time_s.
double progress(Curve curve, double duration_s, double end_s, double time_s) noexcept {
    if (time_s >= end_s) return 1.0;
    if (!(duration_s > 0.0)) return 0.0;
    return curve_value(curve, (time_s - (end_s - duration_s)) / duration_s);
}

Audiogram scaled(Audiogram a, double severity) {
    for (double& hl : a.hl_db)
        hl = std::clamp(hl * severity, params::hl_db.min_value, params::hl_db.max_value);
    return a;
}

}  // namespace

std::string_view curve_name(Curve c) noexcept { return names::curve.to_name(c); }

std::optional<Curve> curve_from_name(std::string_view name) noexcept { return names::curve.find(name); }

std::string_view curve_names() noexcept { return "linear, ease_in, ease_out, smooth, step"; }  // names::curve.list(), tested

double curve_value(Curve c, double x) noexcept {
    if (!(x > 0.0)) return 0.0;  // also NaN
    if (x >= 1.0) return 1.0;
    switch (c) {
        case Curve::linear: return x;
        case Curve::ease_in: return x * x;
        case Curve::ease_out: return 1.0 - (1.0 - x) * (1.0 - x);
        case Curve::smooth: return 0.5 - 0.5 * std::cos(M_PI * x);
        case Curve::step: return 0.0;
    }
    return x;
}

std::string_view ear_sel_name(EarSel e) noexcept { return names::ears.to_name(e); }

std::string_view tinnitus_kind_name(TinnitusKind k) noexcept { return names::tinnitus_kind.to_name(k); }

double automation_at(const std::vector<AutomationPoint>& points, double time_s) noexcept {
    if (points.empty()) return 0.0;
    // The first point later than time_s; before the first point and from the last one on, constant.
    const auto next = std::upper_bound(points.begin(), points.end(), time_s,
                                       [](double t, const AutomationPoint& p) { return t < p.time_s; });
    if (next == points.begin()) return points.front().value;
    if (next == points.end()) return points.back().value;
    const AutomationPoint& prev = *(next - 1);
    const double w = progress(next->curve, next->time_s - prev.time_s, next->time_s, time_s);
    return prev.value + w * (next->value - prev.value);
}

double Scene::last_time_s() const noexcept {
    double t = 0.0;
    for (const auto& k : keyframes) t = std::max(t, k.time_s);
    for (const auto& e : tinnitus) t = std::max(t, std::isfinite(e.end_s) ? e.end_s : e.start_s);
    for (const auto& p : pops) t = std::max(t, p.time_s);
    for (const auto* pts : {&pov, &body_gain_db})
        if (!pts->empty()) t = std::max(t, pts->back().time_s);
    return t;
}

KeyframeSpan span_at(const Scene& scene, double time_s) noexcept {
    const auto& ks = scene.keyframes;
    const auto next = std::upper_bound(ks.begin(), ks.end(), time_s,
                                       [](double t, const Keyframe& k) { return t < k.time_s; });
    if (ks.empty()) return {};
    if (next == ks.begin()) return {0, 0, 0.0};
    const std::size_t to = static_cast<std::size_t>(next - ks.begin());
    if (next == ks.end()) return {to - 1, to - 1, 1.0};
    const Transition tr = next->transition.value_or(Transition{});
    return {to - 1, to, progress(tr.curve, tr.duration_s, next->time_s, time_s)};
}

double pov_inside_at(const Scene& scene, double time_s) noexcept {
    return scene.pov.empty() ? 1.0 : automation_at(scene.pov, time_s);
}

double body_gain_db_at(const Scene& scene, double time_s) noexcept {
    return scene.body_gain_db.empty() ? 0.0 : automation_at(scene.body_gain_db, time_s);
}

Listener keyframe_listener(const Keyframe& k) {
    Listener l = k.listener;
    for (const Ear e : {Ear::left, Ear::right}) {
        EarHearing& hearing = e == Ear::left ? l.left : l.right;
        EarDevice& device = e == Ear::left ? l.left_device : l.right_device;
        hearing.air = scaled(hearing.air, k.severity);
        hearing.bone = scaled(hearing.bone, k.severity);
        if (!device.implant) continue;
        if (!k.ear(e).implant_on) {
            device = EarDevice{};
            continue;
        }
        auto implant = std::make_shared<ImplantParams>(*device.implant);
        implant->intensity = k.ear(e).intensity;
        device.implant = std::move(implant);
    }
    return l;
}

double sounding_end_s(const TinnitusEvent& e) noexcept {
    if (std::isfinite(e.end_s)) return e.end_s + e.release_s;
    if (e.kind == TinnitusKind::ring_out) return e.start_s + e.attack_s + std::max(e.decay_s, 0.001) * std::log(1e6);
    return std::numeric_limits<double>::infinity();
}

double sounding_end_s(const PopEvent& e) noexcept { return e.time_s + PopParams{}.duration_s; }

void check_scene_limits(const Scene& sc, const std::string& file) {
    using namespace scene_limits;
    if (sc.keyframes.size() > max_keyframes)
        throw ConfigError(fmt::format("{}: {} keyframes; a scene may have at most {}", file, sc.keyframes.size(),
                                      max_keyframes));
    const std::size_t events = sc.tinnitus.size() + sc.pops.size();
    if (events > max_events)
        throw ConfigError(fmt::format("{}: {} events (tinnitus and pops); a scene may have at most {}", file, events,
                                      max_events));
    // Sweep over the events' sounding intervals: +1 at a start, -1 at an end (ends first at the same time).
    struct Edge {
        double t;
        int delta;
        std::size_t index;  // tinnitus i, or pops at tinnitus.size() + i
    };
    std::vector<Edge> edges;
    edges.reserve(2 * events);
    for (std::size_t i = 0; i < sc.tinnitus.size(); ++i) {
        edges.push_back({sc.tinnitus[i].start_s, +1, i});
        const double end = sounding_end_s(sc.tinnitus[i]);
        if (std::isfinite(end)) edges.push_back({end, -1, i});
    }
    for (std::size_t i = 0; i < sc.pops.size(); ++i) {
        edges.push_back({sc.pops[i].time_s, +1, sc.tinnitus.size() + i});
        edges.push_back({sounding_end_s(sc.pops[i]), -1, sc.tinnitus.size() + i});
    }
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
        if (a.t != b.t) return a.t < b.t;
        return a.delta != b.delta ? a.delta < b.delta : a.index < b.index;  // at one time: in the file's order
    });
    std::size_t sounding = 0;
    for (const Edge& e : edges) {
        if (e.delta < 0) {
            --sounding;
            continue;
        }
        if (++sounding <= max_sounding_events) continue;
        const bool pop = e.index >= sc.tinnitus.size();
        const std::size_t i = pop ? e.index - sc.tinnitus.size() : e.index;
        throw ConfigError(fmt::format("{}:{}: {} {}: {} events would sound at once at {} s; at most {} may sound at "
                                      "the same time",
                                      file, pop ? sc.pops[i].line : sc.tinnitus[i].line, pop ? "pop" : "tinnitus", i + 1,
                                      sounding, e.t, max_sounding_events));
    }
}

}  // namespace earshot
