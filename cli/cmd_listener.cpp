// earshot listener show PRESET|FILE [--plot FILE.png|.svg]: prints a listener's audiogram, optionally plots it.
#include <fmt/format.h>

#include <memory>
#include <string>
#include <system_error>

#include "audiogram_table.hpp"
#include "commands.hpp"
#include "earshot/hearing/listener.hpp"
#include "earshot/io/listener_file.hpp"
#include "earshot/io/output_plan.hpp"
#include "earshot/io/render_params.hpp"
#include "earshot/hearing/hearing_grade.hpp"
#include "earshot/plots/plot_audiogram.hpp"

namespace earshot::cli {

namespace {

struct ShowArgs {
    std::string listener;
    std::string plot;
};

int show(const ShowArgs& a) {
    const Listener l = resolve_listener(a.listener);
    if (!a.plot.empty()) {  // nothing overwritten: the plot is not the listener file nor any file it names
        OutputPlan plan;
        add_side_inputs(plan, a.listener, "", "", "", "");
        plan.add_output(a.plot, "--plot");
    }
    fmt::print("listener: {}\n", l.name.empty() ? a.listener : l.name);
    if (!l.description.empty()) fmt::print("description: {}\n", l.description);
    const auto rows = listener_rows(l);
    const auto freqs = union_freqs(rows);
    constexpr int kCell = 7;
    std::string header = fmt::format("{:<12}", "Hz");
    for (double f : freqs) header += fmt::format("{:>{}}", freq_label(f), kCell);
    fmt::print("{}\n", header);
    for (const auto& r : rows) fmt::print("{:<12}{}   dB HL\n", r.label, row_cells(*r.audiogram, freqs, kCell));
    const double pr = pta4_db(l.right.air), pl = pta4_db(l.left.air);
    fmt::print("4-frequency average (0.5-4 kHz): right {:.1f} dB HL ({}), left {:.1f} dB HL ({})\n", pr, who_grade(pr),
               pl, who_grade(pl));
    if (!a.plot.empty()) {
        plot_audiogram(l, a.plot);
        fmt::print("wrote {}\n", a.plot);
    }
    return kOk;
}

}  // namespace

Command add_listener_command(CLI::App& app) {
    auto a = std::make_shared<ShowArgs>();
    CLI::App* sub = app.add_subcommand("listener", "inspect a listener (preset or file)");
    sub->require_subcommand(1);
    CLI::App* s = sub->add_subcommand("show", "print the audiogram; --plot draws it (clinical conventions)");
    s->add_option("listener", a->listener, "preset id or listener file (.json/.toml)")->required()->type_name("PRESET|FILE");
    s->add_option("--plot", a->plot, "write the audiogram as a PNG (or SVG by extension)")->type_name("FILE");
    const char* examples =
        "Examples:\n"
        "  earshot listener show bisgaard:S2\n"
        "  earshot listener show my_audiogram.toml --plot audiogram.png\n"
        "  earshot listener show clarity_listeners.json#L0001 --plot L0001.svg\n";
    sub->footer(examples);
    s->footer(examples);
    return {sub, [a] { return show(*a); }};
}

}  // namespace earshot::cli
