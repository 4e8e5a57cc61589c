// earshot: renders audio files as a listener with a hearing loss (an audiogram) or a cochlear implant hears
// them, with scenes (hearing that changes over time), intelligibility scores and electrodograms.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "commands.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/temp_file.hpp"
#include "earshot/core/text_file.hpp"
#include "param_option.hpp"

#ifndef EARSHOT_VERSION
#define EARSHOT_VERSION "0.1.0"
#endif

namespace {

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace earshot;
    record_text_files_read(true);  // every description file read is an input no output may overwrite (OutputPlan)
    install_interrupt_handlers();  // SIGINT/SIGTERM/SIGHUP remove temp files, exit 130/143/129 (temp_file.hpp)
    CLI::App app{"earshot " EARSHOT_VERSION
                 " - hear sound as a listener with a hearing loss or a cochlear implant hears it\n\n"
                 "  Hearing loss  an audiogram (a preset such as bisgaard:N2 or iso7029:age=70, or a listener file)\n"
                 "                drives an MSBG-equivalent model: threshold elevation, loudness recruitment,\n"
                 "                broadened auditory filters (spectral smearing); optionally a NAL-R hearing aid.\n"
                 "  Implants      a cochlear-implant preset or implant file (ACE, CIS; electrodes, rate, maxima) is\n"
                 "                auralised with a vocoder; with --listener, electric-acoustic (EAS) or bimodal.\n"
                 "  Scenes        a scene file (TOML) changes the hearing over time: keyframes between listeners,\n"
                 "                devices switched on/off, tinnitus and pops (earshot scene check FILE).\n"
                 "  Score         STOI and ESTOI of a render against the clean speech.\n"
                 "  Electrodogram the implant's pulse pattern as CSV (and a figure).\n"
                 "Outputs keep the input's length, rate and channels, time-aligned with it.",
                 "earshot"};
    app.set_version_flag("--version", "earshot " EARSHOT_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Examples:\n"
        "  earshot presets                                       # listener and implant presets\n"
        "  earshot render speech.wav out.wav --listener bisgaard:N2 --level-db-spl 65\n"
        "  earshot render in_dir/ out_dir/ --listener my_audiogram.toml --hearing-aid nal-r\n"
        "  earshot render speech.wav ci.wav --implant nucleus-ace --level-db-spl 65\n"
        "  earshot render speech.wav eas.wav --listener bisgaard:S2 --implant nucleus-ace --crossover-hz 500\n"
        "  earshot render speech.wav out.wav --scene examples/scenes/story.toml --timeline tl.png\n"
        "  earshot scene check my_scene.toml\n"
        "  earshot score speech.wav out.wav --json\n"
        "  earshot batch corpus.csv --jobs 2                      # manifest rows, resumable, sidecars\n"
        "  earshot electrodogram speech.wav pulses.csv --implant nucleus-ace --plot pulses.png\n"
        "  earshot listener show bisgaard:S2 --plot audiogram.png\n"
        "Each subcommand has its own --help with examples. Files: docs/listener-files.md, docs/implant-files.md,\n"
        "docs/scene-files.md.\n"
        "Exit codes: 0 ok, 1 processing or file error, 2 usage or parameter error.\n");

    const std::vector<cli::Command> commands{cli::add_render_command(app), cli::add_presets_command(app),
                                             cli::add_listener_command(app), cli::add_electrodogram_command(app),
                                             cli::add_score_command(app), cli::add_scene_command(app),
                                             cli::add_batch_command(app)};

    if (const auto msg = cli::unknown_subcommand(app, argc, argv)) {
        std::fprintf(stderr, "earshot: %s\n", one_line(*msg).c_str());
        return cli::kUsage;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ExtrasError& e) {
        const auto msg = cli::unknown_option(app, argc, argv);
        std::fprintf(stderr, "earshot: %s\n",
                     one_line(msg ? *msg : fmt::format("{} (see {} --help)", e.what(), cli::command_path(app, argc, argv)))
                         .c_str());
        return cli::kUsage;
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);
        std::fprintf(stderr, "earshot: %s (see %s --help)\n", one_line(e.what()).c_str(),
                     cli::command_path(app, argc, argv).c_str());
        return cli::kUsage;
    }

    try {
        for (const auto& c : commands)
            if (c.app->parsed()) return c.run();
        return cli::kUsage;
    } catch (const Interrupted& e) {
        std::fprintf(stderr, "earshot: %s\n", e.what());
        return 128 + e.signal_number();
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "earshot: %s\n", one_line(e.what()).c_str());
        return cli::kUsage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "earshot: %s\n", one_line(e.what()).c_str());
        return cli::kFailure;
    }
}
