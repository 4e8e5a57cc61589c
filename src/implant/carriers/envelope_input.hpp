#pragma once
// Internal: the input side of the envelope carriers (noise, sine, multitone).
//   EnvelopeInput  the held, spread lane inputs as exact fixed-point deltas: a pulse of amplitude A on
//                  electrode e contributes C_e = round(A x spread row e x 2^21) (24 integer lanes) from its
//                  sample until its time-out or the electrode's next pulse. Starts (and the end of the
//                  previous hold, when a pulse comes before the time-out) are added to a per-chunk delta
//                  buffer as events arrive; time-outs stay with their electrode until the chunk that contains
//                  them is rendered, so that a pulse arriving first simply replaces them. Integer sums are
//                  exact: a lane returns to exactly 0 when nothing is held. The buffer is planar (one row of
//                  chunk slots per group of 8 lanes) and small enough to stay in L1.
//                  The render adds slot i to the running sum, clears it and converts to float (lane values in
//                  units of 2^-21; engines fold 2^-21 into their gains).
//   EnvelopeSmoother  critically damped 2nd-order low-pass (two equal one-poles), -3 dB at the cutoff.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

#include "simd.hpp"

namespace earshot::aural {

class EnvelopeInput {
public:
    static constexpr double kScale = 2097152.0;   ///< 2^21 per amplitude unit
    static constexpr float kMaxAmplitude = 32.f;  ///< 24 lanes x 32 x 2^21 < 2^31

    /// spread: electrodes x nvec * 8 weights (row e: from electrode e to each lane); chunk: longest render.
    void prepare(std::size_t nvec, int electrodes, const std::vector<float>& spread, std::size_t chunk) {
        nvec_ = nvec;
        electrodes_ = electrodes;
        chunk_ = chunk;
        row_.assign(std::size_t(electrodes) * nvec, splat(0.f));
        for (std::size_t k = 0; k < spread.size(); ++k) row_[k / kLanes][k % kLanes] = float(double(spread[k]) * kScale);
        delta_.assign(chunk * nvec, v8u{});
        contribution_.assign(std::size_t(electrodes) * nvec, v8u{});
        until_.assign(std::size_t(electrodes), 0);
        start_.assign(std::size_t(electrodes), 0);
        sum_.assign(nvec, v8u{});
        reset();
    }
    void reset() noexcept {
        std::fill(delta_.begin(), delta_.end(), v8u{});
        std::fill(contribution_.begin(), contribution_.end(), v8u{});
        std::fill(until_.begin(), until_.end(), kNone);
        std::fill(start_.begin(), start_.end(), std::int64_t(0));
        std::fill(sum_.begin(), sum_.end(), v8u{});
        base_ = 0;
    }
    /// Electrode e holds amp from sample s until sample `until` (> s, exclusive; amp 0: nothing). s lies in
    /// the chunk about to be rendered; an electrode's samples never go backwards.
    void hold(std::int64_t s, int e, float amp, std::int64_t until) noexcept {
        switch (nvec_) {
            case 1: hold_n<1>(s, e, amp, until); break;
            case 2: hold_n<2>(s, e, amp, until); break;
            default: hold_n<3>(s, e, amp, until); break;
        }
    }
    /// Before rendering [pos, pos + n): the time-outs that fall in it become deltas.
    void begin_render(std::int64_t pos, std::size_t n) noexcept {
        const std::int64_t end = pos + std::int64_t(n);
        for (int e = 0; e < electrodes_; ++e) {
            const std::int64_t u = until_[std::size_t(e)];
            if (u >= end) continue;  // later (or kNone)
            const v8u* c = contribution_.data() + std::size_t(e) * nvec_;
            v8u* d = delta_.data() + std::size_t(u - pos);
            for (std::size_t g = 0; g < nvec_; ++g) d[g * chunk_] -= c[g];
            until_[std::size_t(e)] = kNone;
        }
    }
    /// After rendering [pos, pos + n).
    void end_render(std::int64_t pos, std::size_t n) noexcept { base_ = pos + std::int64_t(n); }
    v8u* deltas(std::size_t g) noexcept { return delta_.data() + g * chunk_; }
    v8u& sum(std::size_t g) noexcept { return sum_[g]; }

private:
    static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();

    template <std::size_t N>
    void hold_n(std::int64_t s, int e, float amp, std::int64_t until) noexcept {
        v8u* c = contribution_.data() + std::size_t(e) * N;
        std::int64_t& old_until = until_[std::size_t(e)];
        std::int64_t& start = start_[std::size_t(e)];
        s = std::max(s, start);
        start = s;
        v8u* d = delta_.data() + std::size_t(s - base_);
        if (old_until != kNone) {  // the previous hold ends now, or at its time-out (in this chunk) if earlier
            v8u* end = old_until > s ? d : delta_.data() + std::size_t(old_until - base_);
            for (std::size_t g = 0; g < N; ++g) end[g * chunk_] -= c[g];
        }
        old_until = kNone;
        amp = std::min(amp, kMaxAmplitude);
        if (amp > 0.f) {
            const v8f* row = row_.data() + std::size_t(e) * N;
            for (std::size_t g = 0; g < N; ++g) {
                const v8u v = reinterpret_cast<v8u>(__builtin_convertvector(row[g] * amp + 0.5f, v8i));  // row >= 0
                c[g] = v;
                d[g * chunk_] += v;
            }
            old_until = until;
        }
    }

    std::size_t nvec_ = 0, chunk_ = 0;
    int electrodes_ = 0;
    std::vector<v8f> row_;
    std::vector<v8u> delta_, contribution_, sum_;
    std::vector<std::int64_t> until_, start_;
    std::int64_t base_ = 0;  // stream sample of delta slot 0
};

/// Runs `body(v8f input)` for samples [pos, pos + n) of group g (between begin_render and end_render).
template <class Body>
inline void for_each_input(EnvelopeInput& input, std::size_t n, std::size_t g, Body&& body) noexcept {
    v8u sum = input.sum(g);
    v8u* d = input.deltas(g);
    for (std::size_t i = 0; i < n; ++i) {
        sum += d[i];
        d[i] = v8u{};
        body(__builtin_convertvector(reinterpret_cast<v8i>(sum), v8f));
    }
    input.sum(g) = sum;
}

struct EnvelopeSmoother {
    float a = 1;                 ///< one-pole coefficient: y += a (x - y), twice
    double delay_samples = 0;    ///< group delay at 0 Hz
    static EnvelopeSmoother design(double cutoff_hz, double fs) {
        // One-pole y += a (x - y), b = 1 - a: |H(w)|^2 = a^2 / (1 - 2 b cos w + b^2). Two in cascade are -3 dB
        // where each is at 1/sqrt 2 in power: (1 - b)^2 = k (1 - 2 b c + b^2), k = 1/sqrt 2, c = cos w_c.
        const double k = 1.0 / std::sqrt(2.0), c = std::cos(2.0 * std::numbers::pi * cutoff_hz / fs);
        const double p = 1.0 - k * c, q = 1.0 - k;
        const double b = (p - std::sqrt(p * p - q * q)) / q;
        return {float(1.0 - b), 2.0 * b / (1.0 - b)};
    }
    /// Engines run e1 = b e1 + x, e2 = b e2 + e1 (b = 1 - a) on the unscaled input: e2 is then the smoothed
    /// envelope divided by a^2, which they fold into a gain with the input's 2^-21.
    double output_gain() const noexcept { return double(a) * double(a) / EnvelopeInput::kScale; }
};

}  // namespace earshot::aural
