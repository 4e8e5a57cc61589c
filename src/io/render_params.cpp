#include "earshot/io/render_params.hpp"

#include <fmt/format.h>

#include <system_error>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/core/stream_params.hpp"
#include "earshot/hearing/hearing_names.hpp"
#include "earshot/io/description_io.hpp"
#include "earshot/io/io_names.hpp"
#include "earshot/scene/scene_names.hpp"

namespace earshot {
namespace fs = std::filesystem;

RenderOptions make_render_options(const RenderParams& p) {
    if (p.scene.empty() && !p.body.empty()) throw ConfigError("--body: needs --scene");
    RenderOptions opt;
    Description& d = opt.description;
    resolve_names(d, p.listener, p.implant, p.scene);
    if (d.implant) {
        d.implant->ears = names::ears.from_name(p.implant_ear, "--implant-ear");
        if (p.intensity) d.implant->intensity = *p.intensity;
        if (p.crossover_hz) d.implant->crossover_hz = *p.crossover_hz;
    } else if (p.intensity || p.crossover_hz) {
        throw ConfigError(fmt::format("{}: needs --implant", p.intensity ? "--intensity" : "--crossover-hz"));
    }
    d.hearing_aid = names::hearing_aid.from_name(p.hearing_aid, "--hearing-aid");
    d.calibration.measure = names::level_measure.from_name(p.level_measure, "--level-measure");
    if (p.level_db_spl) d.calibration.present_at_db_spl = *p.level_db_spl;
    d.calibration.full_scale_db_spl = p.full_scale_db_spl;
    d.limit_dbfs = p.limit_dbfs;
    d.both_ears = p.both_ears;
    if (!p.ear.empty()) d.ear = names::ear.from_name(p.ear, "--ear");
    d.field = names::field.from_name(p.field, "--field");
    if (!p.degree.empty()) d.degree = names::degree.from_name(p.degree, "--degree");
    d.smearing = p.smearing;
    d.seed = p.seed;
    compose(d);  // validated here, before any file is written
    if (d.scene && !p.body.empty()) opt.body = fs::path(p.body);
    if (!p.format.empty()) opt.format = names::audio_format.from_name(p.format, "--format");
    opt.block_frames = std::size_t(params::block_frames.check(double(p.block_frames)));
    return opt;
}

fs::path listener_file_part(std::string_view listener) {
    const std::string s(listener);
    std::error_code ec;
    const auto hash = s.rfind('#');
    if (hash == std::string::npos || fs::exists(s, ec)) return s;
    return s.substr(0, hash);
}

}  // namespace earshot
