// earshot --help describes all of earshot, and every subcommand's --help shows its own examples, each of
// which starts with that subcommand (so an example cannot be a copy of another command's).
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli_helpers.hpp"

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

}  // namespace
}  // namespace earshot::test
