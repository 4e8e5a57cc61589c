// earshot --help describes all of earshot, and every subcommand's --help shows its own examples, each of
// which starts with that subcommand (so an example cannot be a copy of another command's).
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>

#include "cli/cli_helpers.hpp"
#include "earshot/core/command_params.hpp"
#include "earshot/core/param.hpp"
#include "earshot/core/stream_params.hpp"

namespace earshot::test {
namespace {

class CliHelp : public CliTest {};

TEST_F(CliHelp, TopLevelDescribesEveryPartOfEarshot) {
    const auto r = run("--help");
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* part : {"Hearing loss", "Implants", "Scenes", "Score", "Electrodogram", "Examples:", "Exit codes"})
        EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
    for (const char* sub : {"render", "presets", "listener", "electrodogram", "score", "scene"})
        EXPECT_NE(r.out.find("earshot " + std::string(sub)), std::string::npos) << "no example of " << sub;
}

TEST_F(CliHelp, EverySubcommandShowsItsOwnExamples) {
    for (const std::string sub : {"render", "presets", "listener show", "electrodogram", "score", "scene check"}) {
        const auto r = run(sub + " --help");
        ASSERT_EQ(r.code, 0) << sub << ": " << r.err;
        const auto at = r.out.find("Examples:");
        ASSERT_NE(at, std::string::npos) << sub << "\n" << r.out;
        std::istringstream lines(r.out.substr(at));
        std::string line;
        std::getline(lines, line);
        int own = 0;
        while (std::getline(lines, line) && line.rfind("  earshot ", 0) == 0)
            own += line.rfind("  earshot " + sub.substr(0, sub.find(' ')), 0) == 0;
        EXPECT_GE(own, 1) << sub << ": no example of its own\n" << r.out;
    }
}

TEST_F(CliHelp, EveryNumericOptionsRangeIsATableEntry) {
    // Every numeric option's range is a ParamSpec (issue 9 item 5): the flag is the spec's id, and the range
    // its help prints is the spec's. A range typed beside a flag, or a spec missing from the tables, fails here.
    std::map<std::string, const ParamSpec*> table;
    for (const ParamSpec* p : {&params::level_db_spl, &params::full_scale_db_spl, &params::limit_dbfs, &params::intensity,
                               &params::crossover_hz, &params::block_frames, &params::jobs, &params::plot_start_s,
                               &params::plot_end_s, &params::max_delay_s, &params::seed})
        table[p->flag()] = p;
    const std::regex option(R"((--[a-z0-9-]+) [A-Z]+:\[(-?[0-9.e+]+), (-?[0-9.e+]+)\])");
    int seen = 0;
    for (const std::string sub : {"render", "presets", "listener show", "electrodogram", "score", "scene check"}) {
        const auto r = run(sub + " --help");
        ASSERT_EQ(r.code, 0) << sub << ": " << r.err;
        for (std::sregex_iterator it(r.out.begin(), r.out.end(), option), end; it != end; ++it, ++seen) {
            const std::string flag = (*it)[1];
            const auto spec = table.find(flag);
            ASSERT_NE(spec, table.end()) << sub << ": " << flag << " has a range but no ParamSpec in the tables";
            EXPECT_EQ(std::stod((*it)[2]), spec->second->min_value) << sub << " " << flag;
            EXPECT_EQ(std::stod((*it)[3]), spec->second->max_value) << sub << " " << flag;
        }
    }
    EXPECT_GE(seen, 12);  // render 7, electrodogram 4, score 1 when this test was written: the pattern finds them
}

}  // namespace
}  // namespace earshot::test
