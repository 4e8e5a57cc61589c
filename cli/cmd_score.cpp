// earshot score REF DEG [--json] [--no-align] [--max-delay-s S]: STOI and ESTOI of DEG (a processed
// version) against REF (the clean speech), after finding and removing DEG's delay.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "commands.hpp"
#include "earshot/io/score_files.hpp"
#include "param_option.hpp"

namespace earshot::cli {

namespace {

namespace fs = std::filesystem;

struct Args {
    std::string ref, deg;
    bool json = false;
    bool no_align = false;
    double max_delay_s = params::max_delay_s.default_value;
};

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) out += fmt::format("\\u{:04x}", c);
                else out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

int run(const Args& a) {
    const IntelligibilityScore s = score_files(a.ref, a.deg, ScoreFilesOptions{!a.no_align, a.max_delay_s});

    if (a.json) {
        fmt::print("{{\"stoi\":{:.6f},\"estoi\":{:.6f},\"delay_s\":{:.6f},\"aligned\":{},\"frames\":{},\"ref\":{},\"deg\":{}}}\n",
                   s.stoi, s.estoi, s.delay_s, a.no_align ? "false" : "true", s.frames_used, json_string(a.ref),
                   json_string(a.deg));
    } else {
        fmt::print("STOI  {:.4f}\n", s.stoi);
        fmt::print("ESTOI {:.4f}\n", s.estoi);
        if (a.no_align)
            fmt::print("delay {:.4f} s (not aligned: --no-align)\n", 0.0);
        else
            fmt::print("delay {:.4f} s\n", s.delay_s);
    }
    return kOk;
}

}  // namespace

Command add_score_command(CLI::App& app) {
    auto a = std::make_shared<Args>();
    CLI::App* sub = app.add_subcommand(
        "score",
        "STOI and ESTOI of DEG against the clean REF (both resampled to 10 kHz; several channels are mixed to "
        "mono; DEG's delay is found by cross-correlation and removed unless --no-align)");
    sub->add_option("ref", a->ref, "clean reference speech")->required()->type_name("REF");
    sub->add_option("deg", a->deg, "degraded/processed version of it (any rate and channel count)")
        ->required()
        ->type_name("DEG");
    sub->add_flag("--json", a->json, "print one JSON object {stoi, estoi, delay_s, aligned, frames, ref, deg}");
    sub->add_flag("--no-align", a->no_align, "score as given (no delay search); the longer file is cut");
    add_number(*sub, params::max_delay_s, a->max_delay_s, "S");
    sub->footer(
        "Examples:\n"
        "  earshot score speech.wav out_N2.wav             # STOI 0..1, ESTOI 0..1, and the delay found\n"
        "  earshot score speech.wav out_N2.wav --json      # one JSON object, for scripts\n"
        "  earshot score speech.wav aligned.wav --no-align --max-delay-s 0\n");
    return {sub, [a] { return run(*a); }};
}

}  // namespace earshot::cli
