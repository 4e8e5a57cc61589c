#include "earshot/hearing/listener_processor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "earshot/core/denormals.hpp"
#include "earshot/dsp/delay_line.hpp"
#include "earshot/dsp/input_guard.hpp"
#include "earshot/core/error.hpp"
#include "earshot/dsp/biquad.hpp"
#include "earshot/hearing/hearing_aid.hpp"
#include "earshot/implant/cis.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/implant/implant_processor.hpp"

namespace earshot {
namespace {

// Fixed delay line (real-time safe after construction).

struct Cascade {
    std::vector<Biquad> s;
    void process(float* x, std::size_t n) noexcept {
        for (auto& q : s)
            for (std::size_t i = 0; i < n; ++i) x[i] = float(q(x[i]));
    }
    void reset() noexcept {
        for (auto& q : s) q.reset();
    }
};

struct Channel {
    Ear ear = Ear::left;
    std::unique_ptr<HearingLoss> acoustic;  // mono, this ear
    std::unique_ptr<ImplantProcessor> implant;
    std::unique_ptr<HearingAid> aid;         // before the acoustic path
    Cascade lp, hp;                          // electric-acoustic split
    DelayLine acoustic_delay, implant_delay;
    std::vector<float> a, b;                 // work buffers
};
}  // namespace

struct ListenerProcessor::Impl {
    HearingLossConfig config;
    std::unique_ptr<HearingLoss> plain;  // no implants: the hearing-loss model as it is
    std::vector<Channel> channels;
    std::size_t latency = 0;
    std::vector<std::string> warnings;
    ProcessSpec spec;
    InputGuard guard;  // huge/non-finite inputs clamped before the model (dsp/input_guard.hpp)
};

ListenerProcessor::ListenerProcessor(HearingLossConfig config) : impl_(std::make_unique<Impl>()) {
    config.listener.validate(config.listener.name.empty() ? "listener" : config.listener.name);
    impl_->config = std::move(config);
    if (!impl_->config.listener.has_device()) {
        impl_->plain = std::make_unique<HearingLoss>(impl_->config);
        impl_->warnings = impl_->plain->warnings();
    }
}

ListenerProcessor::~ListenerProcessor() = default;
ListenerProcessor::ListenerProcessor(ListenerProcessor&&) noexcept = default;
ListenerProcessor& ListenerProcessor::operator=(ListenerProcessor&&) noexcept = default;

void ListenerProcessor::prepare(const ProcessSpec& spec) {
    Impl& m = *impl_;
    m.spec = spec;
    m.guard.prepare(spec.num_channels);
    if (m.plain) {
        m.plain->prepare(spec);
        m.warnings = m.plain->warnings();  // set by prepare() (e.g. thresholds clamped at 100 dB HL)
        m.latency = m.plain->latency_samples();
        return;
    }
    m.channels.clear();
    m.channels.resize(spec.num_channels);
    const Listener& l = m.config.listener;
    std::size_t max_latency = 0;
    for (std::size_t c = 0; c < spec.num_channels; ++c) {
        Channel& ch = m.channels[c];
        ch.ear = m.config.options.ear ? *m.config.options.ear : (c % 2 == 0 ? Ear::left : Ear::right);
        const EarDevice& dev = l.device(ch.ear);
        if (dev.acoustic && dev.hearing_aid) {
            ch.aid = std::make_unique<HearingAid>();
            ch.aid->prepare(l.ear(ch.ear).air, spec.sample_rate_hz, spec.max_block_frames);
        }
        if (dev.acoustic) {
            HearingLossConfig hc = m.config;
            hc.options.ear = ch.ear;
            hc.listener.left_device = hc.listener.right_device = EarDevice{};
            ch.acoustic = std::make_unique<HearingLoss>(hc);
            ch.acoustic->prepare({spec.sample_rate_hz, spec.max_block_frames, 1});
            for (const auto& w : ch.acoustic->warnings())
                if (std::find(m.warnings.begin(), m.warnings.end(), w) == m.warnings.end()) m.warnings.push_back(w);
            max_latency = std::max(max_latency, ch.acoustic->latency_samples() + (ch.aid ? ch.aid->latency_samples() : 0));
        }
        if (dev.implant) {
            ch.implant = std::make_unique<ImplantProcessor>(*dev.implant, m.config.calibration);
            ch.implant->prepare(spec.sample_rate_hz, spec.max_block_frames);
            max_latency = std::max(max_latency, ch.implant->latency_samples());
        }
        if (dev.crossover_hz > 0) {
            for (const auto& s : butterworth_sections(4, dev.crossover_hz, spec.sample_rate_hz, false)) ch.lp.s.push_back({s});
            for (const auto& s : butterworth_sections(4, dev.crossover_hz, spec.sample_rate_hz, true)) ch.hp.s.push_back({s});
        }
        ch.a.assign(spec.max_block_frames, 0.f);
        ch.b.assign(spec.max_block_frames, 0.f);
    }
    m.latency = max_latency;
    for (auto& ch : m.channels) {
        if (ch.acoustic)
            ch.acoustic_delay.prepare(max_latency - ch.acoustic->latency_samples() - (ch.aid ? ch.aid->latency_samples() : 0));
        if (ch.implant) ch.implant_delay.prepare(max_latency - ch.implant->latency_samples());
    }
}

void ListenerProcessor::process(AudioView<const float> in, AudioView<float> out) noexcept {
    Impl& m = *impl_;
    in = m.guard.apply(in, out);
    if (m.plain) {
        m.plain->process(in, out);
        return;
    }
    ScopedNoDenormals no_denormals;
    const std::size_t n = in.num_frames();
    for (std::size_t c = 0; c < m.channels.size(); ++c) {
        Channel& ch = m.channels[c];
        const float* x = in.channel(c);
        float* a = ch.a.data();
        float* b = ch.b.data();
        std::fill(a, a + n, 0.f);
        if (ch.acoustic) {
            const float* ins[1] = {x};
            if (ch.aid) {
                ch.aid->process(x, b, n);
                ins[0] = b;
            }
            float* outs[1] = {a};
            ch.acoustic->process(AudioView<const float>(ins, 1, n), AudioView<float>(outs, 1, n));
            ch.lp.process(a, n);
            ch.acoustic_delay.process(a, n);
        }
        if (ch.implant) {
            std::copy(x, x + n, b);
            ch.hp.process(b, n);
            ch.implant->process(b, b, n);
            ch.implant_delay.process(b, n);
            for (std::size_t i = 0; i < n; ++i) a[i] += b[i];
        }
        std::copy(a, a + n, out.channel(c));
    }
}

void ListenerProcessor::reset() noexcept {
    Impl& m = *impl_;
    if (m.plain) return m.plain->reset();
    for (auto& ch : m.channels) {
        if (ch.acoustic) ch.acoustic->reset();
        if (ch.aid) ch.aid->reset();
        if (ch.implant) ch.implant->reset();
        ch.lp.reset(), ch.hp.reset(), ch.acoustic_delay.reset(), ch.implant_delay.reset();
    }
}

std::size_t ListenerProcessor::latency_samples() const noexcept { return impl_->latency; }

LatencyBound listener_latency_bound(const HearingLossConfig& config, const ProcessSpec& spec,
                                    std::map<std::string, std::size_t>* implant_latencies) {
    config.listener.validate(config.listener.name.empty() ? "listener" : config.listener.name);
    if (!config.listener.has_device()) return hearing_loss_latency_bound(config, spec.sample_rate_hz, spec.num_channels);
    // As prepare(): per channel, the acoustic path (aid + hearing loss) and the implant, the larger of the two.
    // The aid and the implant are built (their latencies are their own and cheap); the hearing loss is bounded.
    LatencyBound b;
    const Listener& l = config.listener;
    for (std::size_t c = 0; c < spec.num_channels; ++c) {
        const Ear ear = config.options.ear ? *config.options.ear : (c % 2 == 0 ? Ear::left : Ear::right);
        const EarDevice& dev = l.device(ear);
        if (dev.acoustic) {
            HearingLossConfig hc = config;
            hc.options.ear = ear;
            hc.listener.left_device = hc.listener.right_device = EarDevice{};
            LatencyBound a = hearing_loss_latency_bound(hc, spec.sample_rate_hz, 1);
            for (auto& w : a.warnings)
                if (std::find(b.warnings.begin(), b.warnings.end(), w) == b.warnings.end()) b.warnings.push_back(w);
            std::size_t aid = 0;
            if (dev.hearing_aid) {
                HearingAid h;
                h.prepare(l.ear(ear).air, spec.sample_rate_hz, spec.max_block_frames);
                aid = h.latency_samples();
            }
            b.samples = std::max(b.samples, a.samples + aid);
        }
        if (dev.implant) {
            const std::string key = implant_latencies ? implant_to_json(*dev.implant) : std::string();
            const auto known = implant_latencies ? implant_latencies->find(key) : std::map<std::string, std::size_t>::iterator{};
            std::size_t lat = 0;
            if (implant_latencies && known != implant_latencies->end()) {
                lat = known->second;
            } else {
                ImplantProcessor p(*dev.implant, config.calibration);
                p.prepare(spec.sample_rate_hz, spec.max_block_frames);
                lat = p.latency_samples();
                if (implant_latencies) implant_latencies->emplace(key, lat);
            }
            b.samples = std::max(b.samples, lat);
        }
    }
    return b;
}
const std::vector<std::string>& ListenerProcessor::warnings() const noexcept { return impl_->warnings; }

void ListenerProcessor::set_implant_intensity(double intensity) noexcept {
    for (auto& ch : impl_->channels)
        if (ch.implant) ch.implant->set_intensity(intensity);
}

}  // namespace earshot
