#include "earshot/analysis/reference_compare.hpp"

#include <algorithm>
#include <cmath>

#include "earshot/analysis/band_analysis.hpp"

namespace earshot {

ReferenceComparison compare_renders(std::span<const float> ref, std::span<const float> cand, double fs,
                                    std::size_t max_lag) {
    ReferenceComparison r;
    r.lag_samples = align_lag(ref, cand, fs, max_lag);
    // Overlapping, aligned segments.
    const long lag = r.lag_samples;
    const std::size_t r0 = lag < 0 ? std::size_t(-lag) : 0, c0 = lag > 0 ? std::size_t(lag) : 0;
    const std::size_t n = std::min(ref.size() - std::min(ref.size(), r0), cand.size() - std::min(cand.size(), c0));
    const std::span<const float> a = ref.subspan(r0, n), b = cand.subspan(c0, n);

    r.third_octave_hz = third_octave_centres_hz(125.0, 8000.0);
    r.reference_db = band_levels_db(a, fs, r.third_octave_hz, 3.0);
    r.candidate_db = band_levels_db(b, fs, r.third_octave_hz, 3.0);
    const double top = *std::max_element(r.reference_db.begin(), r.reference_db.end());
    double sum = 0;
    int used = 0;
    for (std::size_t k = 0; k < r.reference_db.size(); ++k) {
        const bool u = r.reference_db[k] >= top - 60.0;
        r.band_used.push_back(u);
        if (!u) continue;
        const double d = std::abs(r.candidate_db[k] - r.reference_db[k]);
        sum += d;
        ++used;
        r.max_abs_delta_db = std::max(r.max_abs_delta_db, d);
    }
    r.mean_abs_delta_db = used ? sum / used : 0.0;

    // Envelopes band by band: each octave band's own lag, searched within +-10 ms (one frame) of the
    // broadband one in 0.5 ms steps. The reference (MSBG) is not linear phase: its bands' envelopes lead or
    // trail one another by a few ms, so one broadband lag (set by the loudest band) misaligns the other
    // bands' 10 ms frames.
    const std::size_t margin = static_cast<std::size_t>(std::lround(0.010 * fs));
    const std::size_t step = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(0.0005 * fs)));
    std::vector<std::size_t> offsets;
    for (std::size_t o = 0; o <= 2 * margin; o += step) offsets.push_back(o);
    for (double fc : {250.0, 500.0, 1000.0, 2000.0, 4000.0}) {
        r.octave_hz.push_back(fc);
        if (n <= 2 * margin) {
            r.envelope_r.push_back(0.0), r.envelope_lag_samples.push_back(lag);
            continue;
        }
        const std::size_t len = n - 2 * margin;
        const auto ea = band_envelope_db(a.subspan(margin, len), fs, fc, 1.0, 0.01, 50.0);
        const auto ebs = band_envelopes_db(b, fs, fc, 1.0, 0.01, 50.0, offsets, len);
        double best = -2.0;
        long best_d = 0;
        for (std::size_t i = 0; i < offsets.size(); ++i) {
            const double p = pearson(ea, ebs[i]);
            if (p > best) best = p, best_d = long(offsets[i]) - long(margin);
        }
        r.envelope_r.push_back(best);
        r.envelope_lag_samples.push_back(lag + best_d);
    }
    std::vector<double> s = r.envelope_r;
    std::sort(s.begin(), s.end());
    r.median_envelope_r = s[s.size() / 2];
    return r;
}

}  // namespace earshot
