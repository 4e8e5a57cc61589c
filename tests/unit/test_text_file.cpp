// The safe text-file reader (earshot/core/text_file.hpp), printable messages (earshot/core/error.hpp) and
// the chain of files that name files (ReferenceGuard; listener -> implant, scene -> listener -> implant,
// implant -> implant), tested against what each must do by definition: exact bytes back, a refusal for
// every kind of file that is not regular, the cap at exactly max_bytes, every control character and every
// byte outside valid UTF-8 escaped, cycles of any length and chains one past the depth limit refused.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>

#include "earshot/core/error.hpp"
#include "support/fails_with.hpp"
#include "earshot/core/text_file.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/io/listener_file.hpp"
#include "earshot/io/scene_file.hpp"

namespace earshot {
namespace {

namespace fs = std::filesystem;

class TextFile : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() / (std::string("earshot_textfile_") + info->name() + "_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path write(const std::string& name, const std::string& text) {
        const fs::path p = dir_ / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    fs::path dir_;
};

using test::fails_with;

// --- read_text_file ---------------------------------------------------------------------------------------
TEST_F(TextFile, ReadsEveryByteOfARegularFile) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);  // NUL and every other byte value
    bytes += std::string(70000, 'x');                               // more than one read buffer
    EXPECT_EQ(read_text_file(write("all.bin", bytes), "test file"), bytes);
    EXPECT_EQ(read_text_file(write("empty.txt", ""), "test file"), "");
    // Through a symlink to a regular file: read (only the target's type matters).
    fs::create_symlink(dir_ / "all.bin", dir_ / "link.bin");
    EXPECT_EQ(read_text_file(dir_ / "link.bin", "test file"), bytes);
}

// Files read are recorded (for OutputPlan) only while a front end asks for it, each once.
TEST_F(TextFile, RecordsFilesReadOnlyWhenAskedAndOnce) {
    const fs::path a = write("a.toml", "x = 1\n"), b = write("b.toml", "y = 2\n");
    auto count = [](const fs::path& p) {
        const auto v = text_files_read();
        return std::count(v.begin(), v.end(), p);
    };
    record_text_files_read(false);
    read_text_file(a, "scene file");
    EXPECT_EQ(count(a), 0);
    record_text_files_read(true);
    read_text_file(a, "scene file");
    read_text_file(a, "scene file");
    read_text_file(b, "listener file");
    record_text_files_read(false);
    read_text_file(b, "listener file");
    EXPECT_EQ(count(a), 1);
    EXPECT_EQ(count(b), 1);
}

TEST_F(TextFile, RefusesEverythingThatIsNotARegularFile) {
    ASSERT_EQ(::mkfifo((dir_ / "fifo.json").c_str(), 0600), 0);
    // A FIFO with no writer: refused at once (opening it for reading would otherwise block forever).
    EXPECT_TRUE(fails_with<IoError>([&] { read_text_file(dir_ / "fifo.json", "listener file"); },
                                    {"fifo.json", "FIFO", "not a listener file", "regular files"}));
    fs::create_symlink("/dev/zero", dir_ / "zero.json");
    EXPECT_TRUE(fails_with<IoError>([&] { read_text_file(dir_ / "zero.json", "implant file"); },
                                    {"zero.json", "character device", "not an implant file"}));
    fs::create_directories(dir_ / "d.toml");
    EXPECT_TRUE(fails_with<IoError>([&] { read_text_file(dir_ / "d.toml", "scene file"); }, {"d.toml", "a directory"}));
    EXPECT_TRUE(fails_with<IoError>([&] { read_text_file(dir_ / "none.toml", "scene file"); },
                                    {"none.toml", "cannot open scene file (no such file)"}));
    fs::create_symlink(dir_ / "gone", dir_ / "dangling.json");
    EXPECT_TRUE(fails_with<IoError>([&] { read_text_file(dir_ / "dangling.json", "implant file"); }, {"dangling.json", "no such file"}));
    if (::geteuid() != 0) {
        const fs::path p = write("locked.toml", "x = 1\n");
        fs::permissions(p, fs::perms::none);
        EXPECT_TRUE(fails_with<IoError>([&] { read_text_file(p, "listener file"); }, {"locked.toml", "cannot open", "Permission"}));
    }
}

