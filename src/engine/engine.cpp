#include "earshot/engine/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/dsp/delay_line.hpp"
#include "earshot/listener/listener_processor.hpp"
#include "earshot/scene/scene_player.hpp"

namespace earshot {

namespace {

constexpr ParamSpec kCrossfadeS{"crossfade_s", "s", 0.001, 10.0, 0.03, "description change crossfade"};
constexpr ParamSpec kWarmupS{"warmup_s", "s", 0.0, 10.0, 0.05, "a new model runs unheard this long"};
constexpr ParamSpec kRampS{"control_ramp_s", "s", 0.001, 10.0, 0.02, "continuous control ramp"};

// Planar scratch: channels x frames, allocated once.
struct Planar {
    std::vector<float> data;
    std::vector<float*> ptr;
    void allocate(std::size_t channels, std::size_t frames) {
        data.assign(channels * frames, 0.f);
        ptr.resize(channels);
        for (std::size_t c = 0; c < channels; ++c) ptr[c] = data.data() + c * frames;
    }
    AudioView<float> view(std::size_t n) const { return {ptr.data(), ptr.size(), n}; }
    AudioView<const float> cview(std::size_t n) const { return {ptr.data(), ptr.size(), n}; }
};

// A linear ramp to a target over a fixed number of samples.
struct Ramp {
    double now = 1.0, to = 1.0, step = 0.0;
    std::size_t left = 0;
    void snap(double v) noexcept { now = to = v, step = 0, left = 0; }
    void retarget(double target, std::size_t len) noexcept {
        if (target == to) return;
        to = target, left = std::max<std::size_t>(1, len), step = (to - now) / double(left);
    }
    double next() noexcept {
        if (left > 0) {
            now += step;
            if (--left == 0) now = to;
        }
        return now;
    }
    void advance(std::size_t n) noexcept {
        if (left == 0) return;
        const std::size_t k = std::min(n, left);
        now += step * double(k);
        left -= k;
        if (left == 0) now = to;
    }
    bool steady_at(double v) const noexcept { return left == 0 && now == v; }
};

// The input kept for the POV mix: a ring of latency + max block samples per channel, written every block with
// two copies, read (delayed by the latency) only while the POV control is in use.
struct OutsideRing {
    std::vector<float> buf;
    std::size_t cap = 0, delay = 0, w = 0;
    void prepare(std::size_t latency, std::size_t max_block) {
        delay = latency, cap = latency + max_block, w = 0;
        buf.assign(cap, 0.f);
    }
    void reset() noexcept { std::fill(buf.begin(), buf.end(), 0.f), w = 0; }
    void write(const float* x, std::size_t n) noexcept {
        const std::size_t a = std::min(n, cap - w);
        std::copy(x, x + a, buf.data() + w);
        std::copy(x + a, x + n, buf.data());
        w = (w + n) % cap;
    }
    // The n samples written delay samples before the last write's n (call after write(x, n)).
    void read_delayed(float* y, std::size_t n) const noexcept {
        std::size_t r = (w + cap - n % cap + cap - delay % cap) % cap;
        for (std::size_t i = 0; i < n; ++i) {
            y[i] = buf[r];
            r = r + 1 == cap ? 0 : r + 1;
        }
    }
};

}  // namespace

// One compiled description: an immutable snapshot (its composition and calibration never change after build).
struct Model {
    Composition comp;
    Calibration cal;
    std::optional<ListenerProcessor> listener;
    std::optional<ScenePlayer> scene;
    std::size_t own_latency = 0;
    std::vector<DelayLine> pad, inside_pad;  // engine latency - own latency
    Planar out;                              // used while two models run (a fade)
    std::vector<std::string> warnings;
    std::uint64_t generation = 0;
    std::uint64_t start = 0;  // input sample of the take-over
    std::uint64_t age = 0;    // samples run since the take-over

