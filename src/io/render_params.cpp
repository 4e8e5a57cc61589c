#include "earshot/io/render_params.hpp"

#include <fmt/format.h>

#include <system_error>

#include "earshot/core/error.hpp"
#include "earshot/core/param.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/io/listener_file.hpp"
#include "earshot/io/output_plan.hpp"
#include "earshot/io/render_keywords.hpp"

namespace earshot {
namespace fs = std::filesystem;

RenderOptions make_render_options(const RenderParams& p) {
    // The one map from keywords to RenderOptions (io/render_keywords.hpp), as the CLI flags and Python use it.
    RenderKeywords k;
    k.listener = p.listener;
    k.implant = p.implant;
    k.scene = p.scene;
    k.body = p.body;
    k.implant_ear = p.implant_ear;
    k.level_measure = p.level_measure;
    k.hearing_aid = p.hearing_aid;
    k.ear = p.ear;
    k.field = p.field;
    k.degree = p.degree;
    k.format = p.format;
    k.level_db_spl = p.level_db_spl;
    if (!p.level_db_spl || p.full_scale_db_spl != params::full_scale_db_spl.default_value)
        k.full_scale_db_spl = p.full_scale_db_spl;  // both given: refused as the CLI refuses the two flags
    k.limit_dbfs = p.limit_dbfs;
    k.intensity = p.intensity;
    k.crossover_hz = p.crossover_hz;
    k.seed = p.seed;
    k.both_ears = p.both_ears;
    k.smearing = p.smearing;
    k.block_frames = p.block_frames;
    return render_options(k);
}

fs::path listener_file_part(std::string_view listener) {
    const std::string s(listener);
    std::error_code ec;
    const auto hash = s.rfind('#');
    if (hash == std::string::npos || fs::exists(s, ec)) return s;
    return s.substr(0, hash);
}

void add_side_inputs(OutputPlan& plan, std::string_view listener, std::string_view implant, std::string_view scene,
                     std::string_view body, std::string_view role_prefix) {
    std::error_code ec;
    auto add = [&](const fs::path& p, const char* role) {
        if (!p.empty() && fs::exists(p, ec)) plan.add_input(p, std::string(role_prefix) + role);
    };
    add(fs::path(scene), "scene file");
    add(fs::path(body), "body input");
    if (!listener.empty() && !is_listener_preset_id(listener)) add(listener_file_part(listener), "listener file");
    if (!implant.empty() && is_implant_file_name(implant)) add(fs::path(implant), "implant file");
}

}  // namespace earshot
