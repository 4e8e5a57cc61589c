// Noise carrier (classic noise vocoder): per lane, white noise -> band-pass -> x smoothed envelope -> the
// same band-pass -> sum. Eight lanes per vector; per sample, per vector: the envelope input (an integer
// add), two one-poles, one LCG draw and four band-pass sections. Every constant gain (the sections' b0, the
// noise level, the envelope's scale) is folded into the noise multiplier. (Measured alternatives that were
// slower on Zen 3: a two-pass split with groups interleaved, a one-sample software pipeline, direct-form-II
// sections; interleaving the three groups in one loop spills the 36 recursive states.)
// Lanes are re-aligned: each lane's smoothed envelope is delayed by the whole samples between its own
// envelope delay (smoothing + the synthesis band-pass's energy centroid, see energy_centroid()) and the largest (the lowest band's), so that every
// lane's envelope comes out latency_s() after its pulse (to within half a sample). Without this, the higher
// (wider, shorter-delay) bands led the lowest by up to several ms, and a broadband sound's envelope came out
// early by an amount that depended on its spectrum (issue 8 item 8: white noise -2 ms, speech near 0).
#include <cmath>
#include <cstdint>
#include <vector>

#include "bandpass.hpp"
#include "engine.hpp"
#include "envelope_input.hpp"
#include "random.hpp"

namespace earshot::aural {
namespace {

struct Coef {
    v8f noise_gain, env_b, a1[2], a2[2];
};
struct State {
    v8f e1, e2, s[8];  // envelope one-poles; sections: analysis 0, 1, synthesis 0, 1 (two states each)
    v8u rng;
};

// Section (1 - z^-2) / (1 + a1 z^-1 + a2 z^-2) (b0 folded into the gains), transposed direct form II:
// y = x + s1, s1 = s2 - a1 y, s2 = -(x + a2 y). The input reaches the output through one add, which keeps
// the chain through the four cascaded sections short.
inline v8f section(v8f x, v8f a1, v8f a2, v8f& s1, v8f& s2) noexcept {
    const v8f y = x + s1;
    s1 = s2 - a1 * y;
    s2 = -(x + a2 * y);
    return y;
}

class NoiseEngine final : public Engine {
public:
    explicit NoiseEngine(const Design& d) : nvec_(d.nvec), seed_(d.params.seed) {
        const EnvelopeSmoother sm = EnvelopeSmoother::design(d.params.envelope_cutoff_hz, d.fs);
        coef_.resize(nvec_);
        for (auto& c : coef_) c = Coef{splat(0.f), splat(1.f - sm.a), {splat(0.f), splat(0.f)}, {splat(0.f), splat(0.f)}};
        const std::vector<Band> bands = noise_bands(d.params.place_freq_hz, d.fs);
        double latency = 0;
        std::vector<double> own(std::size_t(d.electrodes), -1.0);
        for (int e = 0; e < d.electrodes; ++e) {
            if (!d.audible[std::size_t(e)]) continue;
            const std::size_t g = std::size_t(e) / kLanes, l = std::size_t(e) % kLanes;
            const auto sec = butterworth_bandpass4(bands[std::size_t(e)], d.fs);
            for (int k = 0; k < 2; ++k) coef_[g].a1[k][l] = float(sec[k].a1), coef_[g].a2[k][l] = float(sec[k].a2);
            // Steady state, envelope A: output = A (noise * h * h), variance A^2 var(noise) sum (h*h)^2 = A^2 / 2.
            const double hh = energy_of_squared(sec);
            const double b0b0 = sec[0].b0 * sec[1].b0;
            const double gain = 1.0 / std::sqrt(2.0 * kWhiteNoiseVariance * hh) * b0b0 * b0b0 * sm.output_gain();
            coef_[g].noise_gain[l] = float(gain * kLcgToUnit);
            const double f = d.params.place_freq_hz[std::size_t(e)];
            (void)f;
            own[std::size_t(e)] = sm.delay_samples + energy_centroid(sec);
            latency = std::max(latency, own[std::size_t(e)]);
        }
        // Per-lane envelope delays (whole samples) and a ring of smoothed envelopes long enough for the largest.
        lane_delay_.assign(nvec_ * kLanes, 0);
        std::uint32_t longest = 0;
        for (int e = 0; e < d.electrodes; ++e)
            if (own[std::size_t(e)] >= 0) {
                const auto k = std::uint32_t(std::lround(latency - own[std::size_t(e)]));
                lane_delay_[std::size_t(e)] = k;
                longest = std::max(longest, k);
            }
        ring_len_ = 1;
        while (ring_len_ <= longest) ring_len_ <<= 1;
        ring_.assign(nvec_ * ring_len_, splat(0.f));
        input_.prepare(nvec_, d.electrodes, d.spread, d.chunk);
        latency_s_ = latency / d.fs;
        state_.resize(nvec_);
        acc_.resize(d.chunk);
        reset();
    }