    void reset() noexcept {
        if (listener) listener->reset();
        if (scene) scene->reset();
        for (auto& d : pad) d.reset();
        for (auto& d : inside_pad) d.reset();
        age = 0;
    }
    // in -> o (may alias in); inside: the inside bus (scenes), else a copy of o.
    void run(AudioView<const float> in, const AudioView<const float>* body, AudioView<float> o,
             const AudioView<float>* ins) noexcept {
        const std::size_t n = in.num_frames();
        if (scene) {
            scene->set_body(body);
            scene->set_inside_tap(ins);
            scene->process(in, o);
            if (ins)
                for (std::size_t c = 0; c < inside_pad.size(); ++c) inside_pad[c].process(ins->channel(c), n);
        } else {
            listener->process(in, o);
        }
        for (std::size_t c = 0; c < pad.size(); ++c) pad[c].process(o.channel(c), n);
        if (ins && !scene)
            for (std::size_t c = 0; c < o.num_channels(); ++c) std::copy(o.channel(c), o.channel(c) + n, ins->channel(c));
    }
};

struct Engine::Impl {
    EngineOptions opt;
    // Control side.
    Composition comp;
    Calibration cal;
    struct Wanted {
        Composition comp;
        Calibration cal;
        std::uint64_t generation;
    };
    std::optional<Wanted> wanted;  // set(), not built yet
    std::uint64_t generations = 0;
    std::vector<std::unique_ptr<Model>> owned;                 // every model not yet freed
    std::vector<std::string> warnings;
    std::size_t builds = 0, coalesced = 0;
    // Shared.
    ProcessSpec spec;
    bool prepared = false;
    std::size_t latency = 0, warmup = 0, fade = 0, ramp = 0;
    std::atomic<Model*> pending{nullptr}, retired{nullptr};
    std::atomic<bool> fading{false};
    std::atomic<std::uint64_t> start_published{0}, heard{0};
    std::atomic<double> gain_target{1.0}, pov_target{1.0}, body_target{1.0}, intensity_target{-1.0};
    // Audio side.
    Model* cur = nullptr;
    Model* next = nullptr;
    Ramp gain, pov, body_gain;
    double intensity_applied = -1.0;
    std::vector<OutsideRing> outside_ring;
    Planar outside, body_buf, inside_a, inside_b;
    const AudioView<const float>* body = nullptr;
    const AudioView<float>* inside = nullptr;
    std::uint64_t pos = 0;

