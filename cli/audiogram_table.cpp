#include "audiogram_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace earshot::cli {

namespace {
// Levels to 0.1 dB without a trailing ".0" (20, 22.5, 4.3).
std::string level(double db) {
    std::string s = fmt::format("{:.1f}", db);
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s == "-0" ? "0" : s;
}
}  // namespace

std::string freq_label(double f) {
    if (f >= 1000) return fmt::format("{:g}k", f / 1000);
    return fmt::format("{:g}", f);
}

std::string row_cells(const Audiogram& a, const std::vector<double>& freqs, int width) {
    std::string s;
    for (double f : freqs) {
        const auto it = std::find(a.freqs_hz.begin(), a.freqs_hz.end(), f);
        const std::string cell = it == a.freqs_hz.end() ? "-" : level(a.hl_db[static_cast<std::size_t>(it - a.freqs_hz.begin())]);
        s += fmt::format("{:>{}}", cell, width);
    }
    return s;
}

}  // namespace earshot::cli
