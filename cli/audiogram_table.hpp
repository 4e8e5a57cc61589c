#pragma once
// Plain-text audiogram tables for `earshot presets` and `earshot listener show`: the cells' text (the rows are
// the library's, hearing/audiogram_rows.hpp).
#include <string>
#include <vector>

#include "earshot/hearing/audiogram_rows.hpp"

namespace earshot::cli {

using earshot::AudiogramRow;  // the rows themselves: hearing/audiogram_rows.hpp

/// "1k", "1.5k", "250".
std::string freq_label(double f_hz);
/// Cells of one row at the given frequencies, each right-aligned in `width`.
std::string row_cells(const Audiogram& a, const std::vector<double>& freqs, int width);

}  // namespace earshot::cli
