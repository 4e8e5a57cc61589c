#pragma once
// The sidecar of a batch output (docs/batch.md "Sidecars"): OUT.wav gets OUT.wav.json, a JSON object with
// everything needed to reproduce OUT.wav bit for bit (`earshot render --from-sidecar OUT.wav.json`):
//   earshot      {version, build}                          the software (core/build_info.hpp)
//   input        {path, sha256}                            path relative to the sidecar's folder
//   output       {path, format, sha256, frames, sample_rate_hz, channels}
//   parameters   every RenderParams field (io/render_params.hpp; null: the default), file names relative
//   files        {listener|implant|scene|body: {path, sha256}}  the description files the parameters name
//   calibration  {full_scale_db_spl, measured_level_dbfs, level_measure}  what the model ran with
//   latency_samples, seed, notes, warnings
// A batch skips a row (resume) when its output and sidecar exist and the sidecar records the same earshot
// version, parameters, input sha256 and description-file sha256s as the row would, and the output's sha256.
// The sidecar is written (TempFile: O_EXCL, renamed into place) after its output is committed, so a render
// killed in between leaves an output without a sidecar, which a resumed batch renders again.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "earshot/io/manifest.hpp"
#include "earshot/io/render.hpp"

namespace earshot {

/// OUT + ".json".
std::filesystem::path sidecar_path(const std::filesystem::path& output);

/// The hashes a sidecar records: the input's and those of the description files the parameters name.
struct Provenance {
    std::string input_sha256;
    std::map<std::string, std::pair<std::filesystem::path, std::string>> files;  ///< role -> (absolute path, sha256)
};
/// Hashes the row's input and description files (IoError naming a file that cannot be read).
Provenance provenance_of(const ManifestRow& row);

/// The sidecar text of a finished render.
std::string sidecar_json(const ManifestRow& row, const Provenance& prov, const RenderReport& report,
                         const std::string& output_sha256);
/// Writes it next to the output (atomically); throws IoError naming the sidecar.
void write_sidecar(const ManifestRow& row, const Provenance& prov, const RenderReport& report);

/// True when row.output and its sidecar exist and the sidecar matches (see the top of this file).
bool sidecar_matches(const ManifestRow& row, const Provenance& prov);

/// A sidecar read back: the render it records (paths absolute) and the hashes it recorded.
struct SidecarRecord {
    ManifestRow row;
    Provenance prov;
    std::string version;
};
/// Reads a sidecar; one line naming the file and key for anything missing or invalid.
SidecarRecord read_sidecar(const std::filesystem::path& sidecar);

}  // namespace earshot
