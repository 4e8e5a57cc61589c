#include "earshot/listener/listener_processor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>
#include <optional>

#include "earshot/core/denormals.hpp"
#include "earshot/core/param.hpp"
#include "earshot/dsp/delay_line.hpp"
#include "earshot/dsp/input_guard.hpp"
#include "earshot/core/error.hpp"
#include "earshot/dsp/biquad.hpp"
#include "earshot/dsp/min_phase.hpp"
#include "earshot/dsp/partitioned_convolver.hpp"
#include "earshot/dsp/butterworth.hpp"
#include "earshot/hearing/hearing_aid.hpp"
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

// An electric-acoustic crossover half made linear phase: the 4th-order Butterworth cascade followed by
// its phase correction (dsp/min_phase.hpp, designed from the cascade's own response at prepare()), so
// that the band's waveform is delayed by a whole number of samples, `delay`, measured as the peak of the
// built filter's impulse response (cascade, correction FIR and the convolver's partition).
struct LinearPhaseCrossover {
    Cascade iir;
    PartitionedConvolver fir;
    std::size_t delay = 0;

    void prepare(double crossover_hz, double fs, bool highpass) {
        iir.s.clear();
        for (const auto& c : butterworth_sections(4, crossover_hz, fs, highpass)) iir.s.push_back({c});
        const double scale = fs / 44100.0;
        const std::size_t n = std::bit_ceil(static_cast<std::size_t>(std::lround(8192.0 * scale)));
        std::vector<std::complex<double>> h(n / 2 + 1);
        for (std::size_t k = 0; k <= n / 2; ++k) {
            const double f = double(k) * fs / double(n);
            std::complex<double> v = 1.0;
            for (const auto& q : iir.s) v *= q.c.response(f, fs);
            h[k] = v;
        }
        const PhaseCorrection pc = phase_correction_fir(h, [](double) { return 1.0; }, fs,
                                                        static_cast<std::size_t>(std::lround(4096.0 * scale)));
        fir.prepare(pc.taps, std::bit_floor(static_cast<std::size_t>(std::lround(64.0 * scale))));
        // Measured: the built filter's impulse response, its largest |sample|.
        std::vector<float> x(pc.taps.size() + fir.latency_samples() + std::size_t(0.05 * fs), 0.f);
        x[0] = 1.f;
        iir.process(x.data(), x.size());
        fir.process(x.data(), x.data(), x.size());
        delay = 0;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (std::fabs(x[i]) > std::fabs(x[delay])) delay = i;
        reset();
    }
    void process(float* x, std::size_t n) noexcept {
        iir.process(x, n);
        fir.process(x, x, n);
    }
    void reset() noexcept {
        iir.reset();
        fir.reset();
    }
};

