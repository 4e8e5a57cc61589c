// Listener files: every accepted form (earshot TOML/JSON schema, Clarity listener JSON, listeners files
// with #ID) and every error case, whose one-line message must name the file and the field.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>

#include "earshot/core/error.hpp"
#include "support/fails_with.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/io/listener_file.hpp"

namespace earshot {
namespace {

namespace fs = std::filesystem;

class ListenerFile : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               (std::string("earshot_listener_") + info->name() + "_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string write(const std::string& name, const std::string& text) {
        const fs::path p = dir_ / name;
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
    fs::path dir_;
};

using test::fails_with;

#define EXPECT_CONFIG_ERROR(path, ...) \
    EXPECT_TRUE(fails_with<ConfigError>([&] { read_listener_file(path); }, {__VA_ARGS__}))
#define EXPECT_IO_ERROR(path, ...) EXPECT_TRUE(fails_with<IoError>([&] { read_listener_file(path); }, {__VA_ARGS__}))

// --- accepted forms ---------------------------------------------------------------------------------------
TEST_F(ListenerFile, TomlBothEars) {
    const auto p = write("granny.toml", R"(
name = "Granny"
description = "age-related, both ears alike"
[both]
freqs_hz = [250, 500, 1000, 2000, 4000, 8000]
hl_db = [10, 10, 15, 30, 50.5, 65]
)");
    const Listener l = read_listener_file(p);
    EXPECT_EQ(l.name, "Granny");
    EXPECT_EQ(l.description, "age-related, both ears alike");
    const std::vector<double> f{250, 500, 1000, 2000, 4000, 8000}, hl{10, 10, 15, 30, 50.5, 65};
    EXPECT_EQ(l.left.air.freqs_hz, f);
    EXPECT_EQ(l.left.air.hl_db, hl);
    EXPECT_EQ(l.right.air.hl_db, hl);
    EXPECT_TRUE(l.left.bone.empty());
}

TEST_F(ListenerFile, TomlEachEarWithBone) {
    const auto p = write("mixed.toml", R"(
[left]
freqs_hz = [500, 1000, 2000, 4000]
hl_db = [40, 45, 50, 60]
bone_freqs_hz = [500, 1000, 2000, 4000]
bone_hl_db = [10, 15, 25, 55]
[right]
freqs_hz = [500, 1000, 2000, 4000]
hl_db = [20, 20, 25, 30]
)");
    const Listener l = read_listener_file(p);
    EXPECT_EQ(l.name, "mixed");  // file stem without a name
    EXPECT_EQ(l.left.bone.hl_db, (std::vector<double>{10, 15, 25, 55}));
    EXPECT_DOUBLE_EQ(l.left.conductive_db(1000), 30.0);
    EXPECT_EQ(l.right.air.hl_db, (std::vector<double>{20, 20, 25, 30}));
    EXPECT_TRUE(l.right.bone.empty());
}

TEST_F(ListenerFile, TomlPresetAsBase) {
    const Listener only = read_listener_file(write("p.toml", "preset = \"bisgaard:N2\"\n"));
    EXPECT_EQ(only.left.air.hl_db, make_preset("bisgaard:N2").left.air.hl_db);
    EXPECT_NE(only.description.find("bisgaard:N2"), std::string::npos);
    const Listener l = read_listener_file(write("q.toml", R"(
name = "N2 with a worse right ear and a conductive left"
preset = "bisgaard:N2"
[left]
bone_freqs_hz = [500, 1000]
bone_hl_db = [5, 10]
[right]
freqs_hz = [1000, 4000]
hl_db = [60, 80]
)"));
    EXPECT_EQ(l.left.air.hl_db, make_preset("bisgaard:N2").left.air.hl_db);
    EXPECT_EQ(l.left.bone.hl_db, (std::vector<double>{5, 10}));
    EXPECT_EQ(l.right.air.freqs_hz, (std::vector<double>{1000, 4000}));
}

TEST_F(ListenerFile, JsonSameSchema) {
    const Listener both = read_listener_file(write("a.json", R"({
  "name": "A", "description": "json",
  "both": {"freqs_hz": [250, 1000, 4000], "hl_db": [5, 20, 40]}
})"));
    EXPECT_EQ(both.name, "A");
    EXPECT_EQ(both.right.air.hl_db, (std::vector<double>{5, 20, 40}));
    const Listener lr = read_listener_file(write("b.json", R"({
  "left":  {"freqs_hz": [250, 1000], "hl_db": [5, 20], "bone_freqs_hz": [1000], "bone_hl_db": [0]},
  "right": {"freqs_hz": [250, 1000], "hl_db": [30, 40]}
})"));
    EXPECT_EQ(lr.left.bone.freqs_hz, (std::vector<double>{1000}));
    EXPECT_EQ(lr.right.air.hl_db, (std::vector<double>{30, 40}));
    const Listener pre = read_listener_file(write("c.JSON", R"({"preset": "iso7029:age=70,sex=female"})"));
    EXPECT_EQ(pre.left.air.hl_db, make_preset("iso7029:age=70,sex=female").left.air.hl_db);
}

TEST_F(ListenerFile, ClaritySingleListener) {
    const auto p = write("L0001.json", R"({"name": "L0001",
  "audiogram_cfs": [250, 500, 1000, 2000, 3000, 4000, 6000, 8000],
  "audiogram_levels_l": [10, 10, 20, 30, 40, 55, 60, 65],
  "audiogram_levels_r": [15, 15, 25, 35, 45, 60, 65, 70],
  "extra_field_from_the_toolkit": true})");
    const Listener l = read_listener_file(p);
    EXPECT_EQ(l.name, "L0001");
    EXPECT_EQ(l.left.air.freqs_hz.size(), 8u);
    EXPECT_EQ(l.left.air.hl_db[7], 65.0);
    EXPECT_EQ(l.right.air.hl_db[0], 15.0);
    EXPECT_EQ(read_listener_file(p + "#L0001").name, "L0001");
    EXPECT_CONFIG_ERROR(p + "#L0002", "L0001.json#L0002", "L0002");
}

TEST_F(ListenerFile, ClarityListenersFile) {
    const std::string one = R"({"L0042": {"name": "L0042", "audiogram_cfs": [500, 1000],
      "audiogram_levels_l": [20, 30], "audiogram_levels_r": [25, 35]}})";
    EXPECT_EQ(read_listener_file(write("one.json", one)).name, "L0042");
    const auto p = write("listeners.json", R"({
  "L0001": {"name": "L0001", "audiogram_cfs": [500, 1000], "audiogram_levels_l": [20, 30], "audiogram_levels_r": [25, 35]},
  "L0002": {"audiogram_cfs": [500, 1000], "audiogram_levels_l": [50, 60], "audiogram_levels_r": [55, 65]}
})");
    EXPECT_CONFIG_ERROR(p, "listeners.json", "2 Clarity listeners", "L0001, L0002", "#ID");
    const Listener l2 = read_listener_file(p + "#L0002");
    EXPECT_EQ(l2.name, "L0002");  // no name field: the id
    EXPECT_EQ(l2.right.air.hl_db, (std::vector<double>{55, 65}));
    EXPECT_EQ(read_listener_file(p, "L0001").left.air.hl_db, (std::vector<double>{20, 30}));
    EXPECT_CONFIG_ERROR(p + "#L0009", "listeners.json#L0009", "no listener 'L0009'");
    // resolve_listener understands the selector too.
    EXPECT_EQ(resolve_listener(p + "#L0002").name, "L0002");
}