TEST_F(TextFile, CapIsExactlyMaxBytes) {
    EXPECT_EQ(read_text_file(write("at.txt", std::string(100, 'a')), "test file", 100).size(), 100u);
    EXPECT_TRUE(fails_with<IoError>([&] { read_text_file(write("over.txt", std::string(101, 'a')), "test file", 100); },
                                    {"over.txt", "larger than", "limit for a test file"}));
    // The default cap is 16 MiB: a file one byte over it is refused naming the cap.
    EXPECT_EQ(kMaxTextFileBytes, std::size_t{16} * 1024 * 1024);
    const fs::path big = dir_ / "big.toml";
    { std::ofstream(big, std::ios::binary).close(); }
    fs::resize_file(big, kMaxTextFileBytes + 1);
    EXPECT_TRUE(fails_with<IoError>([&] { read_text_file(big, "scene file"); }, {"big.toml", "16 MiB limit"}));
}

TEST_F(TextFile, CapHoldsForFilesWhoseSizeIsNotKnownAhead) {
    // /proc files are regular but report size 0: the cap must bound what is read, not the reported size.
    const std::string status = read_text_file("/proc/self/status", "test file");
    EXPECT_NE(status.find("Name:"), std::string::npos);
    EXPECT_TRUE(fails_with<IoError>([&] { read_text_file("/proc/self/status", "test file", 8); }, {"/proc/self/status", "larger than"}));
}

// --- printable --------------------------------------------------------------------------------------------
TEST(Printable, EscapesControlCharactersAndInvalidUtf8Only) {
    EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(printable("\x1b[31mred"), "\\x1b[31mred");
    EXPECT_EQ(printable("tab\there\nnl\r\x7f"), "tab\\x09here\\x0anl\\x0d\\x7f");
    EXPECT_EQ(printable("\xc2\x9b"), "\\xc2\\x9b");             // U+009B, the C1 CSI: a control character
    EXPECT_EQ(printable("bis\xff"), "bis\\xff");                // not UTF-8
    EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");             // overlong '/'
    EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");    // a UTF-16 surrogate
    EXPECT_EQ(printable("\xe2\x82"), "\\xe2\\x82");             // truncated sequence
    EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // beyond U+10FFFF
    const std::string ok = "caf\xc3\xa9 \xe2\x82\xac 100 \xf0\x9f\x98\x80 \\ ok";  // é € 😀 and a backslash
    EXPECT_EQ(printable(ok), ok);
    for (int c = 0; c < 256; ++c) {
        const std::string once = printable(std::string(1, static_cast<char>(c)));
        EXPECT_EQ(printable(once), once) << c;  // idempotent: an escaped message can be wrapped again
        for (char ch : once) EXPECT_TRUE(ch >= 0x20 && ch < 0x7f) << c;  // a single byte comes out plain ASCII
    }
}

TEST(Printable, EveryErrorMessageIsPrintableAndWhole) {
    // A NUL in a key must not cut the message short; an ESC must not reach the terminal.
    const ConfigError e(std::string("f.json: unknown key 'a\0b' (accepted: x)", 39));
    EXPECT_STREQ(e.what(), "f.json: unknown key 'a\\x00b' (accepted: x)");
    EXPECT_STREQ(IoError("x\x1b[2Jy").what(), "x\\x1b[2Jy");
}

