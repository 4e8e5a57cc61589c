#include "earshot/hearing/smearing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <list>
#include <mutex>
#include <numbers>
#include <random>
#include <tuple>

#include "earshot/core/error.hpp"
#include "earshot/dsp/linear_solve.hpp"
#include "smearer_channel.hpp"
#include "earshot/dsp/random.hpp"
#include "earshot/hearing/ear_filter.hpp"

namespace earshot {
namespace {

// roex(p) auditory filters on the bin grid of a 2n-point FFT (n bins), MSBG's audfilt().
Matrix auditory_filters(double fs, std::size_t n, double rl, double ru) {
    Matrix a(n, n);
    a(0, 0) = 1.0 / ((rl + ru) / 2.0);
    for (std::size_t i = 1; i < n; ++i) {
        const double f = double(i) * fs / (2.0 * double(n));
        const double erb = 24.7 * (f * 0.00437 + 1.0);
        for (std::size_t j = 0; j < n; ++j) {
            const double r = j < i ? rl : ru;
            const double g = std::abs(double(i) - double(j)) / double(i) * (4.0 * f / (erb * r));
            a(i, j) = (1.0 + g) * std::exp(-g) / (erb * (rl + ru) / (2.0 * 24.7));
        }
    }
    return a;
}

// y[t] += sum_g p[g] c[g n + t] for t < n (n a multiple of 8): eight columns per load/store of y,
// so consecutive columns do not wait on each other's stores.
typedef float v8f __attribute__((vector_size(32)));
void block_product(const float* p, const float* c, float* y, std::size_t n) noexcept {
    v8f pv[8];
    for (int g = 0; g < 8; ++g) pv[g] = v8f{} + p[g];
    for (std::size_t t = 0; t < n; t += 8) {
        v8f acc, cv;
        __builtin_memcpy(&acc, y + t, sizeof acc);
        for (std::size_t g = 0; g < 8; ++g) {
            __builtin_memcpy(&cv, c + g * n + t, sizeof cv);
            acc += pv[g] * cv;
        }
        __builtin_memcpy(y + t, &acc, sizeof acc);
    }
}

// Prunes each row (entries under 1e-4 of its largest, ear weighting included) and stores the matrix
// by columns (see SmearingDesign).
void fill_columns(SmearingDesign& d, const std::vector<double>& dense, double fs, SoundField field, bool ear_weighting) {
    const std::size_t n = d.frame;
    std::vector<double> ear_sq(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double g = ear_weighting ? ear_filter_response(fs, field, false).gain(double(i) * fs / double(d.fft_size)) : 1.0;
        ear_sq[i] = g * g;
    }
    std::vector<std::size_t> row_lo(n), row_hi(n);
    std::vector<double> w(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const double* row = dense.data() + i * n;
        double peak = 0;
        for (std::size_t j = 0; j < n; ++j) peak = std::max(peak, std::abs(row[j] * ear_sq[j]));
        std::size_t lo = 0, hi = n;
        while (lo < n && std::abs(row[lo] * ear_sq[lo]) < 1e-4 * peak) ++lo;
        while (hi > lo && std::abs(row[hi - 1] * ear_sq[hi - 1]) < 1e-4 * peak) --hi;
        for (std::size_t j = lo; j < hi; ++j) w[i * n + j] = row[j] * ear_sq[j];
    }
    // Blocks of 8 columns share one row span (the union, whole vectors), stored column after column.
    const std::size_t nb = (n + 7) / 8;
    d.col_lo.resize(nb);
    d.col_len.resize(nb);
    d.col_off.resize(nb);
    for (std::size_t b = 0; b < nb; ++b) {
        std::size_t lo = n, hi = 0;
        for (std::size_t j = 8 * b; j < std::min(n, 8 * b + 8); ++j)
            for (std::size_t i = 0; i < n; ++i)
                if (w[i * n + j] != 0.0) lo = std::min(lo, i), hi = std::max(hi, i + 1);
        if (lo >= hi) lo = hi = 0;
        lo -= lo % 8;
        hi = lo + (hi - lo + 7) / 8 * 8;
        d.col_lo[b] = lo;
        d.col_len[b] = hi - lo;
        d.col_off[b] = d.col_data.size();
        for (std::size_t j = 8 * b; j < 8 * b + 8; ++j)
            for (std::size_t i = lo; i < hi; ++i)
                d.col_data.push_back(i < n && j < n ? static_cast<float>(w[i * n + j]) : 0.f);
    }
}

// Dense matrices and their power compensations by (rate, frame, r_l, r_u), most recently used first,
// at most kSmearingCacheEntries (512 KiB each at 44.1 kHz, 2.4 MiB at 96 kHz).
using Key = std::tuple<double, std::size_t, double, double>;
struct CacheEntry {
    Key key;
    std::shared_ptr<const std::vector<double>> dense;
    double compensation_db = 0;  // 0: not measured yet
};
struct Cache {
    std::mutex mutex;
    std::list<CacheEntry> entries;  // front: most recently used (a handful of entries: a linear search)
    const CacheEntry* find(const Key& k) {
        for (auto it = entries.begin(); it != entries.end(); ++it)
            if (it->key == k) {
                entries.splice(entries.begin(), entries, it);
                return &entries.front();
            }
        return nullptr;
    }
    void insert(const Key& k, std::shared_ptr<const std::vector<double>> dense, double comp_db) {
        for (auto it = entries.begin(); it != entries.end(); ++it)
            if (it->key == k) {
                it->dense = std::move(dense);
                if (comp_db != 0) it->compensation_db = comp_db;
                entries.splice(entries.begin(), entries, it);
                return;
            }
        entries.push_front({k, std::move(dense), comp_db});
        while (entries.size() > kSmearingCacheEntries) entries.pop_back();
    }
};
Cache& cache() {
    static Cache c;
    return c;
}

}  // namespace

std::size_t smearing_frame(double fs) noexcept {
    // hop ~ 64 samples at 44.1 kHz (1.45 ms), rounded to the nearest 2-3-5-smooth integer.
    const double target = 64.0 * fs / 44100.0;
    std::size_t best = 4;
    double best_err = 1e9;
    for (std::size_t h = 4; h < 4 * static_cast<std::size_t>(target) + 8; ++h) {
        std::size_t m = h;
        for (std::size_t p : {2, 3, 5})
            while (m % p == 0) m /= p;
        if (m != 1) continue;
        const double err = std::abs(double(h) - target);
        if (err < best_err) best_err = err, best = h;
    }
    return 4 * best;
}

std::vector<double> smearing_matrix(double fs, std::size_t n, double rl, double ru) {
    const Matrix normal = auditory_filters(fs, n, 1.0, 1.0);
    const Matrix wide = auditory_filters(fs, n, rl, ru);
    const std::size_t half = n / 2;
    Matrix ext(n, n + half);  // normal filters, extended past the top bin by their mirror image about i
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) ext(i, j) = normal(i, j);
    for (std::size_t i = half; i < n; ++i) {
        const std::size_t end = std::min(2 * i - 1, n + half);
        for (std::size_t k = n; k < end; ++k) {
            const std::ptrdiff_t src = std::ptrdiff_t(2 * i) - std::ptrdiff_t(k);
            if (src >= 1) ext(i, k) = normal(i, static_cast<std::size_t>(src));
        }
    }
    const Matrix x = min_norm_solve(ext, wide);  // (n + half) x n
    std::vector<double> m(n * n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) m[i * n + j] = x(i, j);
    return m;
}

