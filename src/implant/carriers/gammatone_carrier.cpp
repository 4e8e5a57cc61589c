// Pulses through gammatones (openMHA / pulsatile-vocoder style, ci-anchors §3.7, §8): each pulse (after spread)
// is an impulse into lane j's 4th-order gammatone at its place frequency f_j: four complex one-poles
// z <- x + p z, p = r e^{i w}, r = exp(-2 pi 1.019 ERB(f_j) / fs), output Re(z4). Real input makes the
// response H(w) = (Hc(w) + conj(Hc(-w))) / 2, Hc = (1 - p e^{-i w})^-4.
// Every lane's impulses are delayed so that its group delay at f_j plus that delay is the same for all lanes
// (latency = the largest group delay, normally the lowest place's).
// Normalisation: a unit-impulse train at rate R (period T = fs / R samples) has output power
//   P(R) = T^-2 (|H(0)|^2 + 2 sum_{k >= 1} |H(2 pi k / T)|^2)
// (harmonics beyond 10 bandwidths from f_j are left out: each is below -80 dB); impulses of
// A x spread / sqrt(2 P(R)) then give RMS A / sqrt 2 at the electrode's own rate R.
// Where R is well above the bandwidth and no harmonic of R comes near f_j (low places at high rates), a
// regular train hardly excites the filter and P(R) is tiny; irregular trains (n-of-m selection) excite it
// at about the random-timing power E_h R / fs (E_h = the impulse response's energy). The gain is therefore
// never above the random-timing normalisation, P >= E_h R / fs: irregular trains come out at A / sqrt 2,
// regular trains whose harmonics miss the filter quieter (they are not boosted by up to 50 dB, which made
// n-of-m stimulation 14 dB too loud).
#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>

#include "bandpass.hpp"
#include "earshot/dsp/erb.hpp"
#include "engine.hpp"

namespace earshot::aural {
namespace {

class GammatoneEngine final : public Engine {
public:
    explicit GammatoneEngine(const Design& d)
        : nvec_(d.nvec), lanes_(d.lanes()), electrodes_(d.electrodes), fs_(d.fs), spread_(d.spread) {
        pr_.assign(nvec_, splat(0.f));
        pi_.assign(nvec_, splat(0.f));
        pole_.assign(lanes_, 0.0);
        bw_hz_.assign(lanes_, 0.0);
        energy_.assign(lanes_, 0.0);
        std::vector<double> gd(lanes_, 0.0);
        double longest = 0;
        for (int e = 0; e < d.electrodes; ++e) {
            if (!d.audible[std::size_t(e)]) continue;
            const std::size_t j = std::size_t(e);
            const double f = d.params.place_freq_hz[j];
            bw_hz_[j] = 1.019 * erb_hz(f);
            pole_[j] = std::polar(std::exp(-2.0 * std::numbers::pi * bw_hz_[j] / d.fs), 2.0 * std::numbers::pi * f / d.fs);
            pr_[j / kLanes][j % kLanes] = float(pole_[j].real());
            pi_[j / kLanes][j % kLanes] = float(pole_[j].imag());
            gd[j] = group_delay_samples([&](double x) { return response(j, x); }, f, d.fs);
            energy_[j] = impulse_energy(pole_[j]);
            longest = std::max(longest, gd[j]);
        }
        const double total = std::ceil(longest);
        delay_.assign(lanes_, 0);
        for (std::size_t j = 0; j < lanes_; ++j)
            if (bw_hz_[j] > 0) delay_[j] = std::size_t(std::max(0.0, std::round(total - gd[j])));
        latency_s_ = total / d.fs;
        ring_len_ = std::bit_ceil(std::size_t(total) + d.chunk + 1);
        ring_.assign(ring_len_ * nvec_, splat(0.f));
        state_.assign(nvec_ * 8, splat(0.f));
        norm_.assign(std::size_t(electrodes_) * nvec_, splat(0.f));
        delay_v_.assign(nvec_, v8u{});
        lane_v_.assign(nvec_, v8u{});
        for (std::size_t j = 0; j < lanes_; ++j) {
            delay_v_[j / kLanes][j % kLanes] = std::uint32_t(delay_[j]);
            lane_v_[j / kLanes][j % kLanes] = std::uint32_t(j);
        }
        norm_rate_.assign(std::size_t(electrodes_), 0.0);
        acc_.resize(d.chunk);
        reset();
    }

    void reset() noexcept override {
        std::fill(ring_.begin(), ring_.end(), splat(0.f));
        std::fill(state_.begin(), state_.end(), splat(0.f));
        std::fill(norm_rate_.begin(), norm_rate_.end(), 0.0);
    }
    double latency_s() const noexcept override { return latency_s_; }
    bool envelope_driven() const noexcept override { return false; }

    void pulse(std::int64_t s, int e, float amp, double rate_pps) noexcept override {
        const v8f* row = normalised_row(e, rate_pps);
        float* ring = reinterpret_cast<float*>(ring_.data());
        const v8u t = v8u{} + std::uint32_t(s);
        const std::uint32_t mask = std::uint32_t(ring_len_ - 1), stride = std::uint32_t(nvec_ * kLanes);
        for (std::size_t g = 0; g < nvec_; ++g) {
            const v8f a = amp * row[g];
            const v8u idx = ((t + delay_v_[g]) & mask) * stride + lane_v_[g];  // each lane at its own delay
            for (std::size_t l = 0; l < kLanes; ++l) ring[idx[l]] += a[l];
        }
    }

