#pragma once
// Plain-text audiogram tables for `earshot presets` and `earshot listener show`.
#include <string>
#include <vector>

#include "earshot/hearing/listener.hpp"

namespace earshot::cli {

/// One table row: a label and an audiogram (values printed at its own frequencies, '-' elsewhere).
struct AudiogramRow {
    std::string label;
    const Audiogram* audiogram;
};

/// The rows of a listener: "both" when the ears are equal, else "right" and "left"; bone rows if present.
std::vector<AudiogramRow> listener_rows(const Listener& l);
/// Sorted union of the frequencies of the rows.
std::vector<double> union_freqs(const std::vector<AudiogramRow>& rows);
/// "1k", "1.5k", "250".
std::string freq_label(double f_hz);
/// Cells of one row at the given frequencies, each right-aligned in `width`.
std::string row_cells(const Audiogram& a, const std::vector<double>& freqs, int width);

}  // namespace earshot::cli