    std::unique_ptr<Model> build(const Composition& c, const Calibration& k) const {
        auto m = std::make_unique<Model>();
        m->comp = c;
        m->cal = k;
        if (c.scene) {
            m->scene.emplace(ScenePlayerConfig{*c.scene, k, c.hearing});
            m->scene->prepare(spec);
            m->own_latency = m->scene->latency_samples();
            m->warnings = m->scene->notes();
        } else {
            m->listener.emplace(HearingLossConfig{c.listener, k, c.hearing});
            m->listener->prepare(spec);
            m->own_latency = m->listener->latency_samples();
            m->warnings = m->listener->warnings();
        }
        return m;
    }
    void finish(Model& m) const {  // pads and buffers, once the engine latency is known
        if (m.own_latency > latency)
            throw ConfigError(fmt::format("description: its model's latency {} samples exceeds the engine's {} "
                                          "(EngineOptions::latency_samples; prepare the engine again)",
                                          m.own_latency, latency));
        const std::size_t nc = spec.num_channels;
        m.pad.assign(latency > m.own_latency ? nc : 0, {});
        for (auto& d : m.pad) d.prepare(latency - m.own_latency);
        m.inside_pad.assign(m.scene && latency > m.own_latency ? nc : 0, {});
        for (auto& d : m.inside_pad) d.prepare(latency - m.own_latency);
        m.out.allocate(nc, spec.max_block_frames);
    }
    void apply_intensity(Model* m, double v) noexcept {
        if (m && m->listener && v >= 0.0) m->listener->set_implant_intensity(v);
    }
};

Engine::Engine(const Description& d, EngineOptions options) : impl_(std::make_unique<Impl>()) {
    kCrossfadeS.check(options.crossfade_s, "EngineOptions.crossfade_s");
    kWarmupS.check(options.warmup_s, "EngineOptions.warmup_s");
    kRampS.check(options.control_ramp_s, "EngineOptions.control_ramp_s");
    impl_->opt = options;
    impl_->comp = compose(d);
    impl_->cal = resolve_calibration(d.calibration, "input");
    set_controls(impl_->comp.controls);
}

Engine::~Engine() {
    Impl& m = *impl_;
    m.pending.store(nullptr);
    m.retired.store(nullptr);
}

void Engine::prepare(const ProcessSpec& spec) {
    Impl& m = *impl_;
    if (spec.num_channels < 1 || spec.num_channels > 8)
        throw ConfigError(fmt::format("num_channels: {} is out of range [1, 8]", spec.num_channels));
    if (spec.max_block_frames < 1)
        throw ConfigError(fmt::format("max_block_frames: {} is out of range [1, ...]", spec.max_block_frames));
    m.prepared = false;
    m.pending.store(nullptr);
    m.retired.store(nullptr);
    m.cur = m.next = nullptr;
    m.owned.clear();
    m.wanted.reset();
    m.spec = spec;
    auto first = m.build(m.comp, m.cal);
    m.latency = m.opt.latency_samples > 0 ? m.opt.latency_samples : first->own_latency;
    m.finish(*first);
    m.warnings = first->warnings;
    const double fs = spec.sample_rate_hz;
    m.warmup = std::size_t(std::llround(m.opt.warmup_s * fs));
    m.fade = std::max<std::size_t>(1, std::size_t(std::llround(m.opt.crossfade_s * fs)));
    m.ramp = std::max<std::size_t>(1, std::size_t(std::llround(m.opt.control_ramp_s * fs)));
    const std::size_t nc = spec.num_channels, nb = spec.max_block_frames;
    m.outside_ring.assign(nc, {});
    for (auto& r : m.outside_ring) r.prepare(m.latency, nb);
    m.outside.allocate(nc, nb);
    m.body_buf.allocate(nc, nb);
    m.inside_a.allocate(nc, nb);
    m.inside_b.allocate(nc, nb);
    first->generation = m.generations;
    m.heard.store(m.generations, std::memory_order_release);
    m.cur = first.get();
    m.owned.push_back(std::move(first));
    m.owned.reserve(8);
    m.prepared = true;
    reset();
}

void Engine::reset() noexcept {
    Impl& m = *impl_;
    if (!m.cur) return;
    if (m.next) {  // complete the fade at once (the retired slot is free during a fade)
        m.retired.store(m.cur, std::memory_order_release);
        m.cur = m.next;
        m.next = nullptr;
        m.heard.store(m.cur->generation, std::memory_order_release);
        m.fading.store(false, std::memory_order_release);
    }
    m.cur->reset();
    m.cur->start = 0;
    m.start_published.store(0, std::memory_order_release);
    for (auto& r : m.outside_ring) r.reset();
    m.gain.snap(m.gain_target.load(std::memory_order_relaxed));
    m.pov.snap(m.pov_target.load(std::memory_order_relaxed));
    m.body_gain.snap(m.body_target.load(std::memory_order_relaxed));
    m.intensity_applied = m.intensity_target.load(std::memory_order_relaxed);
    m.apply_intensity(m.cur, m.intensity_applied);
    m.pos = 0;
}

std::size_t Engine::latency_samples() const noexcept { return impl_->latency; }

bool Engine::recalibrate(const Calibration& calibration) {
    Impl& m = *impl_;
    if (!m.cur || m.next || !m.cur->listener || m.wanted || m.pending.load() != nullptr) return false;
    m.cur->listener->set_calibration(calibration);
    m.cur->cal = calibration;
    m.cal = calibration;
    return true;
}
void Engine::set_body(const AudioView<const float>* body) noexcept { impl_->body = body; }
void Engine::set_inside_tap(const AudioView<float>* inside) noexcept { impl_->inside = inside; }

void Engine::process(AudioView<const float> in, AudioView<float> out) noexcept {
    Impl& m = *impl_;
    const std::size_t n = in.num_frames(), nc = m.spec.num_channels;
    // Take a waiting model over (only with no fade running and the retired slot free: at most two models).
    if (!m.next && m.retired.load(std::memory_order_acquire) == nullptr) {
        if (m.pending.load(std::memory_order_acquire) != nullptr) {
            m.fading.store(true, std::memory_order_release);  // before the pending slot empties (settled())
            Model* p = m.pending.exchange(nullptr, std::memory_order_acq_rel);
            m.next = p;
            p->start = m.pos;
            p->age = 0;
            m.apply_intensity(p, m.intensity_applied);
        }
    }
    // Continuous controls.
    m.gain.retarget(m.gain_target.load(std::memory_order_relaxed), m.ramp);
    m.pov.retarget(m.pov_target.load(std::memory_order_relaxed), m.ramp);
    m.body_gain.retarget(m.body_target.load(std::memory_order_relaxed), m.ramp);
    if (const double it = m.intensity_target.load(std::memory_order_relaxed); it != m.intensity_applied && it >= 0.0) {
        m.intensity_applied = it;
        m.apply_intensity(m.cur, it);
        m.apply_intensity(m.next, it);
    }
    // The outside (input delayed to the latency), before out is written (out may alias in).
    const bool pov_on = !m.pov.steady_at(1.0);
    for (std::size_t c = 0; c < nc; ++c) {
        m.outside_ring[c].write(in.channel(c), n);
        if (pov_on) m.outside_ring[c].read_delayed(m.outside.ptr[c], n);
    }
    // The body bus, scaled.
    const AudioView<const float>* body = m.body;
    AudioView<const float> scaled;
    if (body && body->num_channels() > 0 && !m.body_gain.steady_at(1.0)) {
        const std::size_t bc = std::min(body->num_channels(), nc);
        Ramp r = m.body_gain;
        for (std::size_t i = 0; i < n; ++i) {
            const double g = r.next();
            for (std::size_t c = 0; c < bc; ++c) m.body_buf.ptr[c][i] = float(g * body->channel(c)[i]);
        }
        scaled = AudioView<const float>(m.body_buf.ptr.data(), bc, n);
        body = &scaled;
    }
    m.body_gain.advance(n);
    // The model(s).
    if (!m.next) {
        m.cur->run(in, body, out, m.inside);
    } else {
        const AudioView<float> ia = m.inside_a.view(n), ib = m.inside_b.view(n);
        m.cur->run(in, body, m.cur->out.view(n), m.inside ? &ia : nullptr);
        m.next->run(in, body, m.next->out.view(n), m.inside ? &ib : nullptr);
        const std::uint64_t age = m.next->age;
        const double warm = double(m.warmup), fade = double(m.fade);
        for (std::size_t c = 0; c < nc; ++c) {
            const float *a = m.cur->out.ptr[c], *b = m.next->out.ptr[c];
            float* o = out.channel(c);
            for (std::size_t i = 0; i < n; ++i) {
                const double x = std::clamp((double(age + i) + 1.0 - warm) / fade, 0.0, 1.0);
                const double f = x >= 1.0 ? 1.0 : 0.5 - 0.5 * std::cos(std::numbers::pi * x);
                o[i] = float((1.0 - f) * a[i] + f * b[i]);
                if (m.inside) m.inside->channel(c)[i] = float((1.0 - f) * ia.channel(c)[i] + f * ib.channel(c)[i]);
            }
        }
        m.next->age += n;
        if (m.next->age >= m.warmup + m.fade) {
            m.retired.store(m.cur, std::memory_order_release);
            m.cur = m.next;
            m.next = nullptr;
            m.start_published.store(m.cur->start, std::memory_order_release);
            m.heard.store(m.cur->generation, std::memory_order_release);
            m.fading.store(false, std::memory_order_release);
        }
    }
    // Point of view and output gain.
    if (pov_on) {
        for (std::size_t c = 0; c < nc; ++c) {
            Ramp rc = m.pov;
            float* o = out.channel(c);
            const float* x = m.outside.ptr[c];
            for (std::size_t i = 0; i < n; ++i) {
                const double p = rc.next();
                o[i] = float(p * o[i] + (1.0 - p) * x[i]);
            }
        }
        m.pov.advance(n);
    }
    if (!m.gain.steady_at(1.0)) {
        for (std::size_t c = 0; c < nc; ++c) {
            Ramp rc = m.gain;
            float* o = out.channel(c);
            for (std::size_t i = 0; i < n; ++i) o[i] = float(rc.next() * o[i]);
        }
        m.gain.advance(n);
    }
    m.pos += n;
}

std::uint64_t Engine::set(const Description& d) {
    Impl& m = *impl_;
    Composition c = compose(d);
    const Calibration k = resolve_calibration(d.calibration, "input");
    set_controls(c.controls);
    m.comp = c;
    m.cal = k;
    const std::uint64_t g = ++m.generations;
    if (!m.prepared) return g;  // prepare() builds it
    if (m.wanted) ++m.coalesced;
    m.wanted = Impl::Wanted{std::move(c), k, g};
    maintain();
    return g;
}

void Engine::set_controls(const Controls& c) {
    check_controls(c);
    Impl& m = *impl_;
    m.gain_target.store(std::pow(10.0, c.output_gain_db / 20.0), std::memory_order_relaxed);
    m.pov_target.store(c.pov, std::memory_order_relaxed);
    m.body_target.store(std::pow(10.0, c.body_gain_db / 20.0), std::memory_order_relaxed);
    m.intensity_target.store(c.implant_intensity.value_or(-1.0), std::memory_order_relaxed);
}

void Engine::maintain() {
    Impl& m = *impl_;
    if (Model* r = m.retired.exchange(nullptr, std::memory_order_acq_rel))
        std::erase_if(m.owned, [r](const std::unique_ptr<Model>& p) { return p.get() == r; });
    if (m.prepared && m.wanted && m.pending.load(std::memory_order_acquire) == nullptr) {
        const auto w = std::move(*m.wanted);
        m.wanted.reset();
        auto model = m.build(w.comp, w.cal);
        model->generation = w.generation;
        m.finish(*model);
        ++m.builds;
        m.owned.push_back(std::move(model));
        m.pending.store(m.owned.back().get(), std::memory_order_release);
    }
    for (auto& p : m.owned)
        if (p->scene) p->scene->prepare_ahead();
}

bool Engine::settled() const noexcept {
    const Impl& m = *impl_;
    return !m.wanted && m.pending.load(std::memory_order_acquire) == nullptr && !m.fading.load(std::memory_order_acquire);
}

const Composition& Engine::composition() const noexcept { return impl_->comp; }
const std::vector<std::string>& Engine::warnings() const noexcept { return impl_->warnings; }
std::uint64_t Engine::model_start_sample() const noexcept { return impl_->start_published.load(std::memory_order_acquire); }
std::uint64_t Engine::heard_generation() const noexcept { return impl_->heard.load(std::memory_order_acquire); }
std::size_t Engine::builds() const noexcept { return impl_->builds; }
std::size_t Engine::coalesced() const noexcept { return impl_->coalesced; }

}  // namespace earshot
