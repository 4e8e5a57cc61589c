// Structured description errors (issue 9 item 5): every reader reads the one parsed tree of its file (TOML or
// JSON) with one typed reader, and refuses with a KeyError {file, line, key path, message} that is formatted
// to one line only in what(). The lines below are counted by hand from the texts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "earshot/core/key_error.hpp"
#include "earshot/io/implant_file.hpp"
#include "earshot/io/listener_file.hpp"
#include "earshot/io/scene_file.hpp"

namespace earshot {
namespace {

namespace fs = std::filesystem;

KeyError key_error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const KeyError& e) {
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a KeyError: " << e.what();
    }
    ADD_FAILURE() << "accepted";
    return KeyError("", 0, "", "");
}

TEST(KeyError, WhatIsTheOneLineOfItsParts) {
    EXPECT_STREQ(KeyError("s.toml", 12, "keyframe[2].left.hl_db", "130 is out of range").what(),
                 "s.toml:12: keyframe 2: left.hl_db: 130 is out of range");
    EXPECT_STREQ(KeyError("s.toml", 6, "pop[1]", "unknown key 'x'").what(), "s.toml:6: pop 1: unknown key 'x'");
    EXPECT_STREQ(KeyError("m.json", 0, "maxima", "30 is out of range").what(), "m.json: maxima: 30 is out of range");
    EXPECT_STREQ(KeyError("implant", 0, "", "'x' is not a preset").what(), "implant: 'x' is not a preset");
    EXPECT_STREQ(KeyError("", 0, "", "whole").what(), "whole");
}

TEST(KeyError, JsonImplantKeysCarryTheirLines) {
    const auto e = key_error_of([] { (void)parse_implant_json("{\n  \"bands\": 8,\n\n  \"maxima\": 30\n}\n", "m.json"); });
    EXPECT_EQ(e.file(), "m.json");
    EXPECT_EQ(e.line(), 4);
    EXPECT_EQ(e.key_path(), "maxima");
    EXPECT_EQ(e.message(), "30 is out of range [1, bands = 8]");
    EXPECT_STREQ(e.what(), "m.json:4: maxima: 30 is out of range [1, bands = 8]");
}

TEST(KeyError, UnknownKeyNamesItsLineAndTheNearestKey) {
    const auto e = key_error_of([] { (void)parse_implant_json("{\"bands\": 8,\n\"maxima\": 4,\n\"bandz\": 8}", "u.json"); });
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.key_path(), "");
    EXPECT_EQ(e.message(), "unknown key 'bandz' (see docs/implant-files.md); did you mean bands?");
}

TEST(KeyError, AValueOfTheWrongTypeInAnArrayIsPlacedAtItsOwnLine) {
    const auto e = key_error_of([] { (void)parse_implant_json("{\"t_level\": [100,\n100,\n\"x\"]}", "t.json"); });
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.key_path(), "t_level");
    EXPECT_EQ(e.message(), "value 3: expected a number, got a string");
}

class KeyErrorFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("earshot_key_error_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
        return (dir_ / name).string();
    }
    fs::path dir_;
};

TEST_F(KeyErrorFiles, AnImplantInsideAListenerFileIsNamedByItsPathInThatFile) {
    const auto json = write("l.json", "{\"left\": {\"freqs_hz\": [1000], \"hl_db\": [20]},\n"
                                      " \"right\": {\n   \"implant\": {\n     \"preset\": \"nucleus-ace\",\n     \"maxima\": 30}}}\n");
    const auto e = key_error_of([&] { (void)read_listener_file(json); });
    EXPECT_EQ(e.file(), json);
    EXPECT_EQ(e.line(), 5);
    EXPECT_EQ(e.key_path(), "right.implant.maxima");
    EXPECT_EQ(e.message(), "30 is out of range [1, bands = 22]");

    const auto toml = write("l.toml", "[left]\nfreqs_hz = [1000]\nhl_db = [20]\n[right.implant]\nstrategy = \"cis\"\n\nmaxima = 8\n");
    const auto t = key_error_of([&] { (void)read_listener_file(toml); });
    EXPECT_EQ(t.line(), 7);
    EXPECT_EQ(t.key_path(), "right.implant.maxima");
    EXPECT_EQ(t.message(), "CIS stimulates every channel; use strategy ace for n-of-m");
}

TEST_F(KeyErrorFiles, ListenerAndSceneKeysCarryLineAndPath) {
    const auto l = key_error_of([&] { (void)read_listener_file(write("a.toml", "name = \"a\"\n[both]\nfreqs_hz = [1000]\nhl_db = [130]\n")); });
    EXPECT_EQ(l.line(), 4);
    EXPECT_EQ(l.key_path(), "both.hl_db");
    EXPECT_EQ(l.message(), "at 1000 Hz: 130 is out of range [-10, 120] dB HL");

    const auto s = key_error_of([] {
        (void)parse_scene_toml("[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n[[keyframe]]\ntime_s = 1\nseverity = 3\n", "s.toml");
    });
    EXPECT_EQ(s.file(), "s.toml");
    EXPECT_EQ(s.line(), 6);
    EXPECT_EQ(s.key_path(), "keyframe[2].severity");
    EXPECT_STREQ(s.what(), "s.toml:6: keyframe 2: severity: 3 is out of range [0, 2]");
}

}  // namespace
}  // namespace earshot
