#include "earshot/engine/description.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "earshot/core/db.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot {

namespace {
constexpr ParamSpec kOutputGainDb{"output_gain_db", "dB", -60.0, 24.0, 0.0, "gain after the model"};
constexpr ParamSpec kBodyGainDb{"body_gain_db", "dB", -60.0, 24.0, 0.0, "gain on the body side input"};
constexpr ParamSpec kPov{"pov", "", 0.0, 1.0, 1.0, "1 = the simulation, 0 = the unprocessed input"};

// Ear-specific content of a scene (different ears, or events on one ear): a mono input is rendered to stereo.
bool scene_per_ear(const Scene& scene) {
    bool per_ear = false;
    for (const auto& k : scene.keyframes)
        per_ear = per_ear || k.listener.left.air.hl_db != k.listener.right.air.hl_db ||
                  k.listener.left_device.implant != k.listener.right_device.implant ||
                  k.left.processor_off != k.right.processor_off || k.left.implant_on != k.right.implant_on;
    for (const auto& e : scene.tinnitus) per_ear = per_ear || e.ear != EarSel::both;
    for (const auto& e : scene.pops) per_ear = per_ear || e.ear != EarSel::both;
    return per_ear;
}
}  // namespace

bool ears_differ(const Listener& l) noexcept {
    auto same = [](const Audiogram& a, const Audiogram& b) { return a.freqs_hz == b.freqs_hz && a.hl_db == b.hl_db; };
    const EarDevice &dl = l.left_device, &dr = l.right_device;
    return !same(l.left.air, l.right.air) || !same(l.left.bone, l.right.bone) || dl.implant != dr.implant ||
           dl.acoustic != dr.acoustic || dl.crossover_hz != dr.crossover_hz || dl.hearing_aid != dr.hearing_aid;
}

void check_controls(const Controls& c) {
    kOutputGainDb.check(c.output_gain_db, "controls.output_gain_db");
    kBodyGainDb.check(c.body_gain_db, "controls.body_gain_db");
    kPov.check(c.pov, "controls.pov");
    if (c.implant_intensity) params::intensity.check(*c.implant_intensity, "controls.implant_intensity");
}

Composition compose(const Description& d) {
    Composition c;
    if (d.scene) {
        if (d.listener || d.implant)
            throw ConfigError("--scene: the scene names its listeners; do not combine it with --listener or --implant");
        c.scene = d.scene;
        c.mono_to_both_ears = scene_per_ear(*d.scene);
    } else if (!d.listener && !d.implant) {
        throw ConfigError("render: give --listener (a preset or listener file) and/or --implant (a preset or implant file)");
    }
    if (!d.scene) {
        if (d.listener) {
            c.listener = *d.listener;
        } else {
            c.listener = make_preset("sudden-profound");  // implant only: both ears deaf apart from the implant
        }
    }
    if (d.implant) {
        const ImplantFitting& f = *d.implant;
        if (!f.params) throw ConfigError("implant: no implant parameters (a preset or implant file)");
        ImplantParams ip = *f.params;
        if (!d.listener) c.listener.name = ip.name;
        if (f.intensity) ip.intensity = params::intensity.check(*f.intensity);
        if (d.seed) ip.auralisation.seed = *d.seed;
        ip.validate(ip.name);
        const bool changed = f.intensity.has_value() || d.seed.has_value();
        const auto shared = changed ? std::make_shared<const ImplantParams>(std::move(ip)) : f.params;
        EarDevice dev;
        dev.implant = shared;
        dev.acoustic = d.listener.has_value();  // with a listener: the ear's residual hearing stays (electric-acoustic)
        if (f.crossover_hz) {
            if (!d.listener)
                throw ConfigError("--crossover-hz: needs --listener (the residual acoustic hearing heard below the crossover)");
            dev.crossover_hz = params::crossover_hz.check(*f.crossover_hz);
        }
        if (f.ears != EarSel::right) c.listener.left_device = dev;
        if (f.ears != EarSel::left) c.listener.right_device = dev;
        c.listener.name += " + " + shared->name;
    }
    if (d.hearing_aid != HearingAidRule::none) {
        if (!d.listener) throw ConfigError("--hearing-aid: needs --listener (the aided ear's audiogram)");
        for (EarDevice* dev : {&c.listener.left_device, &c.listener.right_device})
            if (dev->acoustic && !dev->implant) dev->hearing_aid = d.hearing_aid == HearingAidRule::nal_r;
    }
    if (d.calibration.present_at_db_spl) params::level_db_spl.check(*d.calibration.present_at_db_spl);
    params::full_scale_db_spl.check(d.calibration.full_scale_db_spl);
    if (d.limit_dbfs) params::limit_dbfs.check(*d.limit_dbfs);
    if (d.ear && d.both_ears) throw ConfigError("--ear: keeps one ear; do not combine it with --both-ears");
    c.mono_to_both_ears = c.mono_to_both_ears || d.both_ears;
    c.ears_differ = !c.scene && ears_differ(c.listener);
    c.hearing.ear = d.ear;
    c.hearing.field = d.field;
    // Scenes default to the continuous degree of loss, so that broadening and smearing follow the audiogram
    // smoothly through a transition (MSBG's classes would change the model's structure mid-transition).
    c.hearing.degree = d.degree.value_or(c.scene ? LossDegree::continuous : LossDegree::classes);
    c.hearing.smearing = d.smearing;
    c.limit_dbfs = d.limit_dbfs;
    check_controls(d.controls);
    c.controls = d.controls;
    return c;
}

Calibration resolve_calibration(const CalibrationSpec& spec, std::string_view input) {
    if (!spec.present_at_db_spl) return Calibration{params::full_scale_db_spl.check(spec.full_scale_db_spl)};
    const double level = params::level_db_spl.check(*spec.present_at_db_spl);
    if (!spec.measured_level_dbfs)
        throw ConfigError(fmt::format("{}: needs the input's measured level (calibration.measured_level_dbfs)",
                                      params::level_db_spl.flag()));
    return Calibration{full_scale_for_level(level, *spec.measured_level_dbfs, input)};
}

LevelMeter::LevelMeter(double sample_rate_hz, LevelMeasure measure) : measure_(measure), active_(sample_rate_hz) {}

void LevelMeter::add(AudioView<const float> v) {
    if (measure_ == LevelMeasure::active) {
        active_.add(v);
        return;
    }
    for (std::size_t c = 0; c < v.num_channels(); ++c)
        for (std::size_t i = 0; i < v.num_frames(); ++i) sum_sq_ += double(v.channel(c)[i]) * v.channel(c)[i];
    count_ += double(v.num_frames() * v.num_channels());
}

double LevelMeter::level_dbfs() const {
    if (measure_ == LevelMeasure::active) return active_.active_level_dbfs();
    return sum_sq_ > 0 ? mean_square_to_dbfs(sum_sq_ / count_) : -std::numeric_limits<double>::infinity();
}

}  // namespace earshot
