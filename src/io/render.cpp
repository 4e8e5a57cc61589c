#include "earshot/io/render.hpp"

#include <fmt/format.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <numeric>
#include <system_error>

#include "earshot/core/db.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/core/param.hpp"
#include "earshot/dsp/delay_line.hpp"
#include "earshot/dsp/downmix.hpp"
#include "earshot/dsp/input_guard.hpp"
#include "earshot/dsp/limiter.hpp"
#include "earshot/dsp/resampler.hpp"
#include "earshot/hearing/active_level.hpp"
#include "earshot/hearing/hearing_aid.hpp"
#include "earshot/engine/engine.hpp"
#include "earshot/engine/model_cache.hpp"

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

Composition check_options(const RenderOptions& o) {
    Composition c = compose(o.description);
    params::block_frames.check(double(o.block_frames), "block_frames");
    return c;
}


Speaker speaker_of(int sf_map) noexcept {
    switch (sf_map) {
        case SF_CHANNEL_MAP_LEFT:
        case SF_CHANNEL_MAP_FRONT_LEFT: return Speaker::left;
        case SF_CHANNEL_MAP_RIGHT:
        case SF_CHANNEL_MAP_FRONT_RIGHT: return Speaker::right;
        case SF_CHANNEL_MAP_MONO:
        case SF_CHANNEL_MAP_CENTER:
        case SF_CHANNEL_MAP_FRONT_CENTER: return Speaker::centre;
        case SF_CHANNEL_MAP_LFE: return Speaker::lfe;
        case SF_CHANNEL_MAP_REAR_LEFT: return Speaker::surround_left;
        case SF_CHANNEL_MAP_REAR_RIGHT: return Speaker::surround_right;
        case SF_CHANNEL_MAP_SIDE_LEFT: return Speaker::side_left;
        case SF_CHANNEL_MAP_SIDE_RIGHT: return Speaker::side_right;
        default: return Speaker::other;
    }
}

// Streaming resampling of every channel of a stream through identical resamplers (equal output counts),
// with an optional whole-sample delay before it (at the input side's rate).
struct MultiResampler {
    std::vector<Resampler> r;
    std::vector<DelayLine> delay;
    void prepare(std::size_t channels, double from, double to, std::size_t max_in, std::size_t delay_samples = 0) {
        r.assign(channels, {});
        delay.assign(channels, {});
        for (auto& x : r) x.prepare(from, to, max_in);
        for (auto& d : delay) d.prepare(delay_samples);
    }
    std::size_t process(const AudioView<float>& in, std::size_t n, const std::vector<float*>& out) {
        std::size_t m = 0;
        for (std::size_t c = 0; c < r.size(); ++c) {
            delay[c].process(in.channel(c), n);
            m = r[c].process(in.channel(c), n, out[c]);
        }
        return m;
    }
};

// The route is the identity (each output channel is its input channel, as it is).
bool is_identity(const ChannelRoute& route) {
    const std::size_t nch = route.out_channels, nch_in = route.in_channels;
    if (nch != nch_in) return false;
    for (std::size_t o = 0; o < nch; ++o)
        for (std::size_t i = 0; i < nch_in; ++i)
            if (route.gains[o * nch_in + i] != (o == i ? 1.0 : 0.0)) return false;
    return true;
}

// n frames of raw (the file's channels) routed to buf (the ears' channels): out = gains x in.
void apply_route(const ChannelRoute& route, bool identity, const PlanarBuffer& raw, PlanarBuffer& buf, std::size_t n) {
    const std::size_t nch = route.out_channels, nch_in = route.in_channels;
    for (std::size_t o = 0; o < nch; ++o) {
        float* y = buf.ptrs[o];
        if (identity) {
            std::copy(raw.ptrs[o], raw.ptrs[o] + n, y);
            continue;
        }
        std::fill(y, y + n, 0.0f);
        for (std::size_t i = 0; i < nch_in; ++i) {
            const float g = float(route.gains[o * nch_in + i]);
            if (g == 0.0f) continue;
            const float* x = raw.ptrs[i];
            for (std::size_t k = 0; k < n; ++k) y[k] += g * x[k];
        }
    }
}

