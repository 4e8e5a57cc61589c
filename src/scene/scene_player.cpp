#include "earshot/scene/scene_player.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>

#include "earshot/core/denormals.hpp"
#include "earshot/dsp/delay_line.hpp"
#include "earshot/core/error.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/hearing/loss_degree.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/scene/pop.hpp"
#include "earshot/scene/tinnitus.hpp"

namespace earshot {
namespace {

constexpr double kWarmupS = 0.5;     // a state runs this long before it is heard
constexpr double kMaxStepDb = 3.0;   // intermediate states at most this far apart
constexpr int kMaxChain = scene_limits::max_transition_steps;
constexpr double kBoundaryWidth = 8.0;  // a step across a change of the model's degree class is this many steps long
constexpr double kStateLeadS = 1.0;  // prepare_ahead() builds a state this long before its warm-up starts
constexpr double kEventLeadS = 0.1;  // ... and an event's generators this long before it starts
constexpr std::size_t kMaxEventSlots = 1024;

// Handoff between prepare_ahead() (builds, frees) and process() (runs): single producer, single consumer.
enum Stage : std::uint8_t {
    kEmpty = 0,  // nothing built; prepare_ahead() may build it
    kReady = 1,  // built; process() runs it (acquire on load, release on store)
    kDone = 2,   // finished sounding (set by process()); prepare_ahead() frees it
};

// What a state is: keyframe k (step == 0), or step j of `steps` on the way from keyframe k-1 to k.
struct State {
    std::size_t k = 0;
    int step = 0, steps = 1;
    bool off[2] = {false, false};  // processor off, left / right
    double start_s = 0, end_s = 0;  // audible (input time)
    std::int64_t run_from = 0, run_to = 0;  // input samples processed: [run_from, run_to)
};

// A built state (only while it is about to sound, sounds, or has just finished).
struct Runtime {
    std::unique_ptr<ListenerProcessor> proc;
    std::vector<float> buf;         // channels x block
    std::vector<float*> ptr;
    std::vector<DelayLine> delay;
    bool running = false;
};

struct StateSlot {
    std::atomic<std::uint8_t> stage{kEmpty};
    std::unique_ptr<Runtime> rt;
};

// An event on the output timeline (input sample + latency).
struct EventRef {
    bool pop = false;
    std::size_t index = 0;           // into Scene::tinnitus or Scene::pops
    std::int64_t start = 0;          // first sample (output timeline)
    std::int64_t stop = -1;          // tinnitus release starts here; -1: none
};

// Generators of one event, one per channel that hears it.
struct EventSlot {
    std::atomic<std::uint8_t> stage{kEmpty};
    std::size_t event = 0;           // into Impl::events
    bool started = false;            // process() has scheduled its start
    bool has[8] = {};
    std::vector<TinnitusGenerator> tinnitus;  // [channel]
    std::vector<PopGenerator> pops;           // [channel]
};

// The same implant apart from where its electrodes sound (adaptation) and its mix: then a transition can
// move through intermediate adaptations (first activation -> experienced) instead of crossfading.
bool same_implant_but_place(const ImplantParams& a, const ImplantParams& b) {
    auto key = [](ImplantParams p) {
        p.name.clear(), p.description.clear(), p.adaptation = 0, p.intensity = 1;
        return p;
    };
    return key(a) == key(b);
}

bool same_device(const EarDevice& a, const EarDevice& b) {
    const bool implants = a.implant == b.implant || (a.implant && b.implant && same_implant_but_place(*a.implant, *b.implant));
    return implants && a.acoustic == b.acoustic && a.crossover_hz == b.crossover_hz && a.hearing_aid == b.hearing_aid;
}

double adaptation_of(const EarDevice& d) { return d.implant ? d.implant->adaptation : 0.0; }

bool same_structure(const Keyframe& a, const Keyframe& b) {
    for (Ear e : {Ear::left, Ear::right}) {
        if (!same_device(a.listener.device(e), b.listener.device(e))) return false;
        if (a.ear(e).implant_on != b.ear(e).implant_on || a.ear(e).processor_off != b.ear(e).processor_off) return false;
    }
    return true;
}

std::vector<double> union_freqs(const Audiogram& a, const Audiogram& b) {
    std::vector<double> f = a.freqs_hz;
    f.insert(f.end(), b.freqs_hz.begin(), b.freqs_hz.end());
    std::sort(f.begin(), f.end());
    f.erase(std::unique(f.begin(), f.end()), f.end());
    return f;
}

// a (severity sa) and b (severity sb) blended at x in dB HL per frequency, severity applied.
Audiogram blend(const Audiogram& a, double sa, const Audiogram& b, double sb, double x) {
    if (a.empty() || b.empty()) return x < 0.5 ? a : b;
    Audiogram out;
    out.freqs_hz = union_freqs(a, b);
    for (double f : out.freqs_hz)
        out.hl_db.push_back(std::clamp((1 - x) * a.at(f) * sa + x * b.at(f) * sb, -10.0, 120.0));
    return out;
}

double max_difference_db(const Keyframe& a, const Keyframe& b) {
    double d = 0;
    for (Ear e : {Ear::left, Ear::right}) {
        const Audiogram &x = a.listener.ear(e).air, &y = b.listener.ear(e).air;
        for (double f : union_freqs(x, y)) d = std::max(d, std::fabs(x.at(f) * a.severity - y.at(f) * b.severity));
        d = std::max(d, 20.0 * std::fabs(a.ear(e).intensity - b.ear(e).intensity));  // 1 step per 0.15 of intensity
        // 1 step per 0.1 of adaptation (each electrode's place moves by up to ~0.2 octave per step)
        d = std::max(d, 30.0 * std::fabs(adaptation_of(a.listener.device(e)) - adaptation_of(b.listener.device(e))));
    }
    return d;
}

// The state chain's intermediate keyframe between a and b at x (0 < x < 1): audiograms blended in dB HL with the
// severities applied, intensities and implant adaptations interpolated.
Keyframe intermediate(const Keyframe& a, const Keyframe& b, double x) {
    Keyframe mid = a;
    mid.severity = 1.0;
    for (Ear e : {Ear::left, Ear::right}) {
        EarHearing& h = e == Ear::left ? mid.listener.left : mid.listener.right;
        h.air = blend(a.listener.ear(e).air, a.severity, b.listener.ear(e).air, b.severity, x);
        h.bone = blend(a.listener.ear(e).bone, a.severity, b.listener.ear(e).bone, b.severity, x);
        EarState& st = e == Ear::left ? mid.left : mid.right;
        st.intensity = (1 - x) * a.ear(e).intensity + x * b.ear(e).intensity;
        EarDevice& dev = e == Ear::left ? mid.listener.left_device : mid.listener.right_device;
        const EarDevice& db = b.listener.device(e);
        if (dev.implant && db.implant && dev.implant != db.implant) {
            ImplantParams ip = *dev.implant;
            ip.adaptation = (1 - x) * dev.implant->adaptation + x * db.implant->adaptation;
            ip.name += fmt::format(" (adaptation {:.2f})", ip.adaptation);
            dev.implant = std::make_shared<const ImplantParams>(std::move(ip));
        }
    }
    return mid;
}

// Up to this many distinct listeners, prepare() measures the latency on built models (exact); beyond, it bounds it
// (listener_latency_bound(): no model built).
constexpr std::size_t kExactLatencyListeners = 4;

// Whether two listeners have everything their models are built from in common (then equal models,
// latencies and warnings): the audiograms and each ear's device, its implant's every parameter.
bool same_model(const Listener& a, const Listener& b) {
    auto same_audiogram = [](const Audiogram& x, const Audiogram& y) { return x.freqs_hz == y.freqs_hz && x.hl_db == y.hl_db; };
    for (Ear e : {Ear::left, Ear::right}) {
        if (!same_audiogram(a.ear(e).air, b.ear(e).air) || !same_audiogram(a.ear(e).bone, b.ear(e).bone)) return false;
        const EarDevice& x = a.device(e);
        const EarDevice& y = b.device(e);
        if (x.acoustic != y.acoustic || x.crossover_hz != y.crossover_hz || x.hearing_aid != y.hearing_aid) return false;
        if (bool(x.implant) != bool(y.implant) || (x.implant && x.implant != y.implant && !(*x.implant == *y.implant))) return false;
    }
    return true;
}

// The generator's parameters for a scene's tinnitus event (the seed is set per ear by the caller).
TinnitusParams tinnitus_params(const TinnitusEvent& ev) {
    TinnitusParams p;
    p.kind = ev.kind;
    p.freq_hz = ev.freq_hz;
    if (ev.kind == TinnitusKind::narrowband_noise) p.bandwidth_hz = ev.bandwidth_hz;
    p.attack_s = ev.attack_s, p.release_s = ev.release_s;
    if (ev.kind == TinnitusKind::ring_out) p.decay_s = std::max(ev.decay_s, 0.001);
    if (ev.level_db_spl) {
        p.level_db = *ev.level_db_spl;
    } else {
        // dB above threshold, as the patient matches it. The simulation maps the listener's threshold onto the
        // normal threshold (recruitment: a tone at threshold comes out at about 0 dB HL), and the tinnitus is
        // added after the simulation, so it sits that far above the normal threshold.
        p.level_ref = LevelRef::db_sl;
        p.level_db = *ev.level_db_sl;
        p.threshold_db_spl = hl_to_free_field_db_spl(0.0, ev.freq_hz);
    }
    return p;
}

}  // namespace

struct ScenePlayer::Impl {
    ScenePlayerConfig config;
    std::vector<State> states;              // keyframes first, then intermediates
    std::unique_ptr<StateSlot[]> slots;     // [states.size()]
    std::vector<std::size_t> order;         // states by run_from
    std::vector<std::vector<int>> chain;    // chain[k]: states from keyframe k-1 to k (k >= 1)
    std::vector<std::vector<double>> at;    // at[k][j]: the weight at which chain[k][j] is heard alone (0 .. 1)
    std::vector<std::string> notes;  // warnings of the listener models
    std::vector<std::string> info;   // how the transitions are rendered
    ProcessSpec spec;
    std::size_t latency = 0;
    std::vector<DelayLine> outside_delay, body_delay;
    std::vector<float> scratch, body_buf;
    // Events, sorted by start; slots hold the generators of those about to start or sounding.
    std::vector<EventRef> events;
    std::unique_ptr<EventSlot[]> event_slots;
    std::size_t num_event_slots = 0;
    std::vector<std::size_t> active;        // process(): the slots running this block (capacity reserved)