// --- reference chains ------------------------------------------------------------------------------------
TEST_F(TextFile, ResolveReferenceIsRelativeToTheReferringFile) {
    EXPECT_EQ(resolve_reference("/a/b/scene.toml", "maps/x.json"), fs::path("/a/b/maps/x.json"));
    EXPECT_EQ(resolve_reference("/a/b/scene.toml", "../x.json"), fs::path("/a/x.json"));
    EXPECT_EQ(resolve_reference("/a/b/scene.toml", "/abs/x.json"), fs::path("/abs/x.json"));
    EXPECT_EQ(resolve_reference("scene.toml", "x.json"), fs::path("x.json"));  // no folder: the working directory
    EXPECT_EQ(resolve_reference("", "x.json"), fs::path("x.json"));
}

TEST_F(TextFile, GuardRefusesCyclesOfAnyLengthAndRestoresTheChain) {
    const fs::path a = dir_ / "a.json", b = dir_ / "b.json", c = dir_ / "c.json";
    {
        const ReferenceGuard ga(a);
        EXPECT_TRUE(fails_with<ConfigError>([&] { ReferenceGuard again(a); }, {"a.json -> ", "a.json: a reference cycle"}));
        const ReferenceGuard gb(b);
        const ReferenceGuard gc(c);
        EXPECT_TRUE(fails_with<ConfigError>([&] { ReferenceGuard back(b); }, {"a.json -> ", "b.json -> ", "c.json -> ", "cycle"}));
        // The same file by another spelling is the same file.
        EXPECT_TRUE(fails_with<ConfigError>([&] { ReferenceGuard back(dir_ / "." / "x" / ".." / "a.json"); }, {"cycle"}));
        EXPECT_EQ(ReferenceGuard::chain().size(), 3u);  // the refused ones left nothing on the chain
    }
    EXPECT_TRUE(ReferenceGuard::chain().empty());
    const ReferenceGuard again(a);  // a file may be read again once it is no longer being read
}

TEST_F(TextFile, GuardAcceptsDepthEightAndRefusesNine) {
    std::vector<std::unique_ptr<ReferenceGuard>> chain;
    for (std::size_t i = 0; i <= kMaxReferenceDepth; ++i)  // the top file and 8 references
        chain.push_back(std::make_unique<ReferenceGuard>(dir_ / ("f" + std::to_string(i) + ".json")));
    EXPECT_TRUE(fails_with<ConfigError>([&] { ReferenceGuard deeper(dir_ / "f9.json"); },
                                        {"f0.json -> ", "f8.json -> ", "f9.json", "deeper than 8"}));
    while (!chain.empty()) chain.pop_back();
    EXPECT_TRUE(ReferenceGuard::chain().empty());
}

// --- the readers use them -----------------------------------------------------------------------------------
TEST_F(TextFile, ImplantReferencesResolveBesideTheReferringFile) {
    // maps/a.json names "b.json", which is maps/b.json (not ./b.json).
    write("maps/a.json", "\"b.json\"");
    write("maps/b.json", R"({"preset": "medel-cis", "name": "the b map"})");
    write("b.json", R"({"preset": "nucleus-ace", "name": "wrong b"})");
    EXPECT_EQ(load_implant((dir_ / "maps/a.json").string()).name, "the b map");
    // A listener file's implant is found beside the listener file.
    const fs::path l = write("people/me.toml", "[both]\nimplant = \"../maps/a.json\"\n");
    EXPECT_EQ(read_listener_file(l).left_device.implant->name, "the b map");
}

TEST_F(TextFile, ReferenceChainsOfEightAreReadAndOfNineRefused) {
    // i0 -> i1 -> ... -> i8 (8 references) reads; i0 -> ... -> i9 (9 references) is refused naming the chain.
    for (int i = 0; i < 9; ++i) write("i" + std::to_string(i) + ".json", "\"i" + std::to_string(i + 1) + ".json\"");
    write("i9.json", R"({"name": "end"})");
    EXPECT_EQ(load_implant((dir_ / "i1.json").string()).name, "end");
    EXPECT_TRUE(fails_with<ConfigError>([&] { load_implant((dir_ / "i0.json").string()); },
                                        {"i0.json -> ", "i9.json", "deeper than 8"}));
}

