// Multitone carrier (SPIRAL-like, after Grange et al. 2017 as described in ci-anchors §7): C sines ERB-spaced
// over 20 Hz .. min(20 kHz, 0.45 fs) with random phases. Every K samples each carrier's amplitude becomes
// a_c = sqrt(sum_e W(e,c) env_e^2), env_e the smoothed (and dB/mm-spread) electrode envelopes,
// W(e,c) = 10^(s / 10 |log2(f_e / f_c)|) / sum_c' 10^(s / 10 |log2(f_e / f_c')|) with s the dB/octave
// slope (on power), so one electrode at envelope A gives total power A^2 / 2; amplitudes ramp linearly to
// the new value over the next K samples.
#include <algorithm>
#include <cmath>

#include "earshot/dsp/erb.hpp"
#include "engine.hpp"
#include "envelope_input.hpp"
#include "random.hpp"

namespace earshot::aural {
namespace {

class MultitoneEngine final : public Engine {
public:
    explicit MultitoneEngine(const Design& d)
        : nvec_(d.nvec), electrodes_(std::size_t(d.electrodes)), seed_(d.params.seed) {
        const auto& p = d.params;
        const EnvelopeSmoother sm = EnvelopeSmoother::design(p.envelope_cutoff_hz, d.fs);
        env_b_ = splat(1.f - sm.a);
        k_ = std::size_t(std::clamp(std::floor(d.fs / (8.0 * p.envelope_cutoff_hz)), 1.0, 16.0));
        inv_k_ = splat(1.0f / float(k_));
        const std::size_t nc = std::size_t(p.multitone_carriers);
        cvec_ = (nc + kLanes - 1) / kLanes;
        carrier_hz_.assign(nc, 0.0);
        const double e_lo = erb_number(20.0), e_hi = erb_number(std::min(20000.0, 0.45 * d.fs));
        for (std::size_t c = 0; c < nc; ++c) carrier_hz_[c] = erb_number_to_hz(e_lo + (e_hi - e_lo) * double(c) / double(nc - 1));
        step_c_.assign(cvec_, splat(1.f));
        step_s_.assign(cvec_, splat(0.f));
        for (std::size_t c = 0; c < nc; ++c) {
            const double w = 2.0 * std::numbers::pi * carrier_hz_[c] / d.fs;
            step_c_[c / kLanes][c % kLanes] = float(std::cos(w));
            step_s_[c / kLanes][c % kLanes] = float(std::sin(w));
        }
        weight_.assign(electrodes_ * cvec_, splat(0.f));
        for (std::size_t e = 0; e < electrodes_; ++e) {
            if (!d.audible[e]) continue;
            std::vector<double> w(nc);
            double sum = 0;
            for (std::size_t c = 0; c < nc; ++c)
                sum += w[c] = std::pow(10.0, p.multitone_spread_db_per_oct / 10.0 * std::fabs(std::log2(p.place_freq_hz[e] / carrier_hz_[c])));
            for (std::size_t c = 0; c < nc; ++c) weight_[e * cvec_ + c / kLanes][c % kLanes] = float(w[c] / sum);
        }
        input_.prepare(nvec_, d.electrodes, d.spread, d.chunk);
        // the envelopes arrive divided by output_gain (see envelope_input.hpp); their squares need its square
        const double og2 = sm.output_gain() * sm.output_gain();
        for (auto& w : weight_) w *= float(og2);
        latency_s_ = (sm.delay_samples + double(k_ - 1)) / d.fs;
        e1_.resize(nvec_), e2_.resize(nvec_);
        c_.resize(cvec_), s_.resize(cvec_), amp_.resize(cvec_), damp_.resize(cvec_), last_.resize(cvec_);
        power_.assign((d.chunk + 1) * nvec_, splat(0.f));
        target_.assign((d.chunk + 1) * cvec_, splat(0.f));
        acc_.resize(d.chunk);
        reset();
    }

    void reset() noexcept override {
        input_.reset();
        for (std::size_t g = 0; g < nvec_; ++g) e1_[g] = e2_[g] = splat(0.f);
        SplitMix64 sm(seed_, 3);
        for (std::size_t g = 0; g < cvec_; ++g) {
            amp_[g] = damp_[g] = last_[g] = splat(0.f);
            for (std::size_t l = 0; l < kLanes; ++l) {
                const double ph = sm.phase();
                c_[g][l] = float(std::cos(ph));
                s_[g][l] = float(std::sin(ph));
            }
        }
    }
    double latency_s() const noexcept override { return latency_s_; }
    bool envelope_driven() const noexcept override { return true; }
    void hold(std::int64_t s, int e, float amp, std::int64_t until) noexcept override { input_.hold(s, e, amp, until); }