    void reset() noexcept override {
        input_.reset();
        SplitMix64 sm(seed_, 1);
        std::fill(ring_.begin(), ring_.end(), splat(0.f));
        ring_pos_ = 0;
        for (auto& st : state_) {
            st.e1 = st.e2 = splat(0.f);
            for (auto& s : st.s) s = splat(0.f);
            for (std::size_t l = 0; l < kLanes; ++l) st.rng[l] = std::uint32_t(sm.next() >> 32);
        }
    }
    double latency_s() const noexcept override { return latency_s_; }
    bool envelope_driven() const noexcept override { return true; }
    void hold(std::int64_t s, int e, float amp, std::int64_t until) noexcept override { input_.hold(s, e, amp, until); }

    void render(std::int64_t pos, float* out, std::size_t n) noexcept override {
        input_.begin_render(pos, n);
        v8f* acc = acc_.data();  // group 0 stores, the others add
        for (std::size_t g = 0; g < nvec_; ++g) {
            const Coef& c = coef_[g];
            State st = state_[g];
            std::size_t i = 0;
            v8f* ring = ring_.data() + g * ring_len_;
            const std::uint32_t* dl = lane_delay_.data() + g * kLanes;
            const std::uint32_t mask = ring_len_ - 1;
            std::uint32_t w = ring_pos_;
            for_each_input(input_, n, g, [&](v8f in) {
                st.e1 = c.env_b * st.e1 + in;
                st.e2 = c.env_b * st.e2 + st.e1;
                ring[w & mask] = st.e2;
                v8f env;
                for (std::size_t l = 0; l < kLanes; ++l) env[l] = ring[(w - dl[l]) & mask][l];
                ++w;
                v8f x = lcg_noise(st.rng) * c.noise_gain;
                x = section(x, c.a1[0], c.a2[0], st.s[0], st.s[1]);
                x = section(x, c.a1[1], c.a2[1], st.s[2], st.s[3]);
                x *= env;
                x = section(x, c.a1[0], c.a2[0], st.s[4], st.s[5]);
                x = section(x, c.a1[1], c.a2[1], st.s[6], st.s[7]);
                acc[i] = g == 0 ? x : acc[i] + x;
                ++i;
            });
            state_[g] = st;
        }
        ring_pos_ += std::uint32_t(n);
        input_.end_render(pos, n);
        reduce_lanes(acc, out, n);
    }

private:
    // The lane's envelope delay: the output's power envelope is the held envelope squared convolved with
    // h[n]^2 (h the synthesis band-pass, white carrier before it), so an envelope change comes out delayed by
    // the energy centroid of h, sum n h[n]^2 / sum h[n]^2 (= the group delay averaged over the band, weighted
    // by |H|^2), which for these narrow 4th-order bands is larger than the group delay at the place frequency.
    static double energy_centroid(const std::array<BandpassSection, 2>& sec) {
        double s[4] = {};
        double energy = 0, moment = 0, recent = 0;
        for (std::size_t n = 0; n < (std::size_t(1) << 24); ++n) {
            double x = n == 0 ? 1.0 : 0.0;
            for (int k = 0; k < 2; ++k) {
                const BandpassSection& c = sec[std::size_t(k)];
                const double y = c.b0 * x + s[2 * k];
                s[2 * k] = s[2 * k + 1] - c.a1 * y;
                s[2 * k + 1] = -c.b0 * x - c.a2 * y;
                x = y;
            }
            energy += x * x;
            moment += double(n) * x * x;
            recent += x * x;
            if ((n + 1) % 4096 == 0) {
                if (n > 4096 && recent < 1e-15 * energy) break;
                recent = 0;
            }
        }
        return energy > 0 ? moment / energy : 0.0;
    }

    // sum over n of (h * h)[n]^2, h the band-pass (both sections), from its impulse response run twice.
    static double energy_of_squared(const std::array<BandpassSection, 2>& sec) {
        double s[8] = {};
        double energy = 0, recent = 0;
        auto run = [](double x, const BandpassSection& c, double& s1, double& s2) {
            const double y = c.b0 * x + s1;
            s1 = s2 - c.a1 * y;
            s2 = -c.b0 * x - c.a2 * y;
            return y;
        };
        for (std::size_t n = 0; n < (std::size_t(1) << 24); ++n) {
            double x = n == 0 ? 1.0 : 0.0;
            for (int k = 0; k < 4; ++k) x = run(x, sec[std::size_t(k % 2)], s[2 * k], s[2 * k + 1]);
            energy += x * x;
            recent += x * x;
            if ((n + 1) % 4096 == 0) {
                if (n > 4096 && recent < 1e-15 * energy) break;
                recent = 0;
            }
        }
        return energy;
    }

    std::size_t nvec_;
    std::uint64_t seed_;
    EnvelopeInput input_;
    std::vector<Coef> coef_;
    std::vector<State> state_;
    std::vector<v8f> acc_;
    std::vector<std::uint32_t> lane_delay_;  // per lane: whole samples of envelope delay (re-alignment)
    std::vector<v8f> ring_;                   // per group: ring_len_ smoothed envelopes
    std::uint32_t ring_len_ = 1, ring_pos_ = 0;
    double latency_s_ = 0;
};

}  // namespace

std::unique_ptr<Engine> make_noise_engine(const Design& d) { return std::make_unique<NoiseEngine>(d); }

}  // namespace earshot::aural