// Pass 1 of a render presented at a level: the input read once more through its own source and routed (the
// level of what the ears receive), metered by `measure` (dBFS re a full-scale sine). IoError for no signal.
double measure_level(const AudioSource& source, const fs::path& in, double fs, LevelMeasure measure,
                     const ChannelRoute& route, bool identity, PlanarBuffer& raw, PlanarBuffer& buf,
                     const std::function<void(std::size_t)>& tick) {
    const std::unique_ptr<AudioSource> meter_source = source.reopen();
    AudioSource& meter_reader = *meter_source;
    LevelMeter meter(fs, measure);
    for (;;) {
        const std::size_t n = meter_reader.read(raw.view(raw.frames));
        if (n == 0) break;
        apply_route(route, identity, raw, buf, n);
        meter.add(buf.cview(n));
        tick(n);
    }
    const double active = meter.level_dbfs();
    if (!std::isfinite(active))
        throw Error(no_signal_message(in, meter_reader.nonfinite_count(),
                                      fmt::format("cannot set its level: {} needs signal; use {} instead",
                                                  params::level_db_spl.flag(), params::full_scale_db_spl.flag())));
    return active;
}

// What the render did, for its end-of-render warnings (add_end_warnings).
struct EndOfRender {
    const fs::path& in;
    const std::string& out;  // the output's name in messages
    const AudioInfo& info;
    const Composition& comp;
    AudioFormat format;
    std::uint64_t frames_in, body_frames, clamped_in, nonfinite_out;
    float peak_out;
    const Limiter* limiter;
    std::optional<std::uint64_t> body_file_frames;  // the body bus's own length, when there is one
    const std::string& body;  // the body bus's name in messages
};

// One line each: replaced and clamped samples, a truncated input, clipping, the limiter's work, an aided output
// above full scale, and a scene or body bus whose length differs from the input's.
void add_end_warnings(RenderReport& r, const EndOfRender& e) {
    if (r.nan_count > 0)
        r.warnings.push_back(fmt::format("{}: {} non-finite samples (NaN/Inf) replaced by 0", e.in.string(),
                                         r.nan_count));
    // A header that claims more than the file holds: libsndfile reports FLAC's claim in num_frames and a WAV's
    // in claimed_frames (it gives the held length there); either way one warning.
    if (const std::uint64_t claimed = std::max<std::uint64_t>(e.info.num_frames, e.info.claimed_frames); e.frames_in < claimed)
        r.warnings.push_back(fmt::format("{}: truncated file: the header claims {} frames ({:.2f} s) but the file "
                                         "holds {} ({:.2f} s); rendered what it holds",
                                         e.in.string(), claimed, double(claimed) / e.info.sample_rate_hz, e.frames_in,
                                         double(e.frames_in) / e.info.sample_rate_hz));
    if (r.clipped_samples > 0)
        r.warnings.push_back(fmt::format("{}: {} samples above full scale (peak {:+.1f} dBFS) clipped in {}; use "
                                         "--limit-dbfs (e.g. -1) or a float format (wav32)",
                                         e.out, r.clipped_samples, r.peak_dbfs,
                                         audio_format_name(e.format)));
    if (e.limiter && e.limiter->max_gain_reduction_db() < -0.01)
        r.warnings.push_back(fmt::format("{}: limiter reduced the output by up to {:.1f} dB (ceiling {} dBFS)",
                                         e.out, -e.limiter->max_gain_reduction_db(), *e.comp.limit_dbfs));
    if (e.clamped_in > 0)
        r.warnings.push_back(fmt::format("{}: {} samples beyond +-{:g} (+80 dBFS) clamped at the model's input "
                                         "(a level no ear hears; check the file's scale)", e.in.string(), e.clamped_in,
                                         double(kInputGuardLimit)));
    if (e.nonfinite_out > 0)
        r.warnings.push_back(fmt::format("{}: {} non-finite output samples (NaN/Inf) replaced by 0", e.out,
                                         e.nonfinite_out));
    auto has_aid = [](const Listener& l) { return l.left_device.hearing_aid || l.right_device.hearing_aid; };
    bool aided = !e.comp.scene && has_aid(e.comp.listener);
    if (e.comp.scene)
        for (const auto& k : e.comp.scene->keyframes) aided = aided || has_aid(k.listener);
    if (aided && e.peak_out > 1.0f)
        r.warnings.push_back(fmt::format("{}: the hearing aid (NAL-R, gain capped at {:g} dB) drives the output to "
                                         "{:+.1f} dBFS, above full scale (16/24-bit outputs clip: lower the input, "
                                         "or use {})", e.out, kNalRMaxGainDb, r.peak_dbfs,
                                         params::limit_dbfs.flag()));
    if (e.comp.scene) {
        const Scene& sc = *e.comp.scene;
        const double fs = e.info.sample_rate_hz;
        const double len = double(e.frames_in) / fs;
        const double scene_end = std::max(sc.duration_s.value_or(0.0), sc.last_time_s());
        if (scene_end > len + 0.5 / fs)
            r.warnings.push_back(fmt::format("{}: the scene runs to {:.2f} s but the input {} ends at {:.2f} s: the "
                                             "part beyond is not heard", sc.file, scene_end, e.in.string(), len));
        if (e.body_file_frames) {
            const std::uint64_t body_total = std::max<std::uint64_t>(e.body_frames, *e.body_file_frames);
            if (body_total < e.frames_in)
                r.warnings.push_back(fmt::format("{}: the body bus ({:.2f} s) is shorter than the input ({:.2f} s): "
                                                 "silence after its end", e.body,
                                                 double(body_total) / fs, len));
            else if (body_total > e.frames_in)
                r.warnings.push_back(fmt::format("{}: the body bus ({:.2f} s) is longer than the input ({:.2f} s): "
                                                 "truncated at the input's end", e.body,
                                                 double(body_total) / fs, len));
        }
    }
}

}  // namespace

