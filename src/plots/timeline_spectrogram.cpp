// The scene timeline's spectrogram panels (timeline_parts.hpp; the STFT in plots/plot_timeline.hpp).
#include <cairo-svg.h>
#include <cairo.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "earshot/core/error.hpp"
#include "earshot/dsp/fft.hpp"
#include "earshot/implant/implant_params.hpp"
#include "timeline_parts.hpp"

namespace earshot::detail::timeline {

// Levels (dBFS per bin; -inf for silence) of one panel, row-major (rows top to bottom, one column per
// pixel); NaN where the column lies beyond the audio.
std::vector<float> spectrogram(const std::vector<float>& x, double rate, const TimelineFrame& fr, int cols, int rows) {
    const std::size_t N = fr.fft_size, bins = N / 2 + 1;
    RealFft fft(N);
    std::vector<float> win(N), frame(N), power(bins), db(bins);
    std::vector<std::complex<float>> spec(bins);
    double wsum = 0;
    for (std::size_t n = 0; n < N; ++n) {
        win[n] = float(0.5 - 0.5 * std::cos(2 * M_PI * double(n) / double(N)));
        wsum += win[n];
    }
    const double norm_db = -20 * std::log10(wsum / 2);  // a full-scale sine's bin reads 0 dB

    // Per pixel row: the bins it covers (loudest of them), or the fractional bin to interpolate at.
    struct RowMap {
        long b0, b1;
        double frac_bin;
    };
    std::vector<RowMap> map(static_cast<std::size_t>(rows));
    const double ratio = std::log(fr.f_hi_hz / fr.f_lo_hz), bin_hz = rate / double(N);
    for (int r = 0; r < rows; ++r) {
        auto f_at = [&](double from_bottom) { return fr.f_lo_hz * std::exp(ratio * from_bottom / rows); };
        const double lo = f_at(rows - r - 1) / bin_hz, hi = f_at(rows - r) / bin_hz, mid = f_at(rows - r - 0.5) / bin_hz;
        RowMap rm{long(std::ceil(lo)), long(std::floor(hi)), std::min(mid, double(bins - 1))};
        if (rm.b1 - rm.b0 < 1) rm.b0 = rm.b1 = -1;
        rm.b1 = std::min<long>(rm.b1, long(bins) - 1);
        map[std::size_t(r)] = rm;
    }

    std::vector<float> out(std::size_t(rows) * std::size_t(cols));
    const long len = long(x.size());
    const double dt = (fr.t1_s - fr.t0_s) / cols, col_samples = dt * rate;
    const int per_col = std::max(1, int(std::ceil(col_samples / (double(N) / 2))));
    for (int c = 0; c < cols; ++c) {
        const double tc0 = fr.t0_s + c * dt;
        if (tc0 * rate >= double(len)) {
            for (int r = 0; r < rows; ++r) out[std::size_t(r) * std::size_t(cols) + std::size_t(c)] = std::nanf("");
            continue;
        }
        std::fill(power.begin(), power.end(), 0.0f);
        for (int j = 0; j < per_col; ++j) {
            const long centre = long(std::llround((tc0 + dt * (j + 0.5) / per_col) * rate));
            const long start = centre - long(N / 2);
            for (std::size_t n = 0; n < N; ++n) {
                const long i = start + long(n);
                frame[n] = i >= 0 && i < len ? x[std::size_t(i)] * win[n] : 0.0f;
            }
            fft.forward(frame.data(), spec.data());
            for (std::size_t k = 0; k < bins; ++k) power[k] += std::norm(spec[k]);
        }
        const float inv = 1.0f / float(per_col);
        for (std::size_t k = 0; k < bins; ++k) {
            const float p = power[k] * inv;
            db[k] = p > 0 ? float(10 * std::log10(double(p)) + norm_db) : -std::numeric_limits<float>::infinity();
        }
        for (int r = 0; r < rows; ++r) {
            const RowMap& rm = map[std::size_t(r)];
            float v;
            if (rm.b0 >= 0) {
                v = db[std::size_t(rm.b0)];
                for (long k = rm.b0 + 1; k <= rm.b1; ++k) v = std::max(v, db[std::size_t(k)]);
            } else {
                const std::size_t k = std::min(std::size_t(rm.frac_bin), bins - 2);
                const double f = rm.frac_bin - double(k);
                const float a = db[k], b = db[k + 1];
                v = std::isinf(a) || std::isinf(b) ? (f < 0.5 ? a : b) : float(a + f * (b - a));
            }
            out[std::size_t(r) * std::size_t(cols) + std::size_t(c)] = v;
        }
    }
    return out;
}

void draw_image(cairo_t* cr, const std::vector<float>& levels, int cols, int rows, double x0, double y0, double top_db,
                double range_db) {
    std::array<std::uint32_t, 256> lut;
    for (int i = 0; i < 256; ++i) {
        const Rgb c = magma(i / 255.0);
        lut[std::size_t(i)] = 0xFF000000u | (std::uint32_t(std::lround(c.r * 255)) << 16) |
                              (std::uint32_t(std::lround(c.g * 255)) << 8) | std::uint32_t(std::lround(c.b * 255));
    }
    const std::uint32_t no_data = 0xFFDDDDE2u;
    cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cols, rows);
    cairo_surface_flush(img);
    unsigned char* data = cairo_image_surface_get_data(img);
    const int stride = cairo_image_surface_get_stride(img);
    for (int r = 0; r < rows; ++r) {
        auto* px = reinterpret_cast<std::uint32_t*>(data + std::ptrdiff_t(r) * stride);
        const float* v = &levels[std::size_t(r) * std::size_t(cols)];
        for (int c = 0; c < cols; ++c) {
            if (std::isnan(v[c])) {
                px[c] = no_data;
                continue;
            }
            const double u = (double(v[c]) - (top_db - range_db)) / range_db;  // -inf -> 0
            // clamped as a double: converting -inf (silence) to int is undefined
            px[c] = lut[std::size_t(std::clamp(u * 255 + 0.5, 0.0, 255.0))];
        }
    }
    cairo_surface_mark_dirty(img);
    cairo_save(cr);
    cairo_set_source_surface(cr, img, x0, y0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, x0, y0, cols, rows);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

}  // namespace earshot::detail::timeline
