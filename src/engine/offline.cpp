#include "earshot/engine/offline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"

namespace earshot {

OfflineResult render_offline(const Description& description, const std::vector<std::vector<float>>& in,
                             double sample_rate_hz, const std::vector<std::vector<float>>& body,
                             std::size_t block_frames) {
    params::sample_rate_hz.check(sample_rate_hz, "sample_rate_hz");
    if (in.empty() || in.size() > 2) throw ConfigError(fmt::format("in: {} channels; 1 or 2 accepted", in.size()));
    const std::size_t frames = in.front().size();
    for (const auto& ch : in)
        if (ch.size() != frames) throw ConfigError("in: the channels differ in length; give planar channels of one length");
    if (block_frames < 1 || block_frames > (1u << 20))
        throw ConfigError(fmt::format("block_frames: {} is out of range [1, 1048576] frames", block_frames));
    const Composition comp = compose(description);
    const bool both = in.size() == 1 && !description.ear && (comp.mono_to_both_ears || comp.ears_differ);
    const std::size_t nc = both ? 2 : in.size();
    auto input = [&](std::size_t c) -> const std::vector<float>& { return in[std::min(c, in.size() - 1)]; };
    if (!body.empty() && body.size() != 1 && body.size() != nc)
        throw ConfigError(fmt::format("body: {} channels; 1 or {} (the output's) accepted", body.size(), nc));

    OfflineResult result;
    Description d = description;
    if (d.calibration.present_at_db_spl && !d.calibration.measured_level_dbfs) {
        LevelMeter meter(sample_rate_hz, d.calibration.measure);
        std::vector<const float*> p(nc);
        for (std::size_t c = 0; c < nc; ++c) p[c] = input(c).data();
        meter.add(AudioView<const float>(p.data(), nc, frames));
        const double level = meter.level_dbfs();
        if (!std::isfinite(level))
            throw ConfigError(fmt::format("in: no signal: cannot set its level ({} needs signal; use {} instead)",
                                          params::level_db_spl.flag(), params::full_scale_db_spl.flag()));
        d.calibration.measured_level_dbfs = level;
        result.measured_level_dbfs = level;
    }
    Engine engine(d);
    engine.prepare({sample_rate_hz, block_frames, nc});
    result.calibration = resolve_calibration(d.calibration, "input");
    result.latency_samples = engine.latency_samples();
    result.warnings = engine.warnings();

    const std::size_t latency = engine.latency_samples();
    std::vector<std::vector<float>> work(nc, std::vector<float>(block_frames)), bwork;
    std::vector<float*> wp(nc), bp;
    for (std::size_t c = 0; c < nc; ++c) wp[c] = work[c].data();
    if (!body.empty()) {
        bwork.assign(body.size(), std::vector<float>(block_frames));
        for (auto& b : bwork) bp.push_back(b.data());
    }
    result.channels.assign(nc, std::vector<float>(frames));
    std::size_t fed = 0, written = 0, skip = latency;
    while (written < frames) {
        const std::size_t n = std::min(block_frames, std::max<std::size_t>(1, frames + latency - fed));
        for (std::size_t c = 0; c < nc; ++c)
            for (std::size_t i = 0; i < n; ++i) work[c][i] = fed + i < frames ? input(c)[fed + i] : 0.f;
        AudioView<const float> bv;
        if (!body.empty()) {
            for (std::size_t c = 0; c < body.size(); ++c)
                for (std::size_t i = 0; i < n; ++i) bwork[c][i] = fed + i < body[c].size() ? body[c][fed + i] : 0.f;
            bv = AudioView<const float>(bp.data(), bp.size(), n);
            engine.set_body(&bv);
        }
        engine.maintain();
        engine.process(AudioView<const float>(wp.data(), nc, n), AudioView<float>(wp.data(), nc, n));
        fed += n;
        const std::size_t s = std::min(skip, n);
        skip -= s;
        const std::size_t take = std::min(n - s, frames - written);
        for (std::size_t c = 0; c < nc; ++c) std::copy(work[c].begin() + long(s), work[c].begin() + long(s + take),
                                                       result.channels[c].begin() + long(written));
        written += take;
    }
    return result;
}

}  // namespace earshot