    // process() only.
    std::int64_t pos = 0;                   // input samples consumed
    std::size_t live_lo = 0;                // order[live_lo ..]: states not yet finished
    // prepare_ahead() only.
    std::size_t build_next = 0;             // order[build_next ..]: states not yet built
    std::vector<std::size_t> resident;      // states built (capacity reserved)
    std::size_t event_next = 0;             // events[event_next ..]: not yet given a slot
    // Shared.
    std::atomic<std::int64_t> published_pos{0};
    std::atomic<std::size_t> late{0};
    std::atomic<std::size_t> resident_count{0}, resident_peak{0}, events_peak{0};

    Ear ear_of(std::size_t c) const noexcept {
        return config.hearing.ear ? *config.hearing.ear : (c % 2 == 0 ? Ear::left : Ear::right);
    }

    Listener listener_of(const State& s) const {
        const auto& ks = config.scene.keyframes;
        if (s.step == 0) return keyframe_listener(ks[s.k]);
        return keyframe_listener(intermediate(ks[s.k - 1], ks[s.k], double(s.step) / s.steps));
    }

    // The input time at which span k's weight first exceeds v (bisection; a cut: the keyframe's time).
    double time_of_weight(std::size_t k, double v) const {
        const Keyframe& kf = config.scene.keyframes[k];
        if (!kf.transition || kf.transition->duration_s <= 0) return kf.time_s;
        double lo = kf.time_s - kf.transition->duration_s, hi = kf.time_s;
        if (span_at(config.scene, lo).weight > v) return lo;
        for (int i = 0; i < 60; ++i) {
            const double mid = 0.5 * (lo + hi);
            const KeyframeSpan s = span_at(config.scene, mid);
            (s.to == k && s.weight > v ? hi : lo) = mid;
        }
        return hi;
    }