SmearingDesign design_smearing(double fs, double rl, double ru, SoundField field, bool ear_weighting) {
    SmearingDesign d;
    d.sample_rate_hz = fs;
    d.frame = smearing_frame(fs);
    d.hop = d.frame / 4;
    d.fft_size = 2 * d.frame;
    const std::size_t n = d.frame;
    d.window.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        d.window[i] = static_cast<float>((0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * (double(i) + 0.5) / double(n))) /
                                         std::sqrt(1.5));

    // The least-squares solve is the expensive part (~0.1 s at 44.1 kHz), the power compensation next
    // (4 s of noise): both are cached per (rate, frame, r_l, r_u), least recently used first out beyond
    // kSmearingCacheEntries (continuous degrees give every listener its own r_l, r_u: an unbounded cache
    // grew with the listeners a process ever built). Both are deterministic: an evicted entry is rebuilt
    // bit for bit.
    const Key key{fs, n, rl, ru};
    std::shared_ptr<const std::vector<double>> dense;
    double comp_db = 0;
    {
        std::lock_guard lock(cache().mutex);
        if (const CacheEntry* e = cache().find(key)) dense = e->dense, comp_db = e->compensation_db;
    }
    if (!dense) {
        dense = std::make_shared<const std::vector<double>>(smearing_matrix(fs, n, rl, ru));
        std::lock_guard lock(cache().mutex);
        cache().insert(key, dense, comp_db);
    }
    fill_columns(d, *dense, fs, field, ear_weighting);
    // Overlap-adding frames whose magnitudes were changed under their old phases loses some power
    // (about 0.1-0.7 dB for broadband sound, more with more smearing). Measure that loss once per
    // matrix on white noise through the unweighted operation and compensate it, so that smearing
    // redistributes power without removing it.
    if (comp_db == 0) {
        auto plain = std::make_shared<SmearingDesign>(d);
        plain->col_lo.clear(), plain->col_len.clear(), plain->col_off.clear(), plain->col_data.clear();
        fill_columns(*plain, *dense, fs, field, false);
        SmearerChannel s;
        s.prepare(plain);
        Mt32 rng{12345u};
        std::normal_distribution<float> g(0.f, 0.1f);
        const std::size_t len = static_cast<std::size_t>(4.0 * fs);
        std::vector<float> x(len), y(len);
        for (auto& v : x) v = g(rng);
        s.process(x.data(), y.data(), len);
        double ex = 0, ey = 0;
        const std::size_t lat = s.latency_samples();
        for (std::size_t i = lat; i < len; ++i) ex += double(x[i - lat]) * x[i - lat], ey += double(y[i]) * y[i];
        comp_db = 10.0 * std::log10(ex / ey);
        std::lock_guard lock(cache().mutex);
        cache().insert(key, dense, comp_db);
    }
    d.power_compensation_db = comp_db;
    const float k = static_cast<float>(std::pow(10.0, comp_db / 10.0));
    for (float& v : d.col_data) v *= k;
    return d;
}

