#pragma once
// A batch manifest (docs/batch.md): one render per row, as CSV (a header row naming the columns, RFC 4180
// quoting, CRLF or LF line ends, an optional UTF-8 byte-order mark) or JSON Lines (one object per line).
// Columns: input and output (required), and any of the render parameters of manifest_columns() -- the names
// and ranges of the CLI flags (params::* of core/param.hpp, the enumerations of hearing_names.hpp,
// scene_names.hpp, io_names.hpp). An empty CSV cell or a JSON null leaves the parameter at its default.
// Relative paths (input, output, body, listener / implant / scene files) are relative to the manifest's folder.
// Every error is one line "<manifest>:<line>: <column>: <what>" (ConfigError; IoError when the manifest cannot be
// read); the reader checks each value's type and range, the files a row names are read when it renders.
#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

#include "earshot/core/key_spec.hpp"
#include "earshot/io/render_params.hpp"

namespace earshot {

struct ManifestRow {
    std::size_t line = 0;  ///< 1-based line of the manifest (CSV: where the record starts)
    std::filesystem::path input, output;  ///< absolute, lexically normal
    RenderParams params;                  ///< file names in it absolute
};

/// The columns a manifest accepts (docs/batch.md "Columns" lists the same, tests/unit/test_param_tables.cpp).
std::span<const KeySpec> manifest_columns();

/// Reads a manifest: JSON Lines when the name ends in .jsonl, .ndjson or .json, or when its first non-blank
/// character is '{'; else CSV. At least one row.
std::vector<ManifestRow> read_manifest(const std::filesystem::path& manifest);

/// Parses manifest text (`name` names it in messages; relative paths are relative to `base_dir`).
std::vector<ManifestRow> parse_manifest(std::string_view text, std::string_view name, const std::filesystem::path& base_dir,
                                        bool json_lines);

/// A path of a manifest or sidecar relative to `base_dir`, absolute and lexically normal.
std::filesystem::path resolve_relative(const std::filesystem::path& base_dir, const std::filesystem::path& p);
/// A listener or implant name with its file part resolved against base_dir (a preset id as it is).
std::string resolve_listener_name(const std::filesystem::path& base_dir, const std::string& listener);
std::string resolve_implant_name(const std::filesystem::path& base_dir, const std::string& implant);

}  // namespace earshot