ChannelRoute route_channels(const AudioInfo& info, const std::filesystem::path& in, const Composition& options) {
    ChannelRoute r;
    const std::size_t n = info.num_channels;
    r.in_channels = n;
    auto identity = [&](std::size_t out) {
        r.out_channels = out;
        r.gains.assign(out * n, 0.0);
        for (std::size_t o = 0; o < out; ++o) r.gains[o * n + (n == 1 ? 0 : o)] = 1.0;
    };
    if (options.hearing.ear) {  // every channel through one ear, as it is
        identity(n);
        return r;
    }
    if (n == 1) {
        const bool both = options.mono_to_both_ears || options.ears_differ;
        identity(both ? 2 : 1);
        if (both && !options.mono_to_both_ears)
            r.note = fmt::format("{}: mono input heard by both ears (the listener's ears differ): stereo output "
                                 "(--ear left|right renders one ear, mono)", in.string());
        return r;
    }
    if (n == 2) {
        identity(2);
        return r;
    }
    std::vector<Speaker> layout;
    const bool mapped = info.channel_map.size() == n;
    if (mapped)
        for (int m : info.channel_map) layout.push_back(speaker_of(m));
    else
        layout = standard_layout(n);
    const auto dm = layout.empty() ? std::nullopt : downmix_bs775(layout);
    if (!dm) {
        if (mapped) {
            std::size_t bad = 0;
            while (bad < n && layout[bad] != Speaker::other) ++bad;
            throw IoError(fmt::format("{}: channel {} has a position (SF_CHANNEL_MAP {}) the ITU-R BS.775 down-mix has no "
                                      "rule for (L, R, C, LFE, Ls, Rs, side L/R); use --ear left|right to hear every "
                                      "channel with one ear", in.string(), bad + 1, info.channel_map[bad]));
        }
        throw IoError(fmt::format("{}: {} channels without a channel map: no channel-to-ear rule (1, 2, 6 = 5.1 and "
                                  "8 = 7.1 channels, or a file with a channel map, are rendered); use --ear left|right "
                                  "to hear every channel with one ear", in.string(), n));
    }
    r.out_channels = 2;
    r.gains = dm->gains;
    std::string names;
    for (Speaker s : layout) {
        if (!names.empty()) names.push_back(' ');
        names.append(speaker_name(s));
    }
    r.note = fmt::format("{}: {} channels ({}, {}) down-mixed to the two ears by ITU-R BS.775 (C, surrounds at -3 dB){}",
                         in.string(), n, names, mapped ? "from the file's channel map" : "standard order, no map in the file",
                         dm->lfe_dropped ? "; LFE dropped" : "");
    return r;
}

ChannelRoute route_channels(const AudioInfo& info, const std::filesystem::path& in, const RenderOptions& options) {
    return route_channels(info, in, compose(options.description));
}

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