    void build_state(std::size_t i);
    void build_event(EventSlot& slot, std::size_t e);
    void pump();
};

ScenePlayer::ScenePlayer(ScenePlayerConfig config) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.config = std::move(config);
    const Scene& sc = m.config.scene;
    if (sc.keyframes.empty()) throw ConfigError(fmt::format("{}: the scene has no keyframes", sc.file));
    check_scene_limits(sc, sc.file);
    const std::size_t nk = sc.keyframes.size();
    for (std::size_t k = 0; k < nk; ++k) {
        const Keyframe& kf = sc.keyframes[k];
        State s;
        s.k = k;
        s.off[0] = kf.left.processor_off, s.off[1] = kf.right.processor_off;
        m.states.push_back(s);
    }
    m.chain.assign(nk, {});
    m.at.assign(nk, {});
    for (std::size_t k = 1; k < nk; ++k) {
        const Keyframe &a = sc.keyframes[k - 1], &b = sc.keyframes[k];
        std::vector<int> ch{int(k - 1)};
        const bool smooth = b.transition && b.transition->duration_s > 0 && b.transition->curve != Curve::step;
        // The air audiograms of the chain's states, for the degree-class boundaries below.
        std::vector<std::pair<Audiogram, Audiogram>> air{{keyframe_listener(a).left.air, keyframe_listener(a).right.air}};
        if (smooth && same_structure(a, b)) {
            const int steps = std::clamp(int(std::ceil(max_difference_db(a, b) / kMaxStepDb)), 1, kMaxChain);
            for (int j = 1; j < steps; ++j) {
                State s;
                s.k = k, s.step = j, s.steps = steps;
                s.off[0] = a.left.processor_off, s.off[1] = a.right.processor_off;
                const Listener l = m.listener_of(s);
                air.emplace_back(l.left.air, l.right.air);
                ch.push_back(int(m.states.size()));
                m.states.push_back(s);
            }
            m.info.push_back(fmt::format("{}:{}: keyframe {}: reached through {} intermediate states ({:.1f} dB apart at most)",
                                         sc.file, b.line, k + 1, steps - 1, max_difference_db(a, b) / steps));
        }
        ch.push_back(int(k));
        air.emplace_back(keyframe_listener(b).left.air, keyframe_listener(b).right.air);
        // Where the listener model changes its structure (MSBG's degree class: filterbank broadening,
        // smearing, channel alignment), neighbouring states differ in phase, so that step gets a longer
        // crossfade (kBoundaryWidth ordinary steps); the others share the rest evenly.
        std::vector<double> width;
        for (std::size_t j = 0; j + 1 < ch.size(); ++j) {
            bool boundary = false;
            for (Ear e : {Ear::left, Ear::right}) {
                const Audiogram& x = e == Ear::left ? air[j].first : air[j].second;
                const Audiogram& y = e == Ear::left ? air[j + 1].first : air[j + 1].second;
                boundary = boundary || degree_params(x, m.config.hearing.degree).class_name !=
                                           degree_params(y, m.config.hearing.degree).class_name;
            }
            width.push_back(boundary && ch.size() > 2 ? kBoundaryWidth : 1.0);
        }
        std::vector<double> at{0.0};
        double total = 0;
        for (double w : width) total += w;
        for (double w : width) at.push_back(at.back() + w / total);
        at.back() = 1.0;
        m.chain[k] = std::move(ch);
        m.at[k] = std::move(at);
    }
    // When each state is heard (input time).
    const double inf = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < nk; ++k) {
        State& s = m.states[k];
        if (k == 0) {
            s.start_s = -inf;
        } else {
            const auto& at = m.at[k];
            s.start_s = m.time_of_weight(k, at[at.size() - 2]);
        }
        if (k + 1 == nk) {
            s.end_s = inf;
        } else {
            // held until the next span's weight reaches its second state
            s.end_s = m.time_of_weight(k + 1, m.at[k + 1][1]);
        }
    }
    for (std::size_t k = 1; k < nk; ++k) {
        const auto& ch = m.chain[k];
        for (std::size_t j = 1; j + 1 < ch.size(); ++j) {
            State& s = m.states[std::size_t(ch[j])];
            s.start_s = m.time_of_weight(k, m.at[k][j - 1]);
            s.end_s = m.time_of_weight(k, m.at[k][j + 1]);
        }
    }
    m.slots = std::make_unique<StateSlot[]>(m.states.size());
}

