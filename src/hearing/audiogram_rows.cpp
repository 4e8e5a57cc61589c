// A listener's audiograms as table rows (hearing/audiogram_rows.hpp).
#include "earshot/hearing/audiogram_rows.hpp"

#include <algorithm>

namespace earshot {

namespace {
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

}  // namespace earshot