TEST_F(ListenerFile, ResolvePresetOrFile) {
    EXPECT_EQ(resolve_listener("bisgaard:S2").name, "bisgaard:S2");
    EXPECT_EQ(resolve_listener("normal").name, "normal");
    EXPECT_EQ(resolve_listener("noise-notch").name.substr(0, 11), "noise-notch");
    EXPECT_EQ(resolve_listener("sudden-profound").name, "sudden-profound");
    EXPECT_EQ(resolve_listener("iso7029:age=50,sex=male").left.air.freqs_hz.size(), 11u);
    const auto p = write("me.toml", "[both]\nfreqs_hz = [1000]\nhl_db = [30]\n");
    EXPECT_EQ(resolve_listener(p).name, "me");
    EXPECT_TRUE(fails_with<ConfigError>([] { resolve_listener("bisgard:N2"); },
                                        {"unknown preset 'bisgard:N2'", "known:", "listener file"}));
    EXPECT_TRUE(fails_with<ConfigError>([] { resolve_listener("iso7029:age=10,sex=male"); }, {"[18, 100]"}));
    EXPECT_TRUE(fails_with<IoError>([&] { resolve_listener((dir_ / "absent.toml").string()); },
                                    {"absent.toml", "no such"}));
    EXPECT_TRUE(fails_with<ConfigError>([] { resolve_listener(""); }, {"--listener"}));
}