ScenePlayer::~ScenePlayer() = default;
ScenePlayer::ScenePlayer(ScenePlayer&&) noexcept = default;
ScenePlayer& ScenePlayer::operator=(ScenePlayer&&) noexcept = default;

void ScenePlayer::Impl::build_state(std::size_t i) {
    const std::size_t nc = spec.num_channels, nb = spec.max_block_frames;
    auto rt = std::make_unique<Runtime>();
    rt->proc = std::make_unique<ListenerProcessor>(HearingLossConfig{listener_of(states[i]), config.calibration, config.hearing});
    rt->proc->prepare(spec);
    rt->buf.assign(nc * nb, 0.f);
    rt->ptr.resize(nc);
    for (std::size_t c = 0; c < nc; ++c) rt->ptr[c] = rt->buf.data() + c * nb;
    rt->delay.assign(nc, {});
    // prepare() measured or bounded this model's latency (same model): it is at most `latency` (tests/unit/test_latency_bound.cpp).
    const std::size_t own = std::min(latency, rt->proc->latency_samples());
    for (auto& d : rt->delay) d.prepare(latency - own);
    slots[i].rt = std::move(rt);
    slots[i].stage.store(kReady, std::memory_order_release);
}

void ScenePlayer::Impl::build_event(EventSlot& slot, std::size_t e) {
    const Scene& sc = config.scene;
    const std::size_t nc = spec.num_channels;
    const double fs = spec.sample_rate_hz;
    const EventRef& ref = events[e];
    slot.event = e;
    slot.started = false;
    for (std::size_t c = 0; c < nc; ++c) {
        const Ear ear = ear_of(c);
        if (ref.pop) {
            const PopEvent& ev = sc.pops[ref.index];
            slot.has[c] = nc == 1 || includes(ev.ear, ear);
            if (!slot.has[c]) continue;
            PopParams p;
            p.peak_db_spl = ev.level_db_spl;
            p.seed = std::uint64_t(ev.line);
            slot.pops[c] = PopGenerator(p, config.calibration);
            slot.pops[c].prepare(ProcessSpec{fs, spec.max_block_frames, 1});
        } else {
            const TinnitusEvent& ev = sc.tinnitus[ref.index];
            slot.has[c] = nc == 1 || includes(ev.ear, ear);
            if (!slot.has[c]) continue;
            TinnitusParams p = tinnitus_params(ev);
            p.seed = std::uint64_t(ev.line) * 2 + c;
            slot.tinnitus[c] = TinnitusGenerator(p, config.calibration);
            slot.tinnitus[c].prepare(ProcessSpec{fs, spec.max_block_frames, 1});
        }
    }
    slot.stage.store(kReady, std::memory_order_release);
}

