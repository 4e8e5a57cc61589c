#pragma once
// "Did you mean ...?": the nearest valid name to a mistyped one, for one-line errors (unknown enum
// names in files and on the command line, unknown subcommands and options). Levenshtein distance
// (insertions, deletions, substitutions; a transposition counts as 2); a candidate is offered only if it
// is within max(2, |word| / 3) edits, so that unrelated words get no suggestion.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earshot {

/// Levenshtein distance between a and b.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate nearest to `word` if close enough to be a plausible typo (distance <= max(2, |word|/3)).
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace earshot
