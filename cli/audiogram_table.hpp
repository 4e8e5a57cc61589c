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
/// WHO 2021 grade for a four-frequency (0.5, 1, 2, 4 kHz) average.
const char* who_grade(double pta_db);
/// Four-frequency pure-tone average (0.5, 1, 2, 4 kHz) by the audiogram's interpolation rule.
double pta4_db(const Audiogram& a);

}  // namespace earshot::cli