void ScenePlayer::Impl::pump() {
    const std::int64_t now = published_pos.load(std::memory_order_acquire);
    const double fs = spec.sample_rate_hz;
    const std::int64_t block = std::int64_t(spec.max_block_frames);
    // Free the states that have finished sounding.
    for (std::size_t r = 0; r < resident.size();) {
        StateSlot& slot = slots[resident[r]];
        if (slot.stage.load(std::memory_order_acquire) == kDone) {
            slot.rt.reset();
            slot.stage.store(kEmpty, std::memory_order_release);
            resident[r] = resident.back();
            resident.pop_back();
        } else {
            ++r;
        }
    }
    // Build those whose run starts within the look-ahead.
    const std::int64_t horizon = now + block + std::int64_t(std::ceil(kStateLeadS * fs));
    while (build_next < order.size() && states[order[build_next]].run_from < horizon) {
        const std::size_t i = order[build_next++];
        if (states[i].run_to <= now || slots[i].stage.load(std::memory_order_acquire) != kEmpty) continue;
        build_state(i);
        resident.push_back(i);
    }
    resident_count.store(resident.size(), std::memory_order_relaxed);
    if (resident.size() > resident_peak.load(std::memory_order_relaxed))
        resident_peak.store(resident.size(), std::memory_order_relaxed);
    // Events: free the finished, give the next ones (by start) a slot.
    std::size_t used = 0;
    for (std::size_t s = 0; s < num_event_slots; ++s) {
        EventSlot& slot = event_slots[s];
        if (slot.stage.load(std::memory_order_acquire) == kDone) slot.stage.store(kEmpty, std::memory_order_release);
    }
    const std::int64_t event_horizon = now + block + std::int64_t(std::ceil(kEventLeadS * fs));
    std::size_t s = 0;
    while (event_next < events.size() && events[event_next].start < event_horizon) {
        while (s < num_event_slots && event_slots[s].stage.load(std::memory_order_acquire) != kEmpty) ++s;
        if (s == num_event_slots) break;  // all slots busy: the next call tries again
        build_event(event_slots[s], event_next++);
    }
    for (std::size_t k = 0; k < num_event_slots; ++k)
        used += event_slots[k].stage.load(std::memory_order_relaxed) != kEmpty;
    if (used > events_peak.load(std::memory_order_relaxed)) events_peak.store(used, std::memory_order_relaxed);
}

