// earshot: renders audio files as a listener with a given audiogram hears them.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "commands.hpp"
#include "earshot/core/error.hpp"
#include "earshot/core/temp_file.hpp"

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
    install_interrupt_handlers();  // SIGINT/SIGTERM/SIGHUP remove temp files, exit 130/143/129 (temp_file.hpp)
    CLI::App app{"earshot " EARSHOT_VERSION
                 " - hear audio as a listener with a given audiogram does (MSBG hearing-loss model)",
                 "earshot"};
    app.set_version_flag("--version", "earshot " EARSHOT_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Examples:\n"
        "  earshot render speech.wav out.wav --listener bisgaard:N2 --level-db-spl 65\n"
        "  earshot render in_dir/ out_dir/ --listener my_audiogram.toml\n"
        "  earshot presets\n"
        "  earshot listener show bisgaard:S2 --plot audiogram.png\n"
        "Exit codes: 0 ok, 1 processing or file error, 2 usage or parameter error.\n");

    const std::vector<cli::Command> commands{cli::add_render_command(app), cli::add_presets_command(app),
                                             cli::add_listener_command(app), cli::add_electrodogram_command(app),
                                             cli::add_score_command(app), cli::add_scene_command(app)};

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);
        std::fprintf(stderr, "earshot: %s (see earshot --help)\n", one_line(e.what()).c_str());
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
