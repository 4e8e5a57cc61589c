#include "earshot/io/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <system_error>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/dsp/limiter.hpp"
#include "earshot/hearing/active_level.hpp"
#include "earshot/hearing/listener_processor.hpp"
#include "earshot/scene/scene_player.hpp"

namespace earshot {
namespace fs = std::filesystem;

namespace {

// Planar scratch buffers for one stream: num_channels x block_frames, allocated once.
struct PlanarBuffer {
    std::vector<float> data;
    std::vector<float*> ptrs;
    std::size_t frames = 0;
    PlanarBuffer(std::size_t channels, std::size_t block) : data(channels * block), ptrs(channels), frames(block) {
        for (std::size_t c = 0; c < channels; ++c) ptrs[c] = data.data() + c * block;
    }
    AudioView<float> view(std::size_t n) { return {ptrs.data(), ptrs.size(), n}; }
    AudioView<const float> cview(std::size_t n) const { return {ptrs.data(), ptrs.size(), n}; }
    AudioView<const float> cview_from(std::size_t offset, std::size_t n, std::vector<const float*>& tmp) const {
        for (std::size_t c = 0; c < ptrs.size(); ++c) tmp[c] = ptrs[c] + offset;
        return {tmp.data(), tmp.size(), n};
    }
    void zero() { std::fill(data.begin(), data.end(), 0.0f); }
};

void check_options(const RenderOptions& o) {
    if (o.level_db_spl) params::level_db_spl.check(*o.level_db_spl);
    else params::full_scale_db_spl.check(o.full_scale_db_spl);
    if (o.limit_dbfs) params::limit_dbfs.check(*o.limit_dbfs);
    if (o.block_frames == 0 || o.block_frames > (1u << 20))
        throw ConfigError(fmt::format("block_frames: {} is out of range [1, 1048576] frames", o.block_frames));
}

}  // namespace

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec)) {
        const bool eq = fs::equivalent(a, b, ec);
        if (!ec) return eq;
    }
    std::error_code ea, eb;
    const fs::path ca = fs::weakly_canonical(fs::absolute(a, ea), ea);
    const fs::path cb = fs::weakly_canonical(fs::absolute(b, eb), eb);
    return !ea && !eb && ca == cb;
}