void ScenePlayer::prepare(const ProcessSpec& spec) {
    Impl& m = *impl_;
    if (spec.num_channels < 1 || spec.num_channels > 8)
        throw ConfigError(fmt::format("{}: a scene renders 1 to 8 channels, not {}", m.config.scene.file, spec.num_channels));
    m.spec = spec;
    const std::size_t nc = spec.num_channels, nb = spec.max_block_frames;
    const double fs = spec.sample_rate_hz;
    const Scene& sc = m.config.scene;
    // Free whatever an earlier prepare() built.
    for (std::size_t i = 0; i < m.states.size(); ++i) {
        m.slots[i].rt.reset();
        m.slots[i].stage.store(kEmpty, std::memory_order_relaxed);
    }
    m.resident.clear();
    // The scene's latency: the largest over the distinct listeners of their models' latencies, measured on built
    // models for up to kExactLatencyListeners of them, else an upper bound (listener_latency_bound(): the model's
    // filterbank is designed, its FIR and smearing are not; ~1 ms per distinct listener instead of the 20-150 ms
    // of building it). Each state, built later, is delayed from its own exact latency (its built model's
    // latency_samples()) to this one: aligned whatever the bound's slack. The bound also gives the warnings its
    // model would.
    m.latency = 0;
    m.notes.clear();
    std::vector<Listener> seen;  // the distinct listeners
    for (const State& s : m.states) {
        const Listener l = m.listener_of(s);
        if (std::none_of(seen.begin(), seen.end(), [&](const Listener& o) { return same_model(o, l); })) seen.push_back(l);
    }
    auto note = [&m](const std::vector<std::string>& warnings) {
        for (const auto& w : warnings)
            if (std::find(m.notes.begin(), m.notes.end(), w) == m.notes.end()) m.notes.push_back(w);
    };
    if (seen.size() <= kExactLatencyListeners) {
        // Few distinct listeners (every scene a live engine plays in practice): each model is built once, measured
        // and dropped, so the latency is exact. The bound's slack (~1300 samples at 16 kHz) would be real latency
        // in the engine, and longer than its warm-up (EngineOptions::warmup_s).
        for (const Listener& l : seen) {
            ListenerProcessor probe(HearingLossConfig{l, m.config.calibration, m.config.hearing});
            probe.prepare(spec);
            m.latency = std::max(m.latency, probe.latency_samples());
            note(probe.warnings());
        }
    } else {
        ListenerLatencyMemo memo;  // one build per distinct implant and crossover half
        for (const Listener& l : seen) {
            const LatencyBound b =
                listener_latency_bound(HearingLossConfig{l, m.config.calibration, m.config.hearing}, spec, &memo);
            m.latency = std::max(m.latency, b.samples);
            note(b.warnings);
        }
    }
    for (State& s : m.states) {
        const double from = std::isinf(s.start_s) ? 0.0 : s.start_s - kWarmupS;
        s.run_from = std::max<std::int64_t>(0, std::int64_t(std::floor(from * fs)));
        s.run_to = std::isinf(s.end_s) ? std::numeric_limits<std::int64_t>::max()
                                       : std::int64_t(std::ceil(s.end_s * fs)) + 2 + std::int64_t(m.latency);
    }
    m.order.resize(m.states.size());
    for (std::size_t i = 0; i < m.order.size(); ++i) m.order[i] = i;
    std::stable_sort(m.order.begin(), m.order.end(),
                     [&m](std::size_t a, std::size_t b) { return m.states[a].run_from < m.states[b].run_from; });
    m.resident.reserve(m.states.size());
    m.outside_delay.assign(nc, {});
    m.body_delay.assign(nc, {});
    for (auto& d : m.outside_delay) d.prepare(m.latency);
    for (auto& d : m.body_delay) d.prepare(m.latency);
    m.scratch.assign(nb, 0.f);
    m.body_buf.assign(nc * nb, 0.f);

    // Events on the output timeline (input sample + latency), validated now (their generators are built later).
    m.events.clear();
    m.events.reserve(sc.tinnitus.size() + sc.pops.size());
    const double nyquist_limit = 0.45 * fs;
    for (std::size_t i = 0; i < sc.tinnitus.size(); ++i) {
        const TinnitusEvent& ev = sc.tinnitus[i];
        const TinnitusParams p = tinnitus_params(ev);
        validate(p, fmt::format("{}:{}: tinnitus", sc.file, ev.line));
        const double top_hz = p.freq_hz + (p.kind == TinnitusKind::narrowband_noise ? p.bandwidth_hz / 2.0 : 0.0);
        if (top_hz >= nyquist_limit)
            throw ConfigError(fmt::format("{}:{}: tinnitus.freq_hz: {} Hz (top of the sound {} Hz) is out of range: it "
                                          "must lie below 0.45 x the sample rate ({} Hz)",
                                          sc.file, ev.line, p.freq_hz, top_hz, nyquist_limit));
        EventRef r;
        r.index = i;
        r.start = std::llround(ev.start_s * fs) + std::int64_t(m.latency);
        if (std::isfinite(ev.end_s)) r.stop = std::llround(ev.end_s * fs) + std::int64_t(m.latency);
        m.events.push_back(r);
    }
    for (std::size_t i = 0; i < sc.pops.size(); ++i) {
        EventRef r;
        r.pop = true;
        r.index = i;
        r.start = std::llround(sc.pops[i].time_s * fs) + std::int64_t(m.latency);
        m.events.push_back(r);
    }
    std::stable_sort(m.events.begin(), m.events.end(), [](const EventRef& a, const EventRef& b) { return a.start < b.start; });
    // Slots: as many as events ever hold one at a time (from the look-ahead before the start to two blocks after
    // the sound ends), counted by a sweep.
    {
        const std::int64_t lead = std::int64_t(nb) + std::int64_t(std::ceil(kEventLeadS * fs)) + 1;
        std::vector<std::pair<std::int64_t, int>> edges;
        edges.reserve(2 * m.events.size());
        for (const EventRef& r : m.events) {
            const double end_s = r.pop ? sounding_end_s(sc.pops[r.index]) : sounding_end_s(sc.tinnitus[r.index]);
            edges.emplace_back(r.start - lead, +1);
            if (std::isfinite(end_s)) edges.emplace_back(std::llround(end_s * fs) + std::int64_t(m.latency + 3 * nb), -1);
        }
        std::sort(edges.begin(), edges.end());
        std::size_t held = 0, most = 0;
        double most_at = 0;
        for (const auto& [t, d] : edges) {
            held = std::size_t(std::int64_t(held) + d);
            if (held > most) most = held, most_at = double(t + lead) / fs;
        }
        if (most > kMaxEventSlots)
            throw ConfigError(fmt::format("{}: {} events sound or are about to start around {:.3f} s; the player holds "
                                          "at most {} at a time (fewer events that close together)",
                                          sc.file, most, most_at, kMaxEventSlots));
        m.num_event_slots = most;
    }
    m.event_slots = std::make_unique<EventSlot[]>(m.num_event_slots);
    for (std::size_t s = 0; s < m.num_event_slots; ++s) {
        m.event_slots[s].tinnitus.resize(nc);
        m.event_slots[s].pops.resize(nc);
    }
    m.active.clear();
    m.active.reserve(m.num_event_slots);
    reset();
    m.pump();
}

void ScenePlayer::prepare_ahead() { impl_->pump(); }