struct Channel {
    Ear ear = Ear::left;
    std::unique_ptr<HearingLoss> acoustic;  // mono, this ear
    std::unique_ptr<ImplantProcessor> implant;
    std::unique_ptr<HearingAid> aid;         // before the acoustic path
    LinearPhaseCrossover lp, hp;             // electric-acoustic split (crossover_hz > 0)
    bool split = false;
    DelayLine acoustic_delay, implant_delay;
    std::vector<float> a, b;                 // work buffers
};
// Each path's latency as built: its model's, plus the aid's before the acoustic model, plus the
// crossover half's measured delay. Both paths are delayed to the larger.
std::size_t acoustic_latency(const Channel& ch) {
    return ch.acoustic->latency_samples() + (ch.aid ? ch.aid->latency_samples() : 0) + (ch.split ? ch.lp.delay : 0);
}
std::size_t implant_latency(const Channel& ch) {
    return ch.implant->latency_samples() + (ch.split ? ch.hp.delay : 0);
}
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
            ch.aid = std::make_unique<HearingAid>(l.ear(ch.ear).air);
            ch.aid->prepare(ProcessSpec{spec.sample_rate_hz, spec.max_block_frames, 1});
        }
        if (dev.crossover_hz > 0) {
            ch.split = true;
            if (dev.acoustic) ch.lp.prepare(dev.crossover_hz, spec.sample_rate_hz, false);
            if (dev.implant) ch.hp.prepare(dev.crossover_hz, spec.sample_rate_hz, true);
        }
        if (dev.acoustic) {
            HearingLossConfig hc = m.config;
            hc.options.ear = ch.ear;
            hc.listener.left_device = hc.listener.right_device = EarDevice{};
            ch.acoustic = std::make_unique<HearingLoss>(hc);
            ch.acoustic->prepare({spec.sample_rate_hz, spec.max_block_frames, 1});
            for (const auto& w : ch.acoustic->warnings())
                if (std::find(m.warnings.begin(), m.warnings.end(), w) == m.warnings.end()) m.warnings.push_back(w);
            max_latency = std::max(max_latency, acoustic_latency(ch));
        }
        if (dev.implant) {
            ch.implant = std::make_unique<ImplantProcessor>(*dev.implant, m.config.calibration);
            ch.implant->prepare(ProcessSpec{spec.sample_rate_hz, spec.max_block_frames, 1});
            max_latency = std::max(max_latency, implant_latency(ch));
        }
        ch.a.assign(spec.max_block_frames, 0.f);
        ch.b.assign(spec.max_block_frames, 0.f);
    }
    m.latency = max_latency;
    for (auto& ch : m.channels) {
        if (ch.acoustic)
            ch.acoustic_delay.prepare(max_latency - acoustic_latency(ch));
        if (ch.implant) ch.implant_delay.prepare(max_latency - implant_latency(ch));
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
                process_mono(*ch.aid, x, b, n);
                ins[0] = b;
            }
            float* outs[1] = {a};
            ch.acoustic->process(AudioView<const float>(ins, 1, n), AudioView<float>(outs, 1, n));
            if (ch.split) ch.lp.process(a, n);
            ch.acoustic_delay.process(a, n);
        }
        if (ch.implant) {
            std::copy(x, x + n, b);
            if (ch.split) ch.hp.process(b, n);
            process_mono(*ch.implant, b, b, n);
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

LatencyBound listener_latency_bound(const HearingLossConfig& config, const ProcessSpec& spec, ListenerLatencyMemo* memo) {
    config.listener.validate(config.listener.name.empty() ? "listener" : config.listener.name);
    if (!config.listener.has_device()) return hearing_loss_latency_bound(config, spec.sample_rate_hz, spec.num_channels);
    // As prepare(): per channel, the acoustic path (aid + hearing loss + low-pass half) and the implant path
    // (high-pass half + implant), the larger of the two. The aid, the implant and the crossover halves are built
    // (their latencies are their own and cheap); the hearing loss is bounded.
    ListenerLatencyMemo local;
    ListenerLatencyMemo& mm = memo ? *memo : local;
    auto crossover_delay = [&](double hz, bool highpass) {
        const std::pair<double, bool> key{hz, highpass};
        for (const auto& [k, v] : mm.crossovers)
            if (k == key) return v;
        LinearPhaseCrossover x;
        x.prepare(hz, spec.sample_rate_hz, highpass);
        mm.crossovers.emplace_back(key, x.delay);
        return x.delay;
    };
    auto implant_lat = [&](const ImplantParams& params) {
        for (const auto& [k, v] : mm.implants)
            if (k == params) return v;
        ImplantProcessor p(params, config.calibration);
        p.prepare(ProcessSpec{spec.sample_rate_hz, spec.max_block_frames, 1});
        mm.implants.emplace_back(params, p.latency_samples());
        return p.latency_samples();
    };
    LatencyBound b;
    const Listener& l = config.listener;
    for (std::size_t c = 0; c < spec.num_channels; ++c) {
        const Ear ear = config.options.ear ? *config.options.ear : (c % 2 == 0 ? Ear::left : Ear::right);
        const EarDevice& dev = l.device(ear);
        const bool split = dev.crossover_hz > 0;
        if (dev.acoustic) {
            HearingLossConfig hc = config;
            hc.options.ear = ear;
            hc.listener.left_device = hc.listener.right_device = EarDevice{};
            LatencyBound a = hearing_loss_latency_bound(hc, spec.sample_rate_hz, 1);
            for (auto& w : a.warnings)
                if (std::find(b.warnings.begin(), b.warnings.end(), w) == b.warnings.end()) b.warnings.push_back(w);
            std::size_t aid = 0;
            if (dev.hearing_aid) {
                HearingAid h(l.ear(ear).air);
                h.prepare(ProcessSpec{spec.sample_rate_hz, spec.max_block_frames, 1});
                aid = h.latency_samples();
            }
            b.samples = std::max(b.samples, a.samples + aid + (split ? crossover_delay(dev.crossover_hz, false) : 0));
        }
        if (dev.implant)
            b.samples = std::max(b.samples, implant_lat(*dev.implant) + (split ? crossover_delay(dev.crossover_hz, true) : 0));
    }
    return b;
}

const std::vector<std::string>& ListenerProcessor::warnings() const noexcept { return impl_->warnings; }

void ListenerProcessor::set_calibration(const Calibration& calibration) {
    Impl& m = *impl_;
    params::full_scale_db_spl.check(calibration.full_scale_db_spl, "calibration (full-scale sine level)");
    m.config.calibration = calibration;
    if (m.plain) m.plain->set_calibration(calibration);
    for (auto& ch : m.channels) {
        if (ch.acoustic) ch.acoustic->set_calibration(calibration);
        if (ch.implant) ch.implant->set_calibration(calibration);
    }
}

void ListenerProcessor::set_implant_intensity(double intensity) noexcept {
    for (auto& ch : impl_->channels)
        if (ch.implant) ch.implant->set_intensity(intensity);
}

}  // namespace earshot