// --- errors -------------------------------------------------------------------------------------------------
TEST_F(ListenerFile, FileErrors) {
    EXPECT_IO_ERROR((dir_ / "missing.toml").string(), "missing.toml", "cannot open listener file (no such file)");
    fs::create_directories(dir_ / "d.toml");
    EXPECT_IO_ERROR((dir_ / "d.toml").string(), "d.toml", "directory");
    EXPECT_IO_ERROR(write("listener.yaml", "a: 1"), "listener.yaml", "'.yaml'", ".toml, .json");
    if (::geteuid() != 0) {  // root reads anything
        const auto p = write("locked.toml", "name = \"x\"\n");
        fs::permissions(p, fs::perms::none);
        EXPECT_IO_ERROR(p, "locked.toml", "cannot open");
    }
}

TEST_F(ListenerFile, ParseErrorsCarryLineNumbers) {
    const auto t = write("broken.toml", "name = \"x\"\n[both]\nfreqs_hz = [250, 500\nhl_db = [1, 2]\n");
    EXPECT_IO_ERROR(t, "broken.toml:", "TOML parse error");
    try {
        read_listener_file(t);
    } catch (const IoError& e) {
        EXPECT_TRUE(std::string(e.what()).find("broken.toml:4:") != std::string::npos ||
                    std::string(e.what()).find("broken.toml:3:") != std::string::npos)
            << e.what();
    }
    const auto j = write("broken.json", "{\n  \"name\": \"x\",\n  \"both\": {\"freqs_hz\": [250,, 500]}\n}\n");
    EXPECT_IO_ERROR(j, "broken.json:3:", "JSON parse error");
    EXPECT_IO_ERROR(write("empty.json", ""), "empty.json:1:", "JSON parse error");
}

TEST_F(ListenerFile, UnknownKeys) {
    EXPECT_CONFIG_ERROR(write("u.toml", "name = \"x\"\ncolour = \"red\"\nsize = 3\n[both]\nfreqs_hz = [1000]\nhl_db = [0]\n"),
                        "u.toml", "unknown keys", "colour", "size", "accepted: name, description, preset");
    EXPECT_CONFIG_ERROR(write("v.json", R"({"both": {"freqs_hz": [1000], "hl_db": [0], "hl": [1]}})"), "v.json",
                        "both", "unknown key 'hl'", "freqs_hz, hl_db, bone_freqs_hz, bone_hl_db");
}

TEST_F(ListenerFile, MismatchedLengths) {
    EXPECT_CONFIG_ERROR(write("m.toml", "[both]\nfreqs_hz = [250, 500, 1000]\nhl_db = [1, 2]\n"), "m.toml",
                        "both.hl_db: 2 values but both.freqs_hz has 3");
    EXPECT_CONFIG_ERROR(write("c.json", R"({"audiogram_cfs": [250, 500], "audiogram_levels_l": [1, 2],
        "audiogram_levels_r": [1]})"),
                        "c.json", "audiogram_levels_r: 1 values but audiogram_cfs has 2");
    EXPECT_CONFIG_ERROR(write("e.toml", "[both]\nfreqs_hz = []\nhl_db = []\n"), "e.toml", "both.freqs_hz", "empty");
}