void ScenePlayer::reset() noexcept {
    Impl& m = *impl_;
    m.pos = 0;
    m.live_lo = 0;
    m.build_next = 0;
    m.event_next = 0;
    m.published_pos.store(0, std::memory_order_release);
    for (std::size_t i = 0; i < m.states.size(); ++i) {
        StateSlot& s = m.slots[i];
        if (!s.rt) continue;
        s.rt->running = false;
        std::fill(s.rt->buf.begin(), s.rt->buf.end(), 0.f);
        s.stage.store(kReady, std::memory_order_release);  // a finished state that is still built plays again
    }
    for (std::size_t s = 0; s < m.num_event_slots; ++s) m.event_slots[s].stage.store(kEmpty, std::memory_order_release);
    for (auto& d : m.outside_delay) d.reset();
    for (auto& d : m.body_delay) d.reset();
}

void ScenePlayer::set_body(const AudioView<const float>* body) noexcept { body_ = body; }
void ScenePlayer::set_inside_tap(const AudioView<float>* inside) noexcept { inside_ = inside; }

void ScenePlayer::process(AudioView<const float> in, const AudioView<const float>* body, AudioView<float> out,
                          const AudioView<float>* inside) noexcept {
    body_ = body;
    inside_ = inside;
    process(in, out);
}

