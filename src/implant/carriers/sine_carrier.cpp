// Sine carrier: per lane, smoothed envelope x a sine at the place frequency (seeded random starting phase),
// from a complex rotator (no transcendental calls per sample). Peak amplitude = envelope. The envelope's
// scale is carried by the rotator's magnitude, which is pulled back to it at fixed stream positions.
#include <cmath>

#include "engine.hpp"
#include "envelope_input.hpp"
#include "random.hpp"

namespace earshot::aural {
namespace {

class SineEngine final : public Engine {
public:
    explicit SineEngine(const Design& d) : nvec_(d.nvec), seed_(d.params.seed) {
        const EnvelopeSmoother sm = EnvelopeSmoother::design(d.params.envelope_cutoff_hz, d.fs);
        env_b_ = splat(1.f - sm.a);
        magnitude_ = sm.output_gain();
        inv_m2_ = splat(float(1.0 / (magnitude_ * magnitude_)));
        step_c_.assign(nvec_, splat(1.f));
        step_s_.assign(nvec_, splat(0.f));
        audible_.assign(std::size_t(d.lanes()), false);
        for (int e = 0; e < d.electrodes; ++e) {
            if (!d.audible[std::size_t(e)]) continue;
            const double w = 2.0 * std::numbers::pi * d.params.place_freq_hz[std::size_t(e)] / d.fs;
            step_c_[std::size_t(e) / kLanes][std::size_t(e) % kLanes] = float(std::cos(w));
            step_s_[std::size_t(e) / kLanes][std::size_t(e) % kLanes] = float(std::sin(w));
            audible_[std::size_t(e)] = true;
        }
        input_.prepare(nvec_, d.electrodes, d.spread, d.chunk);
        latency_s_ = sm.delay_samples / d.fs;
        e1_.resize(nvec_), e2_.resize(nvec_), c_.resize(nvec_), s_.resize(nvec_);
        acc_.resize(d.chunk);
        reset();
    }

    void reset() noexcept override {
        input_.reset();
        SplitMix64 sm(seed_, 2);
        for (std::size_t g = 0; g < nvec_; ++g) {
            e1_[g] = e2_[g] = splat(0.f);
            for (std::size_t l = 0; l < kLanes; ++l) {
                const double ph = sm.phase(), m = audible_[g * kLanes + l] ? magnitude_ : 0.0;
                c_[g][l] = float(m * std::cos(ph));
                s_[g][l] = float(m * std::sin(ph));
            }
        }
    }
    double latency_s() const noexcept override { return latency_s_; }
    bool envelope_driven() const noexcept override { return true; }
    void hold(std::int64_t s, int e, float amp, std::int64_t until) noexcept override { input_.hold(s, e, amp, until); }

    void render(std::int64_t pos, float* out, std::size_t n) noexcept override {
        input_.begin_render(pos, n);
        v8f* acc = acc_.data();  // group 0 stores, the others add
        const v8f b = env_b_, inv_m2 = inv_m2_;
        for (std::size_t g = 0; g < nvec_; ++g) {
            v8f e1 = e1_[g], e2 = e2_[g], c = c_[g], s = s_[g];
            const v8f wc = step_c_[g], ws = step_s_[g];
            std::size_t i = 0;
            for_each_input(input_, n, g, [&](v8f in) {
                if ((pos + std::int64_t(i)) % kRenormPeriod == 0) {
                    const v8f k = 1.5f - 0.5f * (c * c + s * s) * inv_m2;
                    c *= k;
                    s *= k;
                }
                e1 = b * e1 + in;
                e2 = b * e2 + e1;
                acc[i] = g == 0 ? e2 * s : acc[i] + e2 * s;
                ++i;
                const v8f cn = c * wc - s * ws;
                s = c * ws + s * wc;
                c = cn;
            });
            e1_[g] = e1, e2_[g] = e2, c_[g] = c, s_[g] = s;
        }
        input_.end_render(pos, n);
        reduce_lanes(acc, out, n);
    }

private:
    std::size_t nvec_;
    std::uint64_t seed_;
    EnvelopeInput input_;
    v8f env_b_, inv_m2_;
    double magnitude_ = 1;
    std::vector<bool> audible_;
    std::vector<v8f> step_c_, step_s_, e1_, e2_, c_, s_, acc_;
    double latency_s_ = 0;
};

}  // namespace

std::unique_ptr<Engine> make_sine_engine(const Design& d) { return std::make_unique<SineEngine>(d); }

}  // namespace earshot::aural
