#pragma once
// A listener's audiograms as the rows of one table (what `earshot presets` and `earshot listener show` print,
// and what a notebook or a web page would show): "both" when the two ears' air conduction is the same, else
// "right" then "left" (the clinical order); bone conduction rows when measured, merged the same way. Levels
// in dB HL at each audiogram's own frequencies (Hz); union_freqs gives the table's columns.
#include <string>
#include <vector>

#include "earshot/hearing/listener.hpp"

namespace earshot {

/// One table row: a label and an audiogram (a view into the listener, which must outlive the row).
struct AudiogramRow {
    std::string label;
    const Audiogram* audiogram;
};

/// The rows of a listener: "both" when the ears are equal, else "right" and "left"; bone rows if present.
std::vector<AudiogramRow> listener_rows(const Listener& l);
/// Sorted union of the rows' frequencies (Hz).
std::vector<double> union_freqs(const std::vector<AudiogramRow>& rows);

}  // namespace earshot
