#pragma once
// The keywords of a render as one table, shared by the front ends: the CLI's `earshot render` flags
// (--level-db-spl) and Python's earshot.render / earshot.Engine keyword arguments (level_db_spl) are the rows
// of render_keys(), and render_options() is the one map from their values to RenderOptions (a Description,
// resolved from names and files through io/description_io.hpp and validated by compose()). The CLI parses its
// flags into RenderKeywords, Python sets them one by one with set_render_keyword(); neither decides anything
// itself. Errors are ConfigError / IoError with one line naming the flag (--key-with-dashes, the CLI form, so a
// message reads the same from every front end) and the accepted range or names.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "earshot/core/key_spec.hpp"
#include "earshot/hearing/listener.hpp"
#include "earshot/io/render.hpp"

namespace earshot {

/// A render's keywords as given (unset / empty: not given, the default applies).
struct RenderKeywords {
    std::string listener;        ///< preset id, listener file, or file#id (io/listener_file.hpp)
    std::string implant;         ///< implant preset or implant JSON file
    std::string scene;           ///< scene file (docs/scene-files.md)
    std::string body;            ///< the scene's body bus file (render_file)
    std::string implant_ear;     ///< names::ears; default both
    std::string level_measure;   ///< names::level_measure; default active
    std::string hearing_aid;     ///< names::hearing_aid; default none
    std::string ear;             ///< names::ear; default: by the channel routing
    std::string field;           ///< names::field; default free
    std::string degree;          ///< names::degree; default: classes (scenes: continuous)
    std::string format;          ///< names::audio_format; default by the output extension
    std::optional<double> level_db_spl, full_scale_db_spl, limit_dbfs, intensity, crossover_hz;
    std::optional<std::uint64_t> seed;  ///< the implants' auralisation seed
    bool both_ears = false;
    bool smearing = true;
    std::optional<std::size_t> block_frames;
    /// A listener given as a value (Python's earshot.Listener) instead of by name; not beside `listener`/`scene`.
    std::optional<Listener> listener_value;
};

/// The keys: name (a Python keyword; the CLI flag is --name with dashes), type, unit, range or names, help.
std::span<const KeySpec> render_keys();
/// "--level-db-spl" for "level_db_spl".
std::string keyword_flag(std::string_view key);

/// A keyword's value from a dynamic front end: none (not given), a boolean, a number or a string.
using KeywordValue = std::variant<std::monostate, bool, double, std::string>;
/// Sets one keyword, checked against its row (type, range, names): ConfigError "unknown keyword x; did you
/// mean y?" for a key not in render_keys(), else one line naming the flag. none leaves the key unset.
/// "level_ref" is accepted for "level_measure" (Python's name for it).
void set_render_keyword(RenderKeywords& k, std::string_view key, const KeywordValue& value);

/// The render the keywords describe: names resolved (listener, implant, scene files read), every rule of
/// engine/description.hpp's compose() checked. Throws ConfigError / IoError (one line naming the flag or file).
RenderOptions render_options(const RenderKeywords& k);

}  // namespace earshot