    void render(std::int64_t pos, float* out, std::size_t n) noexcept override {
        v8f* acc = acc_.data();
        const std::size_t mask = ring_len_ - 1;
        for (std::size_t g = 0; g < nvec_; ++g) {
            const v8f pr = pr_[g], pi = pi_[g];
            v8f* st = state_.data() + g * 8;
            v8f r1 = st[0], i1 = st[1], r2 = st[2], i2 = st[3], r3 = st[4], i3 = st[5], r4 = st[6], i4 = st[7];
            for (std::size_t i = 0; i < n; ++i) {
                v8f* slot = ring_.data() + ((std::size_t(pos) + i) & mask) * nvec_ + g;
                const v8f x = *slot;
                *slot = splat(0.f);
                v8f t = x + pr * r1 - pi * i1;
                i1 = pi * r1 + pr * i1;
                r1 = t;
                t = r1 + pr * r2 - pi * i2;
                i2 = i1 + pi * r2 + pr * i2;
                r2 = t;
                t = r2 + pr * r3 - pi * i3;
                i3 = i2 + pi * r3 + pr * i3;
                r3 = t;
                t = r3 + pr * r4 - pi * i4;
                i4 = i3 + pi * r4 + pr * i4;
                r4 = t;
                acc[i] = g == 0 ? r4 : acc[i] + r4;
            }
            st[0] = r1, st[1] = i1, st[2] = r2, st[3] = i2, st[4] = r3, st[5] = i3, st[6] = r4, st[7] = i4;
        }
        reduce_lanes(acc, out, n);
    }

private:
    // Response of lane j's real-part gammatone at freq_hz.
    std::complex<double> response(std::size_t j, double freq_hz) const noexcept {
        auto hc = [&](double w) {
            const std::complex<double> q = 1.0 / (1.0 - pole_[j] * std::polar(1.0, -w)), q2 = q * q;
            return q2 * q2;
        };
        const double w = 2.0 * std::numbers::pi * freq_hz / fs_;
        return 0.5 * (hc(w) + std::conj(hc(-w)));
    }

    // Power of the output for unit impulses at rate_pps.
    double train_power(std::size_t j, double rate_pps) const noexcept {
        const double f = std::abs(std::arg(pole_[j])) * fs_ / (2.0 * std::numbers::pi);
        const double lo = std::max(1.0, std::ceil((f - 10.0 * bw_hz_[j]) / rate_pps));
        const double hi = std::min(std::floor((f + 10.0 * bw_hz_[j]) / rate_pps), std::floor(0.5 * fs_ / rate_pps));
        double p = std::norm(response(j, 0.0));
        for (double k = lo; k <= hi; k += 1.0) p += 2.0 * std::norm(response(j, k * rate_pps));
        const double period = fs_ / rate_pps;
        return std::max(p / (period * period), kMaxBoost * energy_[j] / period);
    }

    // Sum of the squared impulse response Re(z4) of the cascade with this pole.
    static double impulse_energy(std::complex<double> pole) {
        std::complex<double> z[4] = {};
        double energy = 0, recent = 0;
        for (std::size_t n = 0; n < (std::size_t(1) << 24); ++n) {
            std::complex<double> x = n == 0 ? 1.0 : 0.0;
            for (auto& zk : z) x = zk = x + pole * zk;
            energy += x.real() * x.real();
            recent += x.real() * x.real();
            if ((n + 1) % 4096 == 0) {
                if (n > 4096 && recent < 1e-15 * energy) break;
                recent = 0;
            }
        }
        return energy;
    }
    static constexpr double kMaxBoost = 1.0;  // P >= E_h R / fs: never more gain than random timing needs

    const v8f* normalised_row(int e, double rate_pps) noexcept {
        v8f* row = norm_.data() + std::size_t(e) * nvec_;
        double& used = norm_rate_[std::size_t(e)];
        if (!(std::fabs(rate_pps - used) <= 1e-3 * used)) {
            used = rate_pps;
            for (std::size_t j = 0; j < lanes_; ++j) {
                const float w = spread_[std::size_t(e) * lanes_ + j];
                row[j / kLanes][j % kLanes] = w > 0.f && bw_hz_[j] > 0 ? float(double(w) / std::sqrt(2.0 * train_power(j, rate_pps))) : 0.f;
            }
        }
        return row;
    }

    std::size_t nvec_, lanes_;
    int electrodes_;
    double fs_;
    std::vector<float> spread_;
    std::vector<std::complex<double>> pole_;
    std::vector<double> bw_hz_, energy_, norm_rate_;
    std::vector<std::size_t> delay_;
    std::vector<v8f> pr_, pi_, ring_, state_, acc_, norm_;
    std::vector<v8u> delay_v_, lane_v_;
    std::size_t ring_len_ = 0;
    double latency_s_ = 0;
};

}  // namespace

std::unique_ptr<Engine> make_gammatone_engine(const Design& d) { return std::make_unique<GammatoneEngine>(d); }

}  // namespace earshot::aural