    void render(std::int64_t pos, float* out, std::size_t n) noexcept override {
        input_.begin_render(pos, n);
        const std::int64_t k = std::int64_t(k_);
        // 1. Electrode envelopes; their squares kept at the update instants (t % K == 0).
        const std::size_t first = std::size_t((k - pos % k) % k);  // first update instant in the chunk
        const v8f b = env_b_;
        for (std::size_t g = 0; g < nvec_; ++g) {
            v8f e1 = e1_[g], e2 = e2_[g];
            std::size_t u = 0, i = 0, next = first;
            for_each_input(input_, n, g, [&](v8f in) {
                e1 = b * e1 + in;
                e2 = b * e2 + e1;
                if (i++ == next) power_[u++ * nvec_ + g] = e2 * e2, next += k_;
            });
            e1_[g] = e1, e2_[g] = e2;
        }
        // 2. The carriers' target amplitudes at those instants: sqrt(sum_e W(e, c) env_e^2).
        const float* pw = reinterpret_cast<const float*>(power_.data());
        const std::size_t updates = first < n ? (n - 1 - first) / k_ + 1 : 0;
        for (std::size_t u = 0; u < updates; ++u) {
            v8f* t = target_.data() + u * cvec_;
            const float* pu = pw + u * nvec_ * kLanes;
            for (std::size_t g = 0; g < cvec_; ++g) t[g] = splat(0.f);
            for (std::size_t e = 0; e < electrodes_; ++e) {
                const float p = pu[e];
                const v8f* w = weight_.data() + e * cvec_;
                for (std::size_t g = 0; g < cvec_; ++g) t[g] += p * w[g];
            }
            for (std::size_t g = 0; g < cvec_; ++g) t[g] = sqrt8(t[g]);
        }
        // 3. Carriers, three groups of 8 at a time (independent rotator chains overlap).
        v8f* acc = acc_.data();
        std::size_t g = 0;
        for (; g + 3 <= cvec_; g += 3) carriers<3>(g, pos, n, first, acc);
        for (; g < cvec_; ++g) carriers<1>(g, pos, n, first, acc);
        input_.end_render(pos, n);
        reduce_lanes(acc, out, n);
    }

private:
    // Carrier groups g .. g + G - 1 over the chunk; group 0 stores into acc, the others add.
    template <std::size_t G>
    void carriers(std::size_t g0, std::int64_t pos, std::size_t n, std::size_t first, v8f* acc) noexcept {
        v8f c[G], s[G], amp[G], damp[G], last[G], wc[G], ws[G];
        for (std::size_t k = 0; k < G; ++k)
            c[k] = c_[g0 + k], s[k] = s_[g0 + k], amp[k] = amp_[g0 + k], damp[k] = damp_[g0 + k], last[k] = last_[g0 + k],
            wc[k] = step_c_[g0 + k], ws[k] = step_s_[g0 + k];
        std::size_t u = 0, next = first;
        for (std::size_t i = 0; i < n; ++i) {
            if (((pos + std::int64_t(i)) & (kRenormPeriod - 1)) == 0)
                for (std::size_t k = 0; k < G; ++k) renormalise(c[k], s[k]);
            if (i == next) {  // ramp from the last target (exactly, so that silence is exact) to the next over K samples
                const v8f* t = target_.data() + u++ * cvec_ + g0;
                next += k_;
                for (std::size_t k = 0; k < G; ++k) amp[k] = last[k], damp[k] = (t[k] - last[k]) * inv_k_, last[k] = t[k];
            }
            v8f y = splat(0.f);
            for (std::size_t k = 0; k < G; ++k) {
                amp[k] += damp[k];
                y += amp[k] * s[k];
                const v8f cn = c[k] * wc[k] - s[k] * ws[k];
                s[k] = c[k] * ws[k] + s[k] * wc[k];
                c[k] = cn;
            }
            acc[i] = g0 == 0 ? y : acc[i] + y;
        }
        for (std::size_t k = 0; k < G; ++k)
            c_[g0 + k] = c[k], s_[g0 + k] = s[k], amp_[g0 + k] = amp[k], damp_[g0 + k] = damp[k], last_[g0 + k] = last[k];
    }

    std::size_t nvec_, electrodes_, cvec_ = 0, k_ = 1;
    std::uint64_t seed_;
    EnvelopeInput input_;
    v8f env_b_, inv_k_;
    std::vector<double> carrier_hz_;
    std::vector<v8f> step_c_, step_s_, weight_, e1_, e2_, c_, s_, amp_, damp_, last_, power_, target_, acc_;
    double latency_s_ = 0;
};

}  // namespace

std::unique_ptr<Engine> make_multitone_engine(const Design& d) { return std::make_unique<MultitoneEngine>(d); }

}  // namespace earshot::aural