namespace {

// A file through AudioReader.
class FileSource final : public AudioSource {
public:
    explicit FileSource(const fs::path& path) : reader_(path) {}
    const AudioInfo& info() const noexcept override { return reader_.info(); }
    std::size_t read(AudioView<float> out) override { return reader_.read(out); }
    std::uint64_t nonfinite_count() const noexcept override { return reader_.nonfinite_count(); }
    std::unique_ptr<AudioSource> reopen() const override { return std::make_unique<FileSource>(reader_.path()); }

private:
    AudioReader reader_;
};

// An AudioWriter.
class FileSink final : public AudioSink {
public:
    FileSink(const fs::path& out, AudioFormat format, double rate, std::size_t channels, const AudioWriterOptions& o)
        : writer_(out, format, rate, channels, o) {}
    void write(AudioView<const float> block) override { writer_.write(block); }
    void commit() override { writer_.commit(); }
    std::uint64_t clipped_samples() const noexcept override { return writer_.clipped_samples(); }
    double peak_dbfs() const noexcept override { return writer_.peak_dbfs(); }
    bool rf64() const noexcept { return writer_.rf64(); }

private:
    AudioWriter writer_;
};

}  // namespace

namespace {

// An interleaved buffer read in blocks, as AudioReader reads a float file (non-finite samples replaced, counted).
class MemorySource final : public AudioSource {
public:
    explicit MemorySource(const InterleavedAudio& a) : a_(a) {
        info_.sample_rate_hz = a.sample_rate_hz;
        info_.num_channels = a.channels;
        info_.num_frames = a.frames;
        info_.format = "float32 buffer";
    }
    const AudioInfo& info() const noexcept override { return info_; }
    std::size_t read(AudioView<float> out) override {
        const std::size_t n = std::min<std::size_t>(out.num_frames(), a_.frames - pos_);
        const std::size_t nc = a_.channels;
        for (std::size_t c = 0; c < nc; ++c) {
            float* y = out.channel(c);
            const float* x = a_.data + pos_ * nc + c;
            for (std::size_t i = 0; i < n; ++i) {
                const float v = x[i * nc];
                if (std::isfinite(v)) y[i] = v;
                else y[i] = 0.0f, ++nonfinite_;
            }
        }
        pos_ += n;
        return n;
    }
    std::uint64_t nonfinite_count() const noexcept override { return nonfinite_; }
    std::unique_ptr<AudioSource> reopen() const override { return std::make_unique<MemorySource>(a_); }

private:
    InterleavedAudio a_;
    AudioInfo info_;
    std::size_t pos_ = 0;
    std::uint64_t nonfinite_ = 0;
};

// Appends interleaved frames to a vector; the peak as AudioWriter measures it (float: nothing clipped).
class MemorySink final : public AudioSink {
public:
    MemorySink(std::vector<float>& out, std::size_t channels, std::size_t frames) : out_(out), nc_(channels) {
        out_.clear();
        out_.reserve(frames * channels);
    }
    void write(AudioView<const float> block) override {
        const std::size_t n = block.num_frames();
        const std::size_t base = out_.size();
        out_.resize(base + n * nc_);
        for (std::size_t c = 0; c < nc_; ++c) {
            const float* x = block.channel(c);
            for (std::size_t i = 0; i < n; ++i) {
                out_[base + i * nc_ + c] = x[i];
                peak_ = std::max(peak_, std::fabs(x[i]));
            }
        }
    }
    void commit() override {}
    std::uint64_t clipped_samples() const noexcept override { return 0; }
    double peak_dbfs() const noexcept override {
        return peak_ > 0 ? 20.0 * std::log10(double(peak_)) : -std::numeric_limits<double>::infinity();
    }

private:
    std::vector<float>& out_;
    std::size_t nc_;
    float peak_ = 0;
};

}  // namespace