void ScenePlayer::process(AudioView<const float> in, AudioView<float> out) noexcept {
    const AudioView<const float>* body = body_;
    const AudioView<float>* inside_out = inside_;
    Impl& m = *impl_;
    ScopedNoDenormals no_denormals;
    const std::size_t n = in.num_frames(), nc = m.spec.num_channels;
    const std::int64_t n0 = m.pos, n1 = m.pos + std::int64_t(n);
    // Run the states heard now (or warming up), each from its own start sample; hand the finished back.
    for (std::size_t oi = m.live_lo; oi < m.order.size() && m.states[m.order[oi]].run_from < n1; ++oi) {
        const std::size_t idx = m.order[oi];
        const State& s = m.states[idx];
        StateSlot& slot = m.slots[idx];
        const std::uint8_t stage = slot.stage.load(std::memory_order_acquire);
        if (n0 >= s.run_to) {
            if (stage == kReady) {
                slot.rt->running = false;
                slot.stage.store(kDone, std::memory_order_release);
            }
            if (oi == m.live_lo) ++m.live_lo;
            continue;
        }
        if (stage != kReady) {
            if (stage == kEmpty) m.late.fetch_add(1, std::memory_order_relaxed);  // prepare_ahead() was not called in time
            continue;
        }
        Runtime& r = *slot.rt;
        if (!r.running) {
            r.proc->reset();
            for (auto& d : r.delay) d.reset();
            r.running = true;
        }
        const std::size_t off = s.run_from > n0 ? std::size_t(s.run_from - n0) : 0;
        for (std::size_t c = 0; c < nc; ++c) std::fill(r.ptr[c], r.ptr[c] + off, 0.f);
        const float* ip[8];
        float* op[8];
        for (std::size_t c = 0; c < nc && c < 8; ++c) ip[c] = in.channel(c) + off, op[c] = r.ptr[c] + off;
        if (off < n) r.proc->process(AudioView<const float>(ip, nc, n - off), AudioView<float>(op, nc, n - off));
        for (std::size_t c = 0; c < nc; ++c) r.delay[c].process(r.ptr[c] + off, n - off);
    }
    // Events: schedule the starts of the newly built, list those running (tinnitus before pops, each in the
    // scene's order, as the sum was always formed).
    m.active.clear();
    for (std::size_t si = 0; si < m.num_event_slots; ++si) {
        EventSlot& slot = m.event_slots[si];
        if (slot.stage.load(std::memory_order_acquire) != kReady) continue;
        if (!slot.started) {
            const EventRef& r = m.events[slot.event];
            if (r.start < n0) m.late.fetch_add(1, std::memory_order_relaxed);
            const std::size_t at = std::size_t(std::max<std::int64_t>(0, r.start - n0));
            for (std::size_t c = 0; c < nc; ++c) {
                if (!slot.has[c]) continue;
                if (r.pop) {
                    slot.pops[c].trigger_at(at);
                } else {
                    slot.tinnitus[c].start_at(at);
                    if (r.stop >= 0) slot.tinnitus[c].stop_at(std::size_t(std::max<std::int64_t>(0, r.stop - n0)));
                }
            }
            slot.started = true;
        }
        m.active.push_back(si);
    }
    std::sort(m.active.begin(), m.active.end(), [&m](std::size_t a, std::size_t b) {
        const EventRef &x = m.events[m.event_slots[a].event], &y = m.events[m.event_slots[b].event];
        return x.pop != y.pop ? !x.pop : x.index < y.index;
    });
    // Body bus (delayed to the latency), before out is written (out may alias in).
    for (std::size_t c = 0; c < nc; ++c) {
        float* b = m.body_buf.data() + c * m.spec.max_block_frames;
        if (body && body->num_channels() > 0) {
            const float* src = body->channel(std::min(c, body->num_channels() - 1));
            std::copy(src, src + n, b);
        } else {
            std::fill(b, b + n, 0.f);
        }
        m.body_delay[c].process(b, n);
    }
    const double fs = m.spec.sample_rate_hz;
    const Scene& sc = m.config.scene;
    for (std::size_t c = 0; c < nc; ++c) {
        float* outside = m.scratch.data();
        std::copy(in.channel(c), in.channel(c) + n, outside);
        m.outside_delay[c].process(outside, n);
        const int ear = m.ear_of(c) == Ear::left ? 0 : 1;
        float* o = out.channel(c);
        const float* b = m.body_buf.data() + c * m.spec.max_block_frames;
        for (std::size_t i = 0; i < n; ++i) {
            const double t = std::max(0.0, (double(n0 + std::int64_t(i)) - double(m.latency)) / fs);
            const KeyframeSpan sp = span_at(sc, t);
            double inside;
            auto value = [&](int idx) -> double {
                const StateSlot& slot = m.slots[std::size_t(idx)];
                if (slot.stage.load(std::memory_order_relaxed) != kReady) return 0.0;
                const Runtime& r = *slot.rt;
                return r.running && !m.states[std::size_t(idx)].off[ear] ? double(r.ptr[c][i]) : 0.0;
            };
            if (sp.from == sp.to || sp.weight <= 0.0) {
                inside = value(int(sp.weight <= 0.0 ? sp.from : sp.to));
            } else {
                const auto& ch = m.chain[sp.to];
                const auto& at = m.at[sp.to];
                std::size_t j = 0;
                while (j + 2 < at.size() && sp.weight >= at[j + 1]) ++j;
                const double x = (sp.weight - at[j]) / (at[j + 1] - at[j]);
                // raised cosine within the step: the gains' slopes are continuous at the steps' ends
                const double f = 0.5 - 0.5 * std::cos(std::numbers::pi * std::clamp(x, 0.0, 1.0));
                inside = (1.0 - f) * value(ch[j]) + f * value(ch[j + 1]);
            }
            const double body_gain = sc.body_gain_db.empty() ? 1.0 : std::pow(10.0, body_gain_db_at(sc, t) / 20.0);
            inside += body_gain * b[i];
            const double pov = pov_inside_at(sc, t);
            if (inside_out) inside_out->channel(c)[i] = float(inside);
            o[i] = float(pov * inside + (1.0 - pov) * outside[i]);
        }
        // Events (scheduled on the output timeline), heard inside.
        for (const std::size_t si : m.active) {
            EventSlot& slot = m.event_slots[si];
            if (!slot.has[c]) continue;
            std::fill(outside, outside + n, 0.f);
            if (m.events[slot.event].pop)
                process_mono(slot.pops[c], outside, outside, n);
            else
                process_mono(slot.tinnitus[c], outside, outside, n);
            for (std::size_t i = 0; i < n; ++i) {
                const double t = std::max(0.0, (double(n0 + std::int64_t(i)) - double(m.latency)) / fs);
                o[i] += float(pov_inside_at(sc, t)) * outside[i];
                if (inside_out) inside_out->channel(c)[i] += outside[i];
            }
        }
    }
    // Events that have played out give their slot back.
    for (const std::size_t si : m.active) {
        EventSlot& slot = m.event_slots[si];
        bool sounding = false;
        for (std::size_t c = 0; c < nc; ++c)
            if (slot.has[c]) sounding = sounding || (m.events[slot.event].pop ? slot.pops[c].active() : slot.tinnitus[c].active());
        if (!sounding) slot.stage.store(kDone, std::memory_order_release);
    }
    m.pos = n1;
    m.published_pos.store(n1, std::memory_order_release);
}

std::size_t ScenePlayer::latency_samples() const noexcept { return impl_->latency; }
std::size_t ScenePlayer::num_states() const noexcept { return impl_->states.size(); }
std::size_t ScenePlayer::built_states() const noexcept { return impl_->resident_count.load(std::memory_order_relaxed); }
std::size_t ScenePlayer::peak_built_states() const noexcept { return impl_->resident_peak.load(std::memory_order_relaxed); }
std::size_t ScenePlayer::peak_event_slots() const noexcept { return impl_->events_peak.load(std::memory_order_relaxed); }
std::size_t ScenePlayer::event_slots() const noexcept { return impl_->num_event_slots; }
std::size_t ScenePlayer::late() const noexcept { return impl_->late.load(std::memory_order_relaxed); }
const std::vector<std::string>& ScenePlayer::notes() const noexcept { return impl_->notes; }
const std::vector<std::string>& ScenePlayer::transitions() const noexcept { return impl_->info; }

}  // namespace earshot
