#include "earshot/scene/scene_player.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "earshot/core/denormals.hpp"
#include "earshot/dsp/delay_line.hpp"
#include "earshot/core/error.hpp"
#include "earshot/hearing/listener_processor.hpp"
#include "earshot/hearing/loss_degree.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/scene/pop.hpp"
#include "earshot/scene/tinnitus.hpp"

namespace earshot {
namespace {

constexpr double kWarmupS = 0.5;     // a state runs this long before it is heard
constexpr double kMaxStepDb = 3.0;   // intermediate states at most this far apart
constexpr int kMaxChain = 32;
constexpr double kBoundaryWidth = 8.0;  // a step across a change of the model's degree class is this many steps long


struct State {
    Listener listener;
    bool off[2] = {false, false};  // processor off, left / right
    std::string label;
    double start_s = 0, end_s = 0;  // audible (input time)
    std::int64_t run_from = 0, run_to = 0;  // input samples processed: [run_from, run_to)
    std::unique_ptr<ListenerProcessor> proc;
    std::vector<float> buf;         // channels x block
    std::vector<float*> ptr;
    std::vector<DelayLine> delay;
    bool running = false;
};

// The same implant apart from where its electrodes sound (adaptation) and its mix: then a transition can
// move through intermediate adaptations (first activation -> experienced) instead of crossfading.
bool same_implant_but_place(const ImplantParams& a, const ImplantParams& b) {
    auto key = [](ImplantParams p) {
        p.name.clear(), p.description.clear(), p.adaptation = 0, p.intensity = 1;
        return implant_to_json(p);
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

}  // namespace

struct ScenePlayer::Impl {
    ScenePlayerConfig config;
    std::vector<State> states;              // keyframes first, then intermediates
    std::vector<std::vector<int>> chain;    // chain[k]: states from keyframe k-1 to k (k >= 1)
    std::vector<std::vector<double>> at;    // at[k][j]: the weight at which chain[k][j] is heard alone (0 .. 1)
    std::vector<std::string> notes;  // warnings of the listener models
    std::vector<std::string> info;   // how the transitions are rendered
    ProcessSpec spec;
    std::size_t latency = 0;
    std::int64_t pos = 0;                   // input samples consumed
    std::vector<DelayLine> outside_delay, body_delay;
    std::vector<std::vector<TinnitusGenerator>> tinnitus;  // per channel
    std::vector<std::vector<PopGenerator>> pops;           // per channel
    std::vector<float> scratch, body_buf;

    Ear ear_of(std::size_t c) const noexcept {
        return config.hearing.ear ? *config.hearing.ear : (c % 2 == 0 ? Ear::left : Ear::right);
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
};

ScenePlayer::ScenePlayer(ScenePlayerConfig config) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.config = std::move(config);
    const Scene& sc = m.config.scene;
    if (sc.keyframes.empty()) throw ConfigError(fmt::format("{}: the scene has no keyframes", sc.file));
    const std::size_t nk = sc.keyframes.size();
    for (std::size_t k = 0; k < nk; ++k) {
        const Keyframe& kf = sc.keyframes[k];
        State s;
        s.listener = keyframe_listener(kf);
        s.off[0] = kf.left.processor_off, s.off[1] = kf.right.processor_off;
        s.label = fmt::format("keyframe {} ({} s)", k + 1, kf.time_s);
        m.states.push_back(std::move(s));
    }
    m.chain.assign(nk, {});
    m.at.assign(nk, {});
    for (std::size_t k = 1; k < nk; ++k) {
        const Keyframe &a = sc.keyframes[k - 1], &b = sc.keyframes[k];
        std::vector<int> ch{int(k - 1)};
        const bool smooth = b.transition && b.transition->duration_s > 0 && b.transition->curve != Curve::step;
        if (smooth && same_structure(a, b)) {
            const int steps = std::clamp(int(std::ceil(max_difference_db(a, b) / kMaxStepDb)), 1, kMaxChain);
            for (int j = 1; j < steps; ++j) {
                const double x = double(j) / steps;
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
                State s;
                s.listener = keyframe_listener(mid);
                s.off[0] = a.left.processor_off, s.off[1] = a.right.processor_off;
                s.label = fmt::format("step {}/{} from keyframe {} to {}", j, steps, k, k + 1);
                ch.push_back(int(m.states.size()));
                m.states.push_back(std::move(s));
            }
            m.info.push_back(fmt::format("{}:{}: keyframe {}: reached through {} intermediate states ({:.1f} dB apart at most)",
                                         sc.file, b.line, k + 1, steps - 1, max_difference_db(a, b) / steps));
        }
        ch.push_back(int(k));
        // Where the listener model changes its structure (MSBG's degree class: filterbank broadening,
        // smearing, channel alignment), neighbouring states differ in phase, so that step gets a longer
        // crossfade (kBoundaryWidth ordinary steps); the others share the rest evenly.
        std::vector<double> width;
        for (std::size_t j = 0; j + 1 < ch.size(); ++j) {
            const Listener &la = m.states[std::size_t(ch[j])].listener, &lb = m.states[std::size_t(ch[j + 1])].listener;
            bool boundary = false;
            for (Ear e : {Ear::left, Ear::right})
                boundary = boundary || degree_params(la.ear(e).air, m.config.hearing.degree).class_name !=
                                           degree_params(lb.ear(e).air, m.config.hearing.degree).class_name;
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
}

ScenePlayer::~ScenePlayer() = default;
ScenePlayer::ScenePlayer(ScenePlayer&&) noexcept = default;
ScenePlayer& ScenePlayer::operator=(ScenePlayer&&) noexcept = default;

void ScenePlayer::prepare(const ProcessSpec& spec) {
    Impl& m = *impl_;
    if (spec.num_channels < 1 || spec.num_channels > 8)
        throw ConfigError(fmt::format("{}: a scene renders 1 to 8 channels, not {}", m.config.scene.file, spec.num_channels));
    m.spec = spec;
    const std::size_t nc = spec.num_channels, nb = spec.max_block_frames;
    const double fs = spec.sample_rate_hz;
    m.latency = 0;
    for (State& s : m.states) {
        s.proc = std::make_unique<ListenerProcessor>(HearingLossConfig{s.listener, m.config.calibration, m.config.hearing});
        s.proc->prepare(spec);
        m.latency = std::max(m.latency, s.proc->latency_samples());
        for (const auto& w : s.proc->warnings())
            if (std::find(m.notes.begin(), m.notes.end(), w) == m.notes.end()) m.notes.push_back(w);
    }
    for (State& s : m.states) {
        s.buf.assign(nc * nb, 0.f);
        s.ptr.resize(nc);
        for (std::size_t c = 0; c < nc; ++c) s.ptr[c] = s.buf.data() + c * nb;
        s.delay.assign(nc, {});
        for (auto& d : s.delay) d.prepare(m.latency - s.proc->latency_samples());
        const double from = std::isinf(s.start_s) ? 0.0 : s.start_s - kWarmupS;
        s.run_from = std::max<std::int64_t>(0, std::int64_t(std::floor(from * fs)));
        s.run_to = std::isinf(s.end_s) ? std::numeric_limits<std::int64_t>::max()
                                       : std::int64_t(std::ceil(s.end_s * fs)) + 2 + std::int64_t(m.latency);
    }
    m.outside_delay.assign(nc, {});
    m.body_delay.assign(nc, {});
    for (auto& d : m.outside_delay) d.prepare(m.latency);
    for (auto& d : m.body_delay) d.prepare(m.latency);
    m.scratch.assign(nb, 0.f);
    m.body_buf.assign(nc * nb, 0.f);
    // Events, per channel, scheduled on the output timeline (input sample + latency).
    const Scene& sc = m.config.scene;
    m.tinnitus.assign(nc, {});
    m.pops.assign(nc, {});
    for (std::size_t c = 0; c < nc; ++c) {
        const Ear ear = m.ear_of(c);
        for (const TinnitusEvent& ev : sc.tinnitus) {
            if (nc > 1 && !includes(ev.ear, ear)) continue;
            TinnitusParams p;
            p.kind = ev.kind;
            p.freq_hz = ev.freq_hz;
            if (ev.kind == TinnitusKind::narrowband_noise) p.bandwidth_hz = ev.bandwidth_hz;
            p.attack_s = ev.attack_s, p.release_s = ev.release_s;
            if (ev.kind == TinnitusKind::ring_out) p.decay_s = std::max(ev.decay_s, 0.001);
            p.seed = std::uint64_t(ev.line) * 2 + c;
            if (ev.level_db_spl) {
                p.level_db = *ev.level_db_spl;
            } else {
                // dB above threshold, as the patient matches it. The simulation maps the listener's threshold
                // onto the normal threshold (recruitment: a tone at threshold comes out at about 0 dB HL), and
                // the tinnitus is added after the simulation, so it sits that far above the normal threshold.
                p.level_ref = LevelRef::db_sl;
                p.level_db = *ev.level_db_sl;
                p.threshold_db_spl = hl_to_free_field_db_spl(0.0, ev.freq_hz);
            }
            try {
                validate(p, fmt::format("{}:{}: tinnitus", sc.file, ev.line));
                m.tinnitus[c].emplace_back();
                m.tinnitus[c].back().prepare(p, fs, m.config.calibration);
            } catch (const ConfigError& e) {
                throw ConfigError(std::string(e.what()));
            }
        }
        for (const PopEvent& ev : sc.pops) {
            if (nc > 1 && !includes(ev.ear, ear)) continue;
            PopParams p;
            p.peak_db_spl = ev.level_db_spl;
            p.seed = std::uint64_t(ev.line);
            m.pops[c].emplace_back();
            m.pops[c].back().prepare(p, fs, m.config.calibration);
        }
    }
    reset();
}

void ScenePlayer::reset() noexcept {
    Impl& m = *impl_;
    m.pos = 0;
    for (State& s : m.states) {
        s.running = false;
        std::fill(s.buf.begin(), s.buf.end(), 0.f);
    }
    for (auto& d : m.outside_delay) d.reset();
    for (auto& d : m.body_delay) d.reset();
    const double fs = m.spec.sample_rate_hz;
    const Scene& sc = m.config.scene;
    for (std::size_t c = 0; c < m.tinnitus.size(); ++c) {
        std::size_t i = 0;
        const Ear ear = m.ear_of(c);
        for (const TinnitusEvent& ev : sc.tinnitus) {
            if (m.tinnitus.size() > 1 && !includes(ev.ear, ear)) continue;
            TinnitusGenerator& g = m.tinnitus[c][i++];
            g.reset();
            g.start_at(std::size_t(std::llround(ev.start_s * fs)) + m.latency);
            if (std::isfinite(ev.end_s)) g.stop_at(std::size_t(std::llround(ev.end_s * fs)) + m.latency);
        }
        std::size_t j = 0;
        for (const PopEvent& ev : sc.pops) {
            if (m.pops.size() > 1 && !includes(ev.ear, ear)) continue;
            PopGenerator& g = m.pops[c][j++];
            g.reset();
            g.trigger_at(std::size_t(std::llround(ev.time_s * fs)) + m.latency);
        }
    }
}

void ScenePlayer::process(AudioView<const float> in, const AudioView<const float>* body, AudioView<float> out,
                          const AudioView<float>* inside_out) noexcept {
    Impl& m = *impl_;
    ScopedNoDenormals no_denormals;
    const std::size_t n = in.num_frames(), nc = m.spec.num_channels;
    const std::int64_t n0 = m.pos, n1 = m.pos + std::int64_t(n);
    // Run the states heard now (or warming up), each from its own start sample.
    for (State& s : m.states) {
        if (n1 <= s.run_from || n0 >= s.run_to) {
            s.running = false;
            continue;
        }
        if (!s.running) {
            s.proc->reset();
            for (auto& d : s.delay) d.reset();
            s.running = true;
        }
        const std::size_t off = s.run_from > n0 ? std::size_t(s.run_from - n0) : 0;
        for (std::size_t c = 0; c < nc; ++c) std::fill(s.ptr[c], s.ptr[c] + off, 0.f);
        const float* ip[8];
        float* op[8];
        for (std::size_t c = 0; c < nc && c < 8; ++c) ip[c] = in.channel(c) + off, op[c] = s.ptr[c] + off;
        if (off < n) s.proc->process(AudioView<const float>(ip, nc, n - off), AudioView<float>(op, nc, n - off));
        for (std::size_t c = 0; c < nc; ++c) s.delay[c].process(s.ptr[c] + off, n - off);
    }
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
                const State& s = m.states[std::size_t(idx)];
                return s.running && !s.off[ear] ? double(s.ptr[c][i]) : 0.0;
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
        for (auto& g : m.tinnitus[c]) {
            std::fill(outside, outside + n, 0.f);
            g.add_to(outside, n);
            for (std::size_t i = 0; i < n; ++i) {
                const double t = std::max(0.0, (double(n0 + std::int64_t(i)) - double(m.latency)) / fs);
                o[i] += float(pov_inside_at(sc, t)) * outside[i];
                if (inside_out) inside_out->channel(c)[i] += outside[i];
            }
        }
        for (auto& g : m.pops[c]) {
            std::fill(outside, outside + n, 0.f);
            g.add_to(outside, n);
            for (std::size_t i = 0; i < n; ++i) {
                const double t = std::max(0.0, (double(n0 + std::int64_t(i)) - double(m.latency)) / fs);
                o[i] += float(pov_inside_at(sc, t)) * outside[i];
                if (inside_out) inside_out->channel(c)[i] += outside[i];
            }
        }
    }
    m.pos = n1;
}

std::size_t ScenePlayer::latency_samples() const noexcept { return impl_->latency; }
std::size_t ScenePlayer::num_states() const noexcept { return impl_->states.size(); }
const std::vector<std::string>& ScenePlayer::notes() const noexcept { return impl_->notes; }
const std::vector<std::string>& ScenePlayer::transitions() const noexcept { return impl_->info; }

}  // namespace earshot