void SmearerChannel::prepare(std::shared_ptr<const SmearingDesign> design) {
    design_ = std::move(design);
    fft_ = std::make_unique<RealFft>(design_->fft_size);
    in_ring_.assign(design_->frame, 0.f);
    frame_buf_.assign(design_->fft_size, 0.f);
    ola_.assign(design_->frame, 0.f);
    out_fifo_.assign(design_->frame, 0.f);
    power_.assign((design_->frame + 7) / 8 * 8, 0.f);
    smeared_.assign(design_->frame + 8, 0.f);
    spectrum_.assign(design_->fft_size / 2 + 1, {});
    reset();
}

void SmearerChannel::reset() noexcept {
    std::fill(in_ring_.begin(), in_ring_.end(), 0.f);
    std::fill(ola_.begin(), ola_.end(), 0.f);
    std::fill(out_fifo_.begin(), out_fifo_.end(), 0.f);
    in_pos_ = 0;
    since_frame_ = 0;
    // hop - 1 zeros wait in the output FIFO: total latency frame - 1 (see header).
    out_read_ = 0;
    out_count_ = design_ ? design_->hop - 1 : 0;
}

void SmearerChannel::process(const float* in, float* out, std::size_t n) noexcept {
    const std::size_t frame = design_->frame, hop = design_->hop;
    const std::size_t cap = out_fifo_.size();
    for (std::size_t i = 0; i < n; ++i) {
        in_ring_[in_pos_] = in[i];
        in_pos_ = in_pos_ + 1 == frame ? 0 : in_pos_ + 1;
        if (++since_frame_ == hop) {
            since_frame_ = 0;
            process_frame();
            // The first hop of the overlap-add accumulator is complete: queue it, shift the rest.
            std::size_t w = (out_read_ + out_count_) % cap;
            for (std::size_t k = 0; k < hop; ++k) {
                out_fifo_[w] = ola_[k];
                w = w + 1 == cap ? 0 : w + 1;
            }
            out_count_ += hop;
            std::copy(ola_.begin() + std::ptrdiff_t(hop), ola_.end(), ola_.begin());
            std::fill(ola_.end() - std::ptrdiff_t(hop), ola_.end(), 0.f);
        }
        out[i] = out_fifo_[out_read_];
        out_read_ = out_read_ + 1 == cap ? 0 : out_read_ + 1;
        --out_count_;
    }
}

