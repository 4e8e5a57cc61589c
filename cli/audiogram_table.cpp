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
bool same(const Audiogram& a, const Audiogram& b) { return a.freqs_hz == b.freqs_hz && a.hl_db == b.hl_db; }
}  // namespace

std::vector<AudiogramRow> listener_rows(const Listener& l) {
    std::vector<AudiogramRow> rows;
    if (same(l.left.air, l.right.air)) {
        rows.push_back({"both", &l.right.air});
    } else {
        rows.push_back({"right", &l.right.air});
        rows.push_back({"left", &l.left.air});
    }
    if (!l.left.bone.empty() || !l.right.bone.empty()) {
        if (same(l.left.bone, l.right.bone)) {
            rows.push_back({"both bone", &l.right.bone});
        } else {
            if (!l.right.bone.empty()) rows.push_back({"right bone", &l.right.bone});
            if (!l.left.bone.empty()) rows.push_back({"left bone", &l.left.bone});
        }
    }
    return rows;
}

std::vector<double> union_freqs(const std::vector<AudiogramRow>& rows) {
    std::vector<double> f;
    for (const auto& r : rows) f.insert(f.end(), r.audiogram->freqs_hz.begin(), r.audiogram->freqs_hz.end());
    std::sort(f.begin(), f.end());
    f.erase(std::unique(f.begin(), f.end()), f.end());
    return f;
}

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
