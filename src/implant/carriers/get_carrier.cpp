// Gaussian-enveloped tones (GET; Meng et al., ci-anchors §3.7). Lane j's sound is its continuous sine (seeded
// phase) times the sum of the Gaussians its pulses launched, exp(-pi t^2 / D_j^2), D_j = cycles / f_j,
// truncated at +-1.5 D_j and centred L samples after the pulse (L the same for every lane: the latency).
// The envelope sums are smooth, so each group of 8 lanes keeps them on a grid of K samples, K <= D / 6 of
// its shortest Gaussian (linear interpolation in between: error below (pi/4)(K/D)^2 = 2.2 % of the peak, a
// slight widening), lane-interleaved so that
// adding a pulse's Gaussians is one FMA per grid point for 8 lanes. L >= every lane's half-length + its K, so
// a pulse never touches grid points that samples before it interpolate from (block-size invariance).
// Normalisation: a train at rate R of amplitude A should have RMS A / sqrt 2. Its envelope is periodic; with
// u = R D and G(s) = exp(-pi s^2) on |s| <= 1.5, mean(env^2) = (a N(u))^2 with
//   N(u)^2 = u sum_m C(m / u),   C(tau) = integral G(s) G(s - tau) ds = exp(-pi tau^2 / 2) / sqrt 2 x erf(sqrt(2 pi) (1.5 - |tau| / 2))
// (0 for |tau| >= 3); for u > 8 the sum is u^2 erf(1.5 sqrt pi)^2 to within 0.01 dB. The sine halves the power
// (D >= 1 cycle: the cos(2 w t) term is below exp(-2 pi)), so each grain's amplitude is A x spread / N(R D).
#include <algorithm>
#include <bit>
#include <cmath>

#include "engine.hpp"
#include "random.hpp"

namespace earshot::aural {
namespace {

double get_norm(double u) {
    const double g_area = std::erf(1.5 * std::sqrt(std::numbers::pi));
    if (u > 8.0) return u * g_area;
    double sum = 0;
    const int m_max = int(std::ceil(3.0 * u));
    for (int m = -m_max; m <= m_max; ++m) {
        const double tau = std::fabs(double(m)) / u;
        if (tau >= 3.0) continue;
        sum += std::exp(-std::numbers::pi * tau * tau / 2.0) / std::numbers::sqrt2 *
               std::erf(std::sqrt(2.0 * std::numbers::pi) * (1.5 - tau / 2.0));
    }
    return std::sqrt(u * sum);
}

struct Group {
    std::int64_t k = 1;        // grid step, samples
    std::int64_t reach = 0;    // grid points either side of the centre's grid point a grain can touch
    std::size_t points = 0;    // 2 reach + 2
    std::vector<v8f> table;    // [phase r in 0..k)[point]: Gaussians at grid point (q - reach + p) k for centre q k + r
    std::vector<v8f> ring;     // grid values, indexed by grid point
    std::int64_t mask = 0;
    v8f env, slope;            // render state: interpolated envelope and its step
};

class GetEngine final : public Engine {
public:
    explicit GetEngine(const Design& d)
        : nvec_(d.nvec), lanes_(d.lanes()), electrodes_(d.electrodes), seed_(d.params.seed), spread_(d.spread) {
        dur_s_.assign(lanes_, 0.0);
        std::vector<std::int64_t> half(lanes_, 0);
        step_c_.assign(nvec_, splat(1.f));
        step_s_.assign(nvec_, splat(0.f));
        for (int e = 0; e < d.electrodes; ++e) {
            if (!d.audible[std::size_t(e)]) continue;
            const double f = d.params.place_freq_hz[std::size_t(e)];
            dur_s_[std::size_t(e)] = d.params.get_cycles / f;
            half[std::size_t(e)] = std::int64_t(std::floor(1.5 * dur_s_[std::size_t(e)] * d.fs));
            const double w = 2.0 * std::numbers::pi * f / d.fs;
            step_c_[std::size_t(e) / kLanes][std::size_t(e) % kLanes] = float(std::cos(w));
            step_s_[std::size_t(e) / kLanes][std::size_t(e) % kLanes] = float(std::sin(w));
        }
        groups_.resize(nvec_);
        std::int64_t latency = 0;
        for (std::size_t g = 0; g < nvec_; ++g) {
            double shortest = 1e30;
            std::int64_t longest = 0;
            for (std::size_t l = 0; l < kLanes; ++l)
                if (dur_s_[g * kLanes + l] > 0)
                    shortest = std::min(shortest, dur_s_[g * kLanes + l] * d.fs), longest = std::max(longest, half[g * kLanes + l]);
            Group& gr = groups_[g];
            gr.k = shortest < 1e30 ? std::clamp(std::int64_t(std::floor(shortest / 6.0)), std::int64_t(1), std::int64_t(32)) : 1;
            gr.reach = (longest + gr.k - 1) / gr.k + 1;
            latency = std::max(latency, longest + gr.k);
        }
        centre_ = latency;
        for (std::size_t g = 0; g < nvec_; ++g) {
            Group& gr = groups_[g];
            gr.points = std::size_t(2 * gr.reach + 2);
            gr.table.assign(std::size_t(gr.k) * gr.points, splat(0.f));
            for (std::int64_t r = 0; r < gr.k; ++r)
                for (std::size_t p = 0; p < gr.points; ++p) {
                    const double offset = double((std::int64_t(p) - gr.reach) * gr.k - r);  // grid point - centre, samples
                    for (std::size_t l = 0; l < kLanes; ++l) {
                        const std::size_t j = g * kLanes + l;
                        if (dur_s_[j] <= 0 || std::fabs(offset) > double(half[j])) continue;
                        const double t = offset / (dur_s_[j] * d.fs);
                        gr.table[std::size_t(r) * gr.points + p][l] = float(std::exp(-std::numbers::pi * t * t));
                    }
                }
            // grid points alive at once: the chunk plus everything a pulse in it reaches ahead
            const std::size_t len = std::bit_ceil(std::size_t((2 * centre_ + std::int64_t(d.chunk)) / gr.k + 2 * gr.reach + 4));
            gr.ring.assign(len, splat(0.f));
            gr.mask = std::int64_t(len - 1);
        }
        norm_.assign(std::size_t(electrodes_) * nvec_, splat(0.f));
        norm_rate_.assign(std::size_t(electrodes_), 0.0);
        c_.resize(nvec_), s_.resize(nvec_);
        acc_.resize(d.chunk);
        latency_s_ = double(centre_) / d.fs;
        reset();
    }