RenderReport render_file(const fs::path& in, const fs::path& out, const RenderOptions& options,
                         const std::function<void(double)>& progress) {
    check_options(options);
    const AudioFormat format = options.format ? *options.format : audio_format_for_path(out);
    if (same_file(in, out))
        throw IoError(fmt::format("{}: is the input file {}; refusing to overwrite an input", out.string(), in.string()));

    AudioReader reader(in);
    const AudioInfo info = reader.info();
    const std::size_t nch_in = info.num_channels;
    const std::size_t nch = options.mono_to_both_ears && nch_in == 1 ? 2 : nch_in;
    const std::size_t block = options.block_frames;
    if (info.sample_rate_hz < params::sample_rate_hz.min_value || info.sample_rate_hz > params::sample_rate_hz.max_value)
        throw IoError(fmt::format("{}: sample rate {} Hz is out of range [{}, {}] Hz (the model's range)", in.string(),
                                  info.sample_rate_hz, params::sample_rate_hz.min_value,
                                  params::sample_rate_hz.max_value));

    RenderReport report;
    report.sample_rate_hz = info.sample_rate_hz;
    report.num_channels = nch;
    report.format = format;

    // Progress counts frames, the metering pass weighted by its (small) cost relative to the model.
    constexpr double kMeterWeight = 0.05;
    const double expected = std::max<double>(1.0, static_cast<double>(info.num_frames)) *
                            (1.0 + (options.level_db_spl ? kMeterWeight : 0.0));
    double done = 0;
    auto tick = [&](std::size_t frames, double weight = 1.0) {
        done += weight * static_cast<double>(frames);
        if (progress) progress(std::min(1.0, done / expected));
    };

    PlanarBuffer buf(nch, block);

    // Calibration. Pass 1 (present at L dB SPL) reads the file once more through its own reader.
    Calibration calibration{options.full_scale_db_spl};
    if (options.level_db_spl) {
        AudioReader meter_reader(in);
        ActiveLevelMeter meter(info.sample_rate_hz);
        double sum_sq = 0, count = 0;
        for (;;) {
            const std::size_t n = meter_reader.read(AudioView<float>(buf.ptrs.data(), nch_in, block));
            if (n == 0) break;
            const AudioView<const float> v(buf.ptrs.data(), nch_in, n);
            meter.add(v);
            for (std::size_t c = 0; c < nch_in; ++c)
                for (std::size_t i = 0; i < n; ++i) sum_sq += double(v.channel(c)[i]) * v.channel(c)[i];
            count += double(n * nch_in);
            tick(n, kMeterWeight);
        }
        const double active = options.level_measure == LevelMeasure::rms
                                  ? (sum_sq > 0 ? 10.0 * std::log10(sum_sq / count) + 3.0102999566398121
                                                : -std::numeric_limits<double>::infinity())
                                  : meter.active_level_dbfs();
        if (!std::isfinite(active))
            throw Error(fmt::format("{}: cannot set the level of a silent file ({} needs signal; use {} instead)",
                                    in.string(), params::level_db_spl.flag(), params::full_scale_db_spl.flag()));
        report.active_level_dbfs = active;
        calibration = Calibration{full_scale_for_level(*options.level_db_spl, active, in.string())};
    }
    report.calibration = calibration;

    const ProcessSpec spec{info.sample_rate_hz, block, nch};
    // The chain's model: a listener, or a scene (with its body bus).
    std::optional<ListenerProcessor> listener_model;
    std::optional<ScenePlayer> scene_model;
    std::optional<AudioReader> body_reader;
    if (options.scene) {
        scene_model.emplace(ScenePlayerConfig{*options.scene, calibration, options.hearing});
        scene_model->prepare(spec);
        for (const auto& w : scene_model->notes()) report.warnings.push_back(w);
        if (options.body) {
            if (same_file(*options.body, out))
                throw IoError(fmt::format("{}: is the body input; refusing to overwrite an input", out.string()));
            body_reader.emplace(*options.body);
            const AudioInfo bi = body_reader->info();
            if (bi.sample_rate_hz != info.sample_rate_hz)
                throw IoError(fmt::format("{}: sample rate {} Hz differs from the input's {} Hz (resample the body bus)",
                                          options.body->string(), bi.sample_rate_hz, info.sample_rate_hz));
            if (bi.num_channels != 1 && bi.num_channels != nch)
                throw IoError(fmt::format("{}: {} channels; the body bus needs 1 or {} (the output's)", options.body->string(),
                                          bi.num_channels, nch));
        }
    } else {
        listener_model.emplace(HearingLossConfig{options.listener, calibration, options.hearing});
        listener_model->prepare(spec);
        for (const auto& w : listener_model->warnings()) report.warnings.push_back(w);
    }
    const std::size_t model_latency = scene_model ? scene_model->latency_samples() : listener_model->latency_samples();
    PlanarBuffer body_buf(body_reader ? body_reader->info().num_channels : 1, block);
    PlanarBuffer inside_buf(nch, block);  // a scene's inside bus alone (before the POV mix), for figures
    std::vector<float> outside_mix, inside_mix;
    std::optional<Limiter> limiter;
    if (options.limit_dbfs) {
        limiter.emplace(LimiterConfig{*options.limit_dbfs});
        limiter->prepare(spec);
    }
    const std::size_t latency = model_latency + (limiter ? limiter->latency_samples() : 0);
    report.latency_samples = latency;

    // Created only now, so that every earlier failure leaves nothing on disk.
    AudioWriter writer(out, format, info.sample_rate_hz, nch);

    PlanarBuffer work(nch, block);
    std::vector<const float*> offset_ptrs(nch);
    std::uint64_t to_skip = latency;  // chain output frames still to drop (the latency)
    std::uint64_t frames_in = 0;      // input frames read
    std::uint64_t frames_out = 0;     // frames written

    // Runs one block through the chain and writes what belongs to the output (at most `limit` frames).
    auto run_block = [&](std::size_t n, std::uint64_t limit) {
        if (scene_model) {
            std::size_t got = 0;
            if (body_reader) {
                got = body_reader->read(body_buf.view(n));
                for (std::size_t c = 0; c < body_buf.ptrs.size(); ++c) std::fill(body_buf.ptrs[c] + got, body_buf.ptrs[c] + n, 0.f);
            }
            const AudioView<const float> bv = body_buf.cview(n);
            const AudioView<float> iv = inside_buf.view(n);
            scene_model->process(buf.cview(n), body_reader ? &bv : nullptr, work.view(n), options.on_finished ? &iv : nullptr);
        } else {
            listener_model->process(buf.cview(n), work.view(n));
        }
        if (limiter) limiter->process(work.cview(n), work.view(n));
        std::size_t skip = static_cast<std::size_t>(std::min<std::uint64_t>(to_skip, n));
        to_skip -= skip;
        const std::size_t avail = n - skip;
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(avail, limit));
        if (take > 0) {
            writer.write(work.cview_from(skip, take, offset_ptrs));
            if (options.on_finished)
                for (std::size_t i = 0; i < take; ++i) {
                    float v = 0;
                    for (std::size_t c = 0; c < nch; ++c) v += (scene_model ? inside_buf : work).ptrs[c][skip + i];
                    inside_mix.push_back(v / float(nch));
                }
            frames_out += take;
        }
    };

    for (;;) {
        const std::size_t n = reader.read(AudioView<float>(buf.ptrs.data(), nch_in, block));
        if (n == 0) break;
        for (std::size_t c = nch_in; c < nch; ++c) std::copy(buf.ptrs[0], buf.ptrs[0] + n, buf.ptrs[c]);
        if (options.on_finished)
            for (std::size_t i = 0; i < n; ++i) {
                float v = 0;
                for (std::size_t c = 0; c < nch; ++c) v += buf.ptrs[c][i];
                outside_mix.push_back(v / float(nch));
            }
        frames_in += n;
        run_block(n, frames_in - frames_out);  // never more than has been read (the latency lags behind)
        tick(n);
    }
    // Tail: feed zeros until the delayed output has caught up with the input length.
    buf.zero();
    while (frames_out < frames_in) {
        const std::uint64_t need = (frames_in - frames_out) + to_skip;
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(block, need));
        run_block(n, frames_in - frames_out);
    }
    writer.commit();
    if (options.on_finished) options.on_finished(outside_mix, inside_mix, info.sample_rate_hz);
    if (progress) progress(1.0);

    report.frames = frames_out;
    report.seconds = static_cast<double>(frames_out) / info.sample_rate_hz;
    report.nan_count = reader.nonfinite_count();
    if (report.nan_count > 0)
        report.warnings.push_back(fmt::format("{}: {} non-finite samples (NaN/Inf) replaced by 0", in.string(),
                                              report.nan_count));
    if (frames_in < info.num_frames)
        report.warnings.push_back(fmt::format("{}: truncated file: {} of {} frames could be read", in.string(),
                                              frames_in, info.num_frames));
    if (limiter && limiter->max_gain_reduction_db() < -0.01)
        report.warnings.push_back(fmt::format("{}: limiter reduced the output by up to {:.1f} dB (ceiling {} dBFS)",
                                              out.string(), -limiter->max_gain_reduction_db(), *options.limit_dbfs));
    return report;
}

}  // namespace earshot