TEST_F(ListenerFile, NonAscendingFrequencies) {
    EXPECT_CONFIG_ERROR(write("n.toml", "[left]\nfreqs_hz = [250, 1000, 500]\nhl_db = [1, 2, 3]\n"
                                        "[right]\nfreqs_hz = [250]\nhl_db = [1]\n"),
                        "n.toml", "left.freqs_hz", "strictly ascending", "500 Hz after 1000 Hz");
    EXPECT_CONFIG_ERROR(write("d.toml", "[both]\nfreqs_hz = [250, 250]\nhl_db = [1, 2]\n"), "d.toml",
                        "both.freqs_hz", "ascending");
}

TEST_F(ListenerFile, OutOfRangeValues) {
    EXPECT_CONFIG_ERROR(write("f.toml", "[both]\nfreqs_hz = [100, 1000]\nhl_db = [1, 2]\n"), "f.toml",
                        "both.freqs_hz: value 1", "100 is out of range [125, 16000] Hz");
    EXPECT_CONFIG_ERROR(write("g.toml", "[both]\nfreqs_hz = [250, 20000]\nhl_db = [1, 2]\n"), "g.toml",
                        "both.freqs_hz: value 2", "[125, 16000] Hz");
    EXPECT_CONFIG_ERROR(write("h.toml", "[both]\nfreqs_hz = [250, 1000]\nhl_db = [1, 130]\n"), "h.toml",
                        "both.hl_db: at 1000 Hz", "130 is out of range [-10, 120] dB HL");
    EXPECT_CONFIG_ERROR(write("i.json", R"({"audiogram_cfs": [250], "audiogram_levels_l": [-20],
        "audiogram_levels_r": [0]})"),
                        "i.json", "audiogram_levels_l: at 250 Hz", "[-10, 120] dB HL");
    EXPECT_CONFIG_ERROR(write("nan.toml", "[both]\nfreqs_hz = [250]\nhl_db = [nan]\n"), "nan.toml", "both.hl_db",
                        "out of range");
}

TEST_F(ListenerFile, BoneWorseThanAir) {
    // Up to 10 dB above air is accepted (test-retest variability); more is an error.
    EXPECT_NO_THROW(read_listener_file(write("ok.toml", "[both]\nfreqs_hz = [500, 1000]\nhl_db = [20, 30]\n"
                                                         "bone_freqs_hz = [1000]\nbone_hl_db = [40]\n")));
    EXPECT_CONFIG_ERROR(write("bad.toml", "[left]\nfreqs_hz = [500, 1000]\nhl_db = [20, 30]\n"
                                          "bone_freqs_hz = [500, 1000]\nbone_hl_db = [20, 41]\n"
                                          "[right]\nfreqs_hz = [500]\nhl_db = [20]\n"),
                        "bad.toml", "left.bone_hl_db: at 1000 Hz", "41 dB HL", "air + 10 dB");
    EXPECT_CONFIG_ERROR(write("half.toml", "[both]\nfreqs_hz = [500]\nhl_db = [20]\nbone_hl_db = [10]\n"),
                        "half.toml", "both", "both.bone_hl_db: given without bone_freqs_hz");
}

TEST_F(ListenerFile, WrongTypes) {
    EXPECT_CONFIG_ERROR(write("t1.toml", "[both]\nfreqs_hz = [500]\nhl_db = \"loud\"\n"), "t1.toml", "both.hl_db",
                        "expected an array of numbers, got a string");
    EXPECT_CONFIG_ERROR(write("t2.json", R"({"both": {"freqs_hz": [500, "1k"], "hl_db": [1, 2]}})"), "t2.json",
                        "both.freqs_hz: value 2", "expected a number, got a string");
    EXPECT_CONFIG_ERROR(write("t3.toml", "name = 3\n[both]\nfreqs_hz = [500]\nhl_db = [1]\n"), "t3.toml", "name",
                        "expected a string, got a number");
    EXPECT_CONFIG_ERROR(write("t4.json", R"({"left": 5, "right": {"freqs_hz": [500], "hl_db": [1]}})"), "t4.json",
                        "left", "expected an object", "got a number");
    EXPECT_CONFIG_ERROR(write("t5.json", "[1, 2]"), "t5.json", "top level", "got an array");
    EXPECT_CONFIG_ERROR(write("t6.toml", "when = 1979-05-27\n"), "t6.toml", "when", "dates and times");
    EXPECT_CONFIG_ERROR(write("t7.json", R"({"audiogram_cfs": [500], "audiogram_levels_l": [null],
        "audiogram_levels_r": [1]})"),
                        "t7.json", "audiogram_levels_l: value 1", "got null");
    EXPECT_CONFIG_ERROR(write("t8.toml", "preset = 5\n"), "t8.toml", "preset", "expected a string");
}

