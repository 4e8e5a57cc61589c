#pragma once
// A file render's every parameter as the user gives it (names and numbers, the CLI flags' forms and ranges:
// core/param.hpp params::*, the names of hearing_names.hpp, scene_names.hpp and io_names.hpp), the form a
// batch manifest row (io/manifest.hpp), a sidecar (io/sidecar.hpp) and Python's keywords fill. Unset
// optionals and empty strings are the CLI's defaults; every field is a render keyword of io/render_keywords.hpp
// (a manifest row always has a complete set, which its sidecar records). make_render_options() is
// render_options() of those keywords: names resolved, compose() checked, every error one line naming the flag
// and the accepted range (ConfigError) or the file (IoError).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "earshot/io/render.hpp"

namespace earshot {

struct RenderParams {
    std::string listener;              ///< preset id or listener file ("FILE.json#ID"); "" none
    std::string implant;               ///< implant preset or implant JSON file; "" none
    std::string implant_ear = "both";  ///< names::ears
    std::optional<double> intensity;   ///< params::intensity
    std::optional<double> crossover_hz;  ///< params::crossover_hz
    std::string scene;                 ///< scene file; "" none
    std::string body;                  ///< the scene's body bus (audio file); "" none
    std::optional<double> level_db_spl;  ///< params::level_db_spl; unset: absolute calibration
    double full_scale_db_spl = 100.0;    ///< params::full_scale_db_spl
    std::string level_measure = "active";  ///< names::level_measure
    std::optional<std::uint64_t> seed;   ///< the implants' auralisation seed; unset: each implant's own
    std::string hearing_aid = "none";    ///< names::hearing_aid
    std::string field = "free";          ///< names::field
    std::string degree;                  ///< names::degree; "" the default (classes; scenes: continuous)
    bool smearing = true;
    std::string ear;                     ///< names::ear; "" the channel routing of io/render.hpp
    bool both_ears = false;
    std::optional<double> limit_dbfs;    ///< params::limit_dbfs
    std::string format;                  ///< names::audio_format; "" by the output's extension
    std::size_t block_frames = 8192;     ///< params::block_frames

    bool operator==(const RenderParams&) const = default;
};

/// The RenderOptions of `p` (names resolved, validated). The description files are read relative to the
/// working directory (manifests and sidecars make their paths absolute first).
RenderOptions make_render_options(const RenderParams& p);

/// The file part of a "FILE.json#ID" listener name (the whole name when it names an existing file).
std::filesystem::path listener_file_part(std::string_view listener);

class OutputPlan;
/// Records a render's side inputs in `plan` so that no output of the command overwrites them: the scene
/// file, the body bus, a listener file (the file part of FILE.json#ID; not a preset id) and an implant
/// file (not a preset), each if it exists. The CLI's render and the manifest batch both plan with it; a
/// message names the side input by its role: role_prefix + "scene file" ("--" for the CLI's flags, "" for
/// the manifest's columns).
void add_side_inputs(OutputPlan& plan, std::string_view listener, std::string_view implant, std::string_view scene,
                     std::string_view body, std::string_view role_prefix);

}  // namespace earshot