RenderReport render_buffer(const InterleavedAudio& in, std::vector<float>& out, const RenderOptions& options,
                           const InterleavedAudio* body, std::string_view in_name, std::string_view body_name,
                           const std::function<void(double)>& progress) {
    if (!(in.sample_rate_hz >= kMinInputRateHz && in.sample_rate_hz <= params::sample_rate_hz.max_value))
        throw ConfigError(input_rate_message(in_name, in.sample_rate_hz));
    if (in.channels < 1) throw ConfigError(fmt::format("{}: no channels", in_name));
    if (in.frames < 1) throw ConfigError(fmt::format("{}: no frames (an empty signal)", in_name));
    if (body && body->sample_rate_hz != in.sample_rate_hz)
        throw ConfigError(fmt::format("{}: sample rate {} Hz differs from the input's {} Hz (resample the body bus)",
                                      body_name, body->sample_rate_hz, in.sample_rate_hz));
    MemorySource source(in);
    StreamEnds ends;
    ends.in_name = std::string(in_name);
    ends.out_name = "output";
    if (body) {
        ends.body_name = std::string(body_name);
        ends.open_body = [body] { return std::unique_ptr<AudioSource>(std::make_unique<MemorySource>(*body)); };
    } else if (options.body) {  // a body file beside an in-memory input
        ends.body_name = options.body->string();
        ends.open_body = [&] { return std::unique_ptr<AudioSource>(std::make_unique<FileSource>(*options.body)); };
    }
    ends.open_sink = [&](const AudioInfo& info, std::size_t nch, std::vector<std::string>&) {
        return std::unique_ptr<AudioSink>(std::make_unique<MemorySink>(out, nch, std::size_t(info.num_frames)));
    };
    if (in.channels > 2 && !compose(options.description).hearing.ear) {
        AudioInfo info;  // a buffer has no channel map: the standard order of 6 and 8 channels, else refused
        info.num_channels = in.channels;
        try {
            (void)route_channels(info, std::string(in_name), options);
        } catch (const IoError& e) {
            throw ConfigError(e.what());  // a buffer's layout is a value, not a file
        }
    }
    return render_stream(source, ends, options, progress);
}

std::string input_rate_message(std::string_view in, double fs) {
    return fmt::format("{}: sample rate {} Hz is out of range [{}, {}] Hz ({} to {} Hz inputs are resampled to {} Hz "
                       "for the model)", in, fs, kMinInputRateHz, params::sample_rate_hz.max_value, kMinInputRateHz,
                       params::sample_rate_hz.min_value, params::sample_rate_hz.min_value);
}

RenderReport render_file(const fs::path& in, const fs::path& out, const RenderOptions& options,
                         const std::function<void(double)>& progress, ModelCache* cache) {
    (void)check_options(options);
    const AudioFormat format = options.format ? *options.format : audio_format_for_path(out);
    if (same_file(in, out))
        throw IoError(fmt::format("{}: is the input file {}; refusing to overwrite an input", out.string(), in.string()));
    FileSource source(in);
    StreamEnds ends;
    ends.in_name = in.string();
    ends.out_name = out.string();
    if (options.body) {
        ends.body_name = options.body->string();
        ends.open_body = [&]() -> std::unique_ptr<AudioSource> {
            if (same_file(*options.body, out))
                throw IoError(fmt::format("{}: is the body input; refusing to overwrite an input", out.string()));
            return std::make_unique<FileSource>(*options.body);
        };
    }
    ends.open_sink = [&](const AudioInfo& info, std::size_t nch, std::vector<std::string>& warnings) {
        // Created only now, so that every earlier failure leaves nothing on disk.
        AudioWriterOptions writer_options;
        writer_options.expected_frames = info.num_frames;  // a WAV over 4 GiB becomes RF64
        writer_options.strings = info.strings;              // WAV INFO / FLAC comments copied
        if (nch == info.num_channels) writer_options.channel_map = info.channel_map;
        auto sink = std::make_unique<FileSink>(out, format, info.sample_rate_hz, nch, writer_options);
        if (sink->rf64())
            warnings.push_back(fmt::format("{}: written as RF64 (a plain WAV cannot hold more than 4 GiB)", out.string()));
        return std::unique_ptr<AudioSink>(std::move(sink));
    };
    ends.format = format;
    return render_stream(source, ends, options, progress, cache);
}

