#pragma once
// Private: an implant description from the parsed tree (tree.hpp, key_reader.hpp): the value of key `key` of
// the table `parent` is a table of implant keys, or a string naming a preset or an implant JSON file (found
// relative to the file that holds it). Used by the implant file reader, and by the listener and scene readers
// for their `implant` keys, so every error is placed at the key in the file that holds it
// ("me.toml:4: left.implant.maxima: 30 is out of range [1, 22]").
#include <string_view>

#include "earshot/implant/implant_params.hpp"
#include "key_reader.hpp"

namespace earshot::detail {

ImplantParams read_implant(const KeyReader& parent, std::string_view key);
/// A table of implant keys (docs/implant-files.md); `name` is the implant's name when it gives none.
ImplantParams read_implant_table(const KeyReader& r, std::string_view name);

}  // namespace earshot::detail
