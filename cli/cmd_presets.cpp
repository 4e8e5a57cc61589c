// earshot presets: every preset with its description and audiogram, as one table.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "audiogram_table.hpp"
#include "commands.hpp"
#include "earshot/implant/implant_params.hpp"
#include "earshot/hearing/presets.hpp"

namespace earshot::cli {

namespace {

int run() {
    struct Entry {
        PresetInfo info;
        Listener listener;
    };
    std::vector<Entry> entries;
    for (auto& p : list_presets()) entries.push_back({p, make_preset(p.id)});

    std::vector<AudiogramRow> all;
    std::size_t id_width = 6;
    for (const auto& e : entries) {
        for (const auto& r : listener_rows(e.listener)) all.push_back(r);
        id_width = std::max(id_width, e.info.id.size());
    }
    const std::vector<double> freqs = union_freqs(all);
    constexpr int kCell = 6;
    constexpr int kEar = 11;

    std::string header = fmt::format("{:<{}}  {:<{}}", "preset", id_width, "ear", kEar);
    for (double f : freqs) header += fmt::format("{:>{}}", freq_label(f), kCell);
    fmt::print("{}   (dB HL at Hz)\n", header);
    for (const auto& e : entries) {
        const auto rows = listener_rows(e.listener);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            fmt::print("{:<{}}  {:<{}}{}", i == 0 ? e.info.id : std::string(), id_width, rows[i].label, kEar,
                       row_cells(*rows[i].audiogram, freqs, kCell));
            if (i == 0) fmt::print("   {}", e.info.description);
            fmt::print("\n");
        }
    }
    fmt::print("\nParameterised families take other values too, e.g. iso7029:age=70,sex=female,percentile=90.\n"
               "'-' = not measured (the model extends an audiogram flat beyond its first and last point).\n");
    fmt::print("\nImplant presets (--implant; approximations of typical maps, not fittings; keys in docs/implant-files.md):\n");
    std::size_t w = 0;
    for (const auto& i : implant_presets()) w = std::max(w, i.id.size());
    for (const auto& i : implant_presets()) fmt::print("{:<{}}  {}\n", i.id, w, i.description);
    return kOk;
}

}  // namespace

Command add_presets_command(CLI::App& app) {
    CLI::App* sub = app.add_subcommand("presets", "list the listener presets (audiograms) and the implant presets");
    sub->footer(
        "Examples:\n"
        "  earshot presets\n"
        "  earshot listener show iso7029:age=70,sex=female,percentile=90   # one parameterised preset\n"
        "  earshot render speech.wav out.wav --listener bisgaard:N3        # use a preset id from the table\n");
    return {sub, [] { return run(); }};
}

}  // namespace earshot::cli