RenderReport render_stream(AudioSource& reader, const StreamEnds& ends, const RenderOptions& options,
                           const std::function<void(double)>& progress, ModelCache* cache) {
    const Composition comp = check_options(options);
    const fs::path in = ends.in_name;
    const std::string& out_name = ends.out_name;
    const AudioInfo info = reader.info();
    const std::size_t nch_in = info.num_channels;
    const std::size_t block = options.block_frames;
    const double fs = info.sample_rate_hz;
    if (fs < kMinInputRateHz || fs > params::sample_rate_hz.max_value) throw IoError(input_rate_message(in.string(), fs));
    const ChannelRoute route = route_channels(info, in, comp);
    const std::size_t nch = route.out_channels;
    // Rates below the model's range run the model at 16 kHz, resampled up after the input and down before the output.
    const bool resampled = fs < params::sample_rate_hz.min_value;
    const double fm = resampled ? params::sample_rate_hz.min_value : fs;

    RenderReport report;
    report.sample_rate_hz = fs;
    report.num_channels = nch;
    report.format = ends.format;
    if (!route.note.empty()) report.notes.push_back(route.note);

    // Progress counts frames, the metering pass weighted by its (small) cost relative to the model.
    constexpr double kMeterWeight = 0.05;
    const double expected = std::max<double>(1.0, static_cast<double>(info.num_frames)) *
                            (1.0 + (options.description.calibration.present_at_db_spl ? kMeterWeight : 0.0));
    double done = 0;
    auto tick = [&](std::size_t frames, double weight = 1.0) {
        done += weight * static_cast<double>(frames);
        if (progress) progress(std::min(1.0, done / expected));
    };

    PlanarBuffer raw(nch_in, block);  // as read
    PlanarBuffer buf(nch, block);     // routed to the ears (the outside sound)
    const bool identity_route = is_identity(route);
    auto route_block = [&](std::size_t n) { apply_route(route, identity_route, raw, buf, n); };

    // Calibration. Pass 1 (present at L dB SPL) reads the file once more through its own reader (the level of
    // what the ears receive: after the channel routing).
    Description description = options.description;
    CalibrationSpec& cal_spec = description.calibration;
    if (cal_spec.present_at_db_spl && !cal_spec.measured_level_dbfs) {
        const double active = measure_level(reader, in, fs, cal_spec.measure, route, identity_route, raw, buf,
                                            [&](std::size_t n) { tick(n, kMeterWeight); });
        report.active_level_dbfs = active;
        cal_spec.measured_level_dbfs = active;
    }
    report.calibration = resolve_calibration(cal_spec, in.string());

    // The model runs at fm in blocks of up to mblock frames (the up-resampler's output of one input block).
    MultiResampler up, body_up, down, inside_down;
    if (resampled) up.prepare(nch, fs, fm, block);
    const std::size_t mblock = resampled ? up.r.front().max_output(block) : block;
    const ProcessSpec spec{fm, mblock, nch};
    // The chain's model (engine/engine.hpp): a listener, or a scene (with its body bus).
    // A batch's cache hands out the engine built for an earlier file with this description (model_cache.hpp).
    std::unique_ptr<Engine> own_engine;
    Engine* engine_ptr = nullptr;
    if (cache && !options.model_key.empty()) {
        engine_ptr = &cache->engine(options.model_key, description, spec);
    } else {
        own_engine = std::make_unique<Engine>(description);
        own_engine->prepare(spec);
        engine_ptr = own_engine.get();
    }
    Engine& engine = *engine_ptr;
    for (const auto& w : engine.warnings()) report.warnings.push_back(w);
    const bool scene_model = comp.scene != nullptr;
    std::unique_ptr<AudioSource> body_reader;
    const std::string& body_name = ends.body_name;
    if (scene_model) {
        if (ends.open_body) {
            body_reader = ends.open_body();
            const AudioInfo bi = body_reader->info();
            if (bi.sample_rate_hz != info.sample_rate_hz)
                throw IoError(fmt::format("{}: sample rate {} Hz differs from the input's {} Hz (resample the body bus)",
                                          body_name, bi.sample_rate_hz, info.sample_rate_hz));
            if (bi.num_channels != 1 && bi.num_channels != nch)
                throw IoError(fmt::format("{}: {} channels; the body bus needs 1 or {} (the output's)", body_name,
                                          bi.num_channels, nch));
            if (resampled) body_up.prepare(bi.num_channels, fs, fm, block);
        }
    }
    const std::size_t model_latency = engine.latency_samples();
    // Latency at the input rate. Resampled: up (Lu, at fm) + model (M) + pad (D) at fm, then down (Ld, at fs); the
    // pad makes (Lu + M + D) fs / fm a whole number of input samples, so the compensation is exact.
    std::size_t chain_latency = model_latency;
    std::size_t pad = 0;
    if (resampled) {
        const auto fs_i = static_cast<std::int64_t>(std::llround(fs)), fm_i = static_cast<std::int64_t>(std::llround(fm));
        const std::int64_t q = fm_i / std::gcd(fs_i, fm_i);  // fs / fm = p / q
        const auto lu = static_cast<std::int64_t>(up.r.front().latency_samples());
        const std::int64_t at_fm = lu + static_cast<std::int64_t>(model_latency);
        pad = static_cast<std::size_t>((q - at_fm % q) % q);
        down.prepare(nch, fm, fs, mblock, pad);
        if (options.on_finished && scene_model) inside_down.prepare(nch, fm, fs, mblock, pad);
        const auto ld = static_cast<std::int64_t>(down.r.front().latency_samples());
        chain_latency = static_cast<std::size_t>((at_fm + static_cast<std::int64_t>(pad)) / q * (fs_i * q / fm_i) + ld);
        report.notes.push_back(fmt::format("{}: {} Hz is below the model's range [{}, {}] Hz: resampled to {} Hz for the "
                                           "model and back to {} Hz", in.string(), fs, params::sample_rate_hz.min_value,
                                           params::sample_rate_hz.max_value, fm, fs));
    }
    const std::size_t oblock = resampled ? down.r.front().max_output(mblock) : mblock;
    PlanarBuffer body_raw(body_reader ? body_reader->info().num_channels : 1, block);
    PlanarBuffer body_buf(body_reader ? body_reader->info().num_channels : 1, mblock);
    PlanarBuffer mbuf(nch, mblock);        // the model's input (resampled: at fm)
    PlanarBuffer inside_buf(nch, mblock);  // a scene's inside bus alone (before the POV mix), for figures
    PlanarBuffer inside_out(nch, oblock);  // ... back at the input rate
    PlanarBuffer work(nch, mblock);        // the model's output
    PlanarBuffer obuf(nch, oblock);        // the chain's output at the input rate
    std::vector<float> outside_mix, inside_mix;
    std::optional<Limiter> limiter;
    if (comp.limit_dbfs) {
        limiter.emplace(LimiterConfig{*comp.limit_dbfs});
        limiter->prepare({fs, oblock, nch});
    }
    const std::size_t latency = chain_latency + (limiter ? limiter->latency_samples() : 0);
    report.latency_samples = latency;

    const std::unique_ptr<AudioSink> sink = ends.open_sink(info, nch, report.warnings);
    AudioSink& writer = *sink;

    std::vector<const float*> offset_ptrs(nch);
    std::uint64_t to_skip = latency;  // chain output frames still to drop (the latency)
    std::uint64_t frames_in = 0;      // input frames read
    std::uint64_t frames_out = 0;     // frames written
    std::uint64_t body_frames = 0;    // body-bus frames read
    std::uint64_t clamped_in = 0;     // model input samples beyond the input guard's limit
    std::uint64_t nonfinite_out = 0;  // non-finite output samples replaced by 0
    float peak_out = 0.0f;            // largest |sample| written

    // Runs one block (n input-rate frames in buf) through the chain and writes what belongs to the output (at
    // most `limit` frames).
    auto run_block = [&](std::size_t n, std::uint64_t limit) {
        std::size_t m = n;  // model-rate frames
        if (resampled) {
            m = up.process(buf.view(n), n, mbuf.ptrs);
        } else {
            for (std::size_t c = 0; c < nch; ++c) std::copy(buf.ptrs[c], buf.ptrs[c] + n, mbuf.ptrs[c]);
        }
        clamped_in += input_guard_count(mbuf.cview(m));
        // The engine keeps pointers to the body and inside views until process() returns: they live here.
        std::optional<AudioView<const float>> bv;
        std::optional<AudioView<float>> iv;
        if (scene_model) {
            if (body_reader) {
                const std::size_t got = body_reader->read(body_raw.view(n));
                body_frames += got;
                for (std::size_t c = 0; c < body_raw.ptrs.size(); ++c) std::fill(body_raw.ptrs[c] + got, body_raw.ptrs[c] + n, 0.f);
                if (resampled) {
                    const std::size_t bm = body_up.process(body_raw.view(n), n, body_buf.ptrs);
                    (void)bm;  // the same design and history as `up`: bm == m
                } else {
                    for (std::size_t c = 0; c < body_raw.ptrs.size(); ++c)
                        std::copy(body_raw.ptrs[c], body_raw.ptrs[c] + n, body_buf.ptrs[c]);
                }
            }
            bv.emplace(body_buf.cview(m));
            iv.emplace(inside_buf.view(m));
            engine.set_body(body_reader ? &*bv : nullptr);
            engine.set_inside_tap(options.on_finished ? &*iv : nullptr);
        }
        engine.maintain();  // a scene builds the states and events due soon (allocates; not in process())
        engine.process(mbuf.cview(m), work.view(m));
        std::size_t k = m;  // input-rate frames out of the chain
        if (resampled) {
            k = down.process(work.view(m), m, obuf.ptrs);
            if (options.on_finished && scene_model) inside_down.process(inside_buf.view(m), m, inside_out.ptrs);
        } else {
            for (std::size_t c = 0; c < nch; ++c) std::copy(work.ptrs[c], work.ptrs[c] + m, obuf.ptrs[c]);
            if (options.on_finished && scene_model)
                for (std::size_t c = 0; c < nch; ++c) std::copy(inside_buf.ptrs[c], inside_buf.ptrs[c] + m, inside_out.ptrs[c]);
        }
        // Final guard: a non-finite sample is never written.
        for (std::size_t c = 0; c < nch; ++c)
            for (std::size_t i = 0; i < k; ++i)
                if (!std::isfinite(obuf.ptrs[c][i])) obuf.ptrs[c][i] = 0.0f, ++nonfinite_out;
        if (limiter) limiter->process(obuf.cview(k), obuf.view(k));
        std::size_t skip = static_cast<std::size_t>(std::min<std::uint64_t>(to_skip, k));
        to_skip -= skip;
        const std::size_t avail = k - skip;
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(avail, limit));
        if (take > 0) {
            for (std::size_t c = 0; c < nch; ++c)
                for (std::size_t i = 0; i < take; ++i) peak_out = std::max(peak_out, std::fabs(obuf.ptrs[c][skip + i]));
            writer.write(obuf.cview_from(skip, take, offset_ptrs));
            if (options.on_finished)
                for (std::size_t i = 0; i < take; ++i) {
                    float v = 0;
                    for (std::size_t c = 0; c < nch; ++c) v += (scene_model ? inside_out : obuf).ptrs[c][skip + i];
                    inside_mix.push_back(v / float(nch));
                }
            frames_out += take;
        }
    };

    for (;;) {
        const std::size_t n = reader.read(raw.view(block));
        if (n == 0) break;
        route_block(n);
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
    // Tail: feed zeros until the delayed output has caught up with the input length (resampled, the chain's
    // output per block varies by a frame or two: the loop runs until it has).
    buf.zero();
    while (frames_out < frames_in) {
        const std::uint64_t need = (frames_in - frames_out) + to_skip;
        const std::size_t n = static_cast<std::size_t>(std::clamp<std::uint64_t>(need, std::min<std::size_t>(block, 64), block));
        run_block(n, frames_in - frames_out);
    }
    // The figure (on_finished) is drawn before the audio is committed: a failing figure leaves no audio.
    if (options.on_finished) options.on_finished(outside_mix, inside_mix, info.sample_rate_hz);
    writer.commit();
    if (progress) progress(1.0);

    report.frames = frames_out;
    report.seconds = static_cast<double>(frames_out) / info.sample_rate_hz;
    report.nan_count = reader.nonfinite_count();
    report.clamped_input_samples = clamped_in;
    report.nonfinite_output_samples = nonfinite_out;
    report.peak_dbfs = peak_out > 0 ? 20.0 * std::log10(double(peak_out)) : -std::numeric_limits<double>::infinity();
    report.clipped_samples = writer.clipped_samples();
    report.peak_dbfs = writer.peak_dbfs();
    add_end_warnings(report, EndOfRender{in, out_name, info, comp, report.format, frames_in, body_frames, clamped_in,
                                         nonfinite_out, peak_out, limiter ? &*limiter : nullptr,
                                         body_reader ? std::optional<std::uint64_t>(body_reader->info().num_frames) : std::nullopt,
                                         body_name});
    return report;
}

}  // namespace earshot