TEST_F(ListenerFile, MissingOrConflictingEars) {
    EXPECT_CONFIG_ERROR(write("l.toml", "[left]\nfreqs_hz = [500]\nhl_db = [1]\n"), "l.toml", "right",
                        "no air-conduction thresholds");
    EXPECT_CONFIG_ERROR(write("none.toml", "name = \"nobody\"\n"), "none.toml", "both ears", "preset");
    EXPECT_CONFIG_ERROR(write("x.toml", "[both]\nfreqs_hz = [500]\nhl_db = [1]\n[left]\nfreqs_hz = [500]\nhl_db = [1]\n"),
                        "x.toml", "both", "cannot be combined with left/right");
    EXPECT_CONFIG_ERROR(write("y.toml", "[both]\nfreqs_hz = [500]\n"), "y.toml", "both",
                        "both.freqs_hz: given without hl_db");
    EXPECT_CONFIG_ERROR(write("z.toml", "[left]\nbone_freqs_hz = [500]\nbone_hl_db = [1]\n"
                                        "[right]\nfreqs_hz = [500]\nhl_db = [1]\n"),
                        "z.toml", "left", "no air-conduction thresholds");
}

TEST_F(ListenerFile, BadPresetInFile) {
    EXPECT_CONFIG_ERROR(write("bp.toml", "preset = \"bisgaard:N9\"\n"), "bp.toml", "preset",
                        "unknown preset 'bisgaard:N9'");
    EXPECT_CONFIG_ERROR(write("bq.toml", "preset = \"iso7029:age=200,sex=male\"\n"), "bq.toml", "preset",
                        "[18, 100]");
}

TEST_F(ListenerFile, ClarityErrors) {
    EXPECT_CONFIG_ERROR(write("cl.json", R"({"audiogram_cfs": [500], "audiogram_levels_l": [1]})"), "cl.json",
                        "audiogram_levels_r", "missing");
    const auto many = write("many.json", R"({
  "A": {"audiogram_cfs": [500], "audiogram_levels_l": [1], "audiogram_levels_r": [1]},
  "B": {"audiogram_cfs": [500, 400], "audiogram_levels_l": [1, 2], "audiogram_levels_r": [1, 2]}})");
    EXPECT_CONFIG_ERROR(many + "#B", "many.json", "B.audiogram_cfs", "ascending");
    EXPECT_CONFIG_ERROR(write("own.toml", "[both]\nfreqs_hz = [500]\nhl_db = [1]\n") + "#X", "own.toml#X",
                        "Clarity listeners file");
}

TEST_F(ListenerFile, ShippedExamplesAreValid) {
    const std::string ex = EARSHOT_TEST_DATA "/../../examples/listeners/";
    const Listener t = read_listener_file(ex + "conductive-left.toml");
    EXPECT_EQ(t.name, "conductive-left");
    EXPECT_GT(t.left.conductive_db(500), 20.0);
    const Listener j = read_listener_file(ex + "drummer.json");
    EXPECT_EQ(j.right.air.hl_db, make_preset("bisgaard:N1").right.air.hl_db);
    EXPECT_EQ(resolve_listener(ex + "clarity-listeners.json#L0002").name, "L0002");
}

}  // namespace
}  // namespace earshot