    void reset() noexcept override {
        for (Group& gr : groups_) {
            std::fill(gr.ring.begin(), gr.ring.end(), splat(0.f));
            gr.env = gr.slope = splat(0.f);
        }
        std::fill(norm_rate_.begin(), norm_rate_.end(), 0.0);
        SplitMix64 sm(seed_, 4);
        for (std::size_t g = 0; g < nvec_; ++g)
            for (std::size_t l = 0; l < kLanes; ++l) {
                const double ph = sm.phase();
                c_[g][l] = float(std::cos(ph));
                s_[g][l] = float(std::sin(ph));
            }
    }
    double latency_s() const noexcept override { return latency_s_; }
    bool envelope_driven() const noexcept override { return false; }

    void pulse(std::int64_t s, int e, float amp, double rate_pps) noexcept override {
        const v8f* row = normalised_row(e, rate_pps);
        const std::int64_t c = s + centre_;
        for (std::size_t g = 0; g < nvec_; ++g) {
            const v8f a = amp * row[g];
            const v8u nz = reinterpret_cast<v8u>(a != 0.f);
            if (!(nz[0] | nz[1] | nz[2] | nz[3] | nz[4] | nz[5] | nz[6] | nz[7])) continue;
            Group& gr = groups_[g];
            const std::int64_t q = c / gr.k, r = c - q * gr.k;  // c >= 0
            const v8f* tab = gr.table.data() + std::size_t(r) * gr.points;
            v8f* ring = gr.ring.data();
            const std::size_t len = gr.ring.size(), p0 = std::size_t((q - gr.reach) & gr.mask);
            const std::size_t first = std::min(gr.points, len - p0);
            for (std::size_t p = 0; p < first; ++p) ring[p0 + p] += a * tab[p];
            for (std::size_t p = first; p < gr.points; ++p) ring[p - first] += a * tab[p];
        }
    }

    void render(std::int64_t pos, float* out, std::size_t n) noexcept override {
        v8f* acc = acc_.data();
        for (std::size_t g = 0; g < nvec_; ++g) {
            Group& gr = groups_[g];
            v8f c = c_[g], s = s_[g], env = gr.env, slope = gr.slope;
            const v8f wc = step_c_[g], ws = step_s_[g], inv_k = splat(1.0f / float(gr.k));
            v8f* ring = gr.ring.data();
            std::int64_t phase = pos % gr.k, point = pos / gr.k;
            for (std::size_t i = 0; i < n; ++i) {
                if (phase == 0) {  // at a grid point: its value, and the step towards the next one
                    v8f& here = ring[std::size_t(point & gr.mask)];
                    env = here;
                    slope = (ring[std::size_t((point + 1) & gr.mask)] - here) * inv_k;
                    here = splat(0.f);
                }
                if (((pos + std::int64_t(i)) & (kRenormPeriod - 1)) == 0) renormalise(c, s);
                acc[i] = g == 0 ? env * s : acc[i] + env * s;
                env += slope;
                const v8f cn = c * wc - s * ws;
                s = c * ws + s * wc;
                c = cn;
                if (++phase == gr.k) phase = 0, ++point;
            }
            c_[g] = c, s_[g] = s, gr.env = env, gr.slope = slope;
        }
        reduce_lanes(acc, out, n);
    }

private:
    // Spread x 1 / N(R D_j) for electrode e at its pulse rate, recomputed when the rate moves by > 0.1 %.
    const v8f* normalised_row(int e, double rate_pps) noexcept {
        v8f* row = norm_.data() + std::size_t(e) * nvec_;
        double& used = norm_rate_[std::size_t(e)];
        if (!(std::fabs(rate_pps - used) <= 1e-3 * used)) {
            used = rate_pps;
            for (std::size_t j = 0; j < lanes_; ++j) {
                const float w = spread_[std::size_t(e) * lanes_ + j];
                row[j / kLanes][j % kLanes] = w > 0.f && dur_s_[j] > 0 ? float(double(w) / get_norm(rate_pps * dur_s_[j])) : 0.f;
            }
        }
        return row;
    }

    std::size_t nvec_, lanes_;
    int electrodes_;
    std::uint64_t seed_;
    std::vector<float> spread_;
    std::vector<double> dur_s_, norm_rate_;
    std::vector<Group> groups_;
    std::vector<v8f> norm_;
    std::int64_t centre_ = 0;
    std::vector<v8f> step_c_, step_s_, c_, s_, acc_;
    double latency_s_ = 0;
};

}  // namespace

std::unique_ptr<Engine> make_get_engine(const Design& d) { return std::make_unique<GetEngine>(d); }

}  // namespace earshot::aural