void SmearerChannel::process_frame() noexcept {
    const SmearingDesign& d = *design_;
    const std::size_t n = d.frame;
    // Oldest sample first: the ring's write position is the oldest (two contiguous runs).
    const std::size_t first = n - in_pos_;
    const float* __restrict win = d.window.data();
    float* __restrict fb = frame_buf_.data();
    const float* __restrict ring = in_ring_.data();
    for (std::size_t k = 0; k < first; ++k) fb[k] = ring[in_pos_ + k] * win[k];
    for (std::size_t k = first; k < n; ++k) fb[k] = ring[k - first] * win[k];
    std::fill(frame_buf_.begin() + std::ptrdiff_t(n), frame_buf_.end(), 0.f);
    fft_->forward(frame_buf_.data(), spectrum_.data());
    const float* __restrict sc = reinterpret_cast<const float*>(spectrum_.data());
    for (std::size_t k = 0; k < n; ++k) power_[k] = sc[2 * k] * sc[2 * k] + sc[2 * k + 1] * sc[2 * k + 1];
    std::fill(smeared_.begin(), smeared_.end(), 0.f);
    for (std::size_t b = 0; b < d.col_lo.size(); ++b)
        block_product(power_.data() + 8 * b, d.col_data.data() + d.col_off[b], smeared_.data() + d.col_lo[b],
                      d.col_len[b]);
    // New magnitude, old phase: scale = sqrt(smeared / power) (a bin with no power gets the smeared
    // magnitude at phase 0).
    float* __restrict sm = smeared_.data();
    const float* __restrict pw = power_.data();
    for (std::size_t k = 0; k < n; ++k) {
        const float p = pw[k], t = sm[k] > 0.f ? sm[k] : 0.f;
        sm[k] = std::sqrt(t / (p > 0.f ? p : 1.0f));
    }
    float* __restrict sp = reinterpret_cast<float*>(spectrum_.data());
    for (std::size_t k = 0; k < n; ++k) {
        const bool has = pw[k] > 0.f;
        sp[2 * k] = has ? sp[2 * k] * sm[k] : sm[k];
        sp[2 * k + 1] = has ? sp[2 * k + 1] * sm[k] : 0.f;
    }
    for (std::size_t k = n; k < spectrum_.size(); ++k) spectrum_[k] = 0.f;
    fft_->inverse(spectrum_.data(), frame_buf_.data());
    const float scale = 1.0f / static_cast<float>(d.fft_size);
    float* __restrict ola = ola_.data();
    for (std::size_t k = 0; k < n; ++k) ola[k] += fb[k] * win[k] * scale;
}

// The multichannel stage: one SmearerChannel per channel, all on the same design.
Smearer::Smearer(std::shared_ptr<const SmearingDesign> design) : design_(std::move(design)) {
    if (!design_) throw ConfigError("smearing: no design");
}
Smearer::Smearer(Smearer&&) noexcept = default;
Smearer& Smearer::operator=(Smearer&&) noexcept = default;
Smearer::~Smearer() = default;

void Smearer::prepare(const ProcessSpec& spec) {
    if (spec.sample_rate_hz != design_->sample_rate_hz)
        throw ConfigError(fmt::format("sample_rate_hz: {} differs from the smearing design's {} Hz", spec.sample_rate_hz,
                                      design_->sample_rate_hz));
    channels_.clear();
    for (std::size_t c = 0; c < spec.num_channels; ++c) {
        channels_.push_back(std::make_unique<SmearerChannel>());
        channels_.back()->prepare(design_);
    }
}

void Smearer::reset() noexcept {
    for (auto& ch : channels_) ch->reset();
}

void Smearer::process(AudioView<const float> in, AudioView<float> out) noexcept {
    for (std::size_t c = 0; c < channels_.size() && c < in.num_channels(); ++c)
        channels_[c]->process(in.channel(c), out.channel(c), in.num_frames());
}

std::size_t smearing_cache_entries() noexcept {
    std::lock_guard lock(cache().mutex);
    return cache().entries.size();
}

}  // namespace earshot
