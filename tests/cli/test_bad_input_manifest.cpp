// The bad-input catalogue (tests/cli/bad_input.hpp) for `earshot batch MANIFEST` and `earshot render
// --from-sidecar`: a manifest whose own text is wrong is refused before anything renders -- exit 2 (1 for a
// file that cannot be read), one stderr line naming the manifest, the line and the column (and the accepted
// range or names), inputs unchanged, nothing left behind.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/bad_input.hpp"

namespace earshot::test {
namespace {

class BadInput_Manifest : public BadInputTest {
protected:
    void SetUp() override {
        BadInputTest::SetUp();
        write_audio(path("in.wav"), test_signal(16000, 1, 0.5));
    }
    void manifest(const std::string& name, const std::string& text) { std::ofstream(path(name), std::ios::binary) << text; }
    void refused(const std::string& name, const std::string& text, int code, const std::vector<std::string>& names) {
        manifest(name, text);
        expect_refused("batch " + quote(path(name)), code, names);
    }
};

TEST_F(BadInput_Manifest, MissingManifest) { expect_refused("batch " + quote(path("nope.csv")), 1, {"nope.csv"}); }

TEST_F(BadInput_Manifest, ManifestIsADirectory) {
    fs::create_directories(path("d.csv"));
    expect_refused("batch " + quote(path("d.csv")), 1, {"d.csv"});
}

TEST_F(BadInput_Manifest, EmptyCsv) { refused("m.csv", "", 2, {"m.csv", "empty manifest"}); }

TEST_F(BadInput_Manifest, HeaderOnly) { refused("m.csv", "input,output\r\n", 2, {"m.csv", "no rows"}); }

TEST_F(BadInput_Manifest, UnknownColumnWithSuggestion) {
    refused("m.csv", "input,output,listner\nin.wav,o.wav,normal\n", 2, {"m.csv:1", "listner", "did you mean 'listener'"});
}

TEST_F(BadInput_Manifest, NoOutputColumn) {
    refused("m.csv", "input,listener\nin.wav,normal\n", 2, {"m.csv:1", "'output'"});
}

TEST_F(BadInput_Manifest, ColumnTwice) {
    refused("m.csv", "input,output,input\nin.wav,o.wav,in.wav\n", 2, {"m.csv:1", "'input' given twice"});
}

TEST_F(BadInput_Manifest, WrongFieldCount) {
    refused("m.csv", "input,output,listener\nin.wav,o.wav\n", 2, {"m.csv:2", "2 fields", "3"});
}

TEST_F(BadInput_Manifest, EmptyOutputCell) {
    refused("m.csv", "input,output,listener\nin.wav,,normal\n", 2, {"m.csv:2", "output"});
}

TEST_F(BadInput_Manifest, LevelOutOfRange) {
    refused("m.csv", "input,output,listener,level_db_spl\r\nin.wav,o.wav,normal,65\r\nin.wav,p.wav,normal,200\r\n", 2,
            {"m.csv:3", "level_db_spl", "200", "[0, 130]"});
}

TEST_F(BadInput_Manifest, FullScaleNotANumber) {
    refused("m.csv", "input,output,listener,full_scale_db_spl\nin.wav,o.wav,normal,loud\n", 2,
            {"m.csv:2", "full_scale_db_spl", "'loud' is not a number"});
}

TEST_F(BadInput_Manifest, NegativeSeed) {
    refused("m.csv", "input,output,implant,seed\nin.wav,o.wav,nucleus-ace,-3\n", 2, {"m.csv:2", "seed", "-3"});
}

TEST_F(BadInput_Manifest, UnknownFieldName) {
    refused("m.csv", "input,output,listener,field\nin.wav,o.wav,normal,frees\n", 2, {"m.csv:2", "frees", "free"});
}

TEST_F(BadInput_Manifest, UnclosedQuote) {
    refused("m.csv", "input,output\n\"in.wav,o.wav\n", 2, {"m.csv:2", "quoted field is not closed"});
}

TEST_F(BadInput_Manifest, JsonLineNotAnObject) {
    refused("m.jsonl", "{\"input\": \"in.wav\", \"output\": \"o.wav\", \"listener\": \"normal\"}\n[1, 2]\n", 2,
            {"m.jsonl:2", "JSON object"});
}

TEST_F(BadInput_Manifest, JsonLineSyntax) {
    refused("m.jsonl", "{\"input\": \"in.wav\", \"output\": \"o.wav\",}\n", 2, {"m.jsonl:1"});
}

TEST_F(BadInput_Manifest, JsonLevelIsAString) {
    refused("m.jsonl", "{\"input\": \"in.wav\", \"output\": \"o.wav\", \"listener\": \"normal\", \"level_db_spl\": \"65\"}\n", 2,
            {"m.jsonl:1", "level_db_spl", "must be a number"});
}

TEST_F(BadInput_Manifest, JsonMissingInput) {
    refused("m.jsonl", "{\"output\": \"o.wav\", \"listener\": \"normal\"}\n", 2, {"m.jsonl:1", "input", "missing"});
}

TEST_F(BadInput_Manifest, SidecarThatIsNotOne) {
    manifest("s.json", "{\"earshot\": {\"version\": \"0.1.0\"}}\n");
    expect_refused("render --from-sidecar " + quote(path("s.json")), 2, {"s.json", "input", "missing"});
}

TEST_F(BadInput_Manifest, SidecarWithTwoOutputs) {
    manifest("s.json", "{}\n");
    expect_refused("render --from-sidecar " + quote(path("s.json")) + " a.wav b.wav", 2, {"--from-sidecar", "at most one output"});
}

}  // namespace
}  // namespace earshot::test