TEST_F(TextFile, CyclesThroughEveryKindOfFileAreOneLine) {
    write("self.json", "\"self.json\"");
    EXPECT_TRUE(fails_with<ConfigError>([&] { load_implant((dir_ / "self.json").string()); }, {"self.json -> ", "self.json: a reference cycle"}));
    write("x.json", "\"y.json\"");
    write("y.json", "\"x.json\"");
    EXPECT_TRUE(fails_with<ConfigError>([&] { load_implant((dir_ / "x.json").string()); }, {"x.json -> ", "y.json -> ", "cycle"}));
    const fs::path l = write("l.toml", "[left]\nimplant = \"self.json\"\n");
    EXPECT_TRUE(fails_with<ConfigError>([&] { read_listener_file(l); }, {"l.toml -> ", "self.json -> ", "cycle"}));
    const fs::path s = write("s.toml", "[[keyframe]]\ntime_s = 0\nlistener = \"l.toml\"\n");
    EXPECT_TRUE(fails_with<ConfigError>([&] { read_scene_file(s); }, {"s.toml:3: keyframe 1: listener: ", "s.toml -> ", "l.toml -> ", "cycle"}));
    EXPECT_TRUE(ReferenceGuard::chain().empty());
}

TEST_F(TextFile, JsonNestingDuplicateKeysAndOverflowAreOneLine) {
    // 64 levels parse (then fail on content), 65 are refused while parsing; 100000 levels do not overflow the stack.
    const auto nested = [](int n) { return std::string(std::size_t(n), '[') + std::string(std::size_t(n), ']'); };
    EXPECT_TRUE(fails_with<ConfigError>([&] { parse_implant_json(nested(64), "deep.json"); }, {"deep.json", "expected an object"}));
    EXPECT_TRUE(fails_with<ConfigError>([&] { parse_implant_json(nested(65), "deep.json"); }, {"deep.json", "nested more than 64"}));
    EXPECT_TRUE(fails_with<ConfigError>([&] { parse_implant_json(nested(100000), "deep.json"); }, {"deep.json", "nested more than 64"}));
    EXPECT_TRUE(fails_with<ConfigError>([&] { read_listener_file(write("deep.json", "{\"a\":" + nested(100000) + "}")); },
                                        {"deep.json", "nested more than 64"}));
    EXPECT_TRUE(fails_with<ConfigError>([&] { parse_implant_json(R"({"bands": 8, "bands": 12})", "dup.json"); },
                                        {"dup.json", "'bands' is given twice"}));
    // The same key in two different objects is no duplicate.
    EXPECT_NO_THROW(read_listener_file(write("two.json", R"({"left": {"freqs_hz": [1000], "hl_db": [10]},
                                                             "right": {"freqs_hz": [1000], "hl_db": [20]}})")));
    EXPECT_TRUE(fails_with<ConfigError>([&] { parse_implant_json(R"({"gain_db": -1e999})", "ov.json"); },
                                        {"ov.json", "number out of range", "-1e999"}));
    EXPECT_TRUE(fails_with<ConfigError>([&] { parse_implant_json("{\"deactivated\": [1e300]}", "big.json"); },
                                        {"big.json", "deactivated", "out of range"}));
}

TEST_F(TextFile, JsonCheckingIsLinearInTheNumberOfObjects) {
    // 300000 objects in one array: a check that rescans the array at every object's end (nlohmann's callback
    // parser does) visits 4.5e10 elements and takes many minutes; a linear pass takes well under a second. The
    // bound (30 s) sits between the two by orders of magnitude either way, on any machine that runs the suite.
    std::string text = "[";
    for (int i = 0; i < 300000; ++i) text += i ? ",{}" : "{}";
    text += "]";
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(fails_with<ConfigError>([&] { parse_implant_json(text, "many.json"); }, {"many.json", "expected an object"}));
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30.0);
}

}  // namespace
}  // namespace earshot
