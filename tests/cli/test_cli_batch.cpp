// `earshot batch MANIFEST` and `earshot render --from-sidecar` as a user runs them (docs/batch.md): the same
// samples as `earshot render` for the acceptance cases of issue 10 (listener, implant, EAS, scene with a body
// bus, mono -> stereo, a 96 kHz file), with the engines reused across rows; sidecars that reproduce a render;
// resume after a kill; failures listed while the other rows complete.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstring>
#include <map>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "cli/cli_helpers.hpp"
#include "support/sha256.hpp"

using namespace earshot::test;

namespace {

struct Case {
    const char* name;
    int rate;
    std::size_t channels;
    std::string render_flags;  // for `earshot render`
    std::string csv_cells;     // the same, as manifest cells for the columns below
};

// Columns: input,output,listener,implant,scene,body,level_db_spl,full_scale_db_spl,seed
const std::vector<Case>& cases() {
    static const std::vector<Case> c{
        {"listener", 44100, 1, "--listener bisgaard:N2 --level-db-spl 65", "bisgaard:N2,,,,65,,"},
        {"implant", 16000, 1, "--implant nucleus-ace --level-db-spl 65", ",nucleus-ace,,,65,,"},
        {"eas", 44100, 1, "--listener bisgaard:S2 --implant nucleus-ace --full-scale-db-spl 105", "bisgaard:S2,nucleus-ace,,,,105,"},
        {"scene_body", 44100, 1, "--scene s.toml --body body.wav", ",,s.toml,body.wav,,,"},
        {"mono_to_stereo", 22050, 1, "--listener asym.toml --level-db-spl 70", "asym.toml,,,,70,,"},
        {"rate_96k", 96000, 2, "--listener bisgaard:N3 --full-scale-db-spl 95", "bisgaard:N3,,,,,95,"},
    };
    return c;
}

class CliBatch : public CliTest {
protected:
    void SetUp() override {
        CliTest::SetUp();
        std::ofstream(path("s.toml")) << "[[keyframe]]\ntime_s = 0\nlistener = \"normal\"\n"
                                          "[[keyframe]]\ntime_s = 0.4\nlistener = \"bisgaard:N3\"\n"
                                          "[keyframe.transition]\nduration_s = 0.2\n";
        std::ofstream(path("asym.toml")) << "[left]\nfreqs_hz = [250, 1000, 4000]\nhl_db = [10, 20, 30]\n"
                                             "[right]\nfreqs_hz = [250, 1000, 4000]\nhl_db = [30, 50, 70]\n";
        write_audio(path("body.wav"), test_signal(44100, 1, 1.0));
        for (const Case& c : cases()) {
            write_audio(path(std::string(c.name) + ".wav"), test_signal(c.rate, c.channels, 1.0));
            Audio b = test_signal(c.rate, c.channels, 1.0);  // a second input of the same kind (another file)
            for (auto& ch : b.ch)
                for (float& v : ch) v *= 0.5f;
            write_audio(path(std::string(c.name) + "_b.wav"), b);
        }
    }
    static std::string header() { return "input,output,listener,implant,scene,body,level_db_spl,full_scale_db_spl,seed\n"; }
    // Every case twice (file a, file b, then a again under another output name: the engine cache's hit).
    void write_manifest(const std::string& name, const std::string& out_dir) {
        std::ofstream m(path(name), std::ios::binary);
        m << header();
        for (const std::string suffix : {"", "_b"})
            for (const Case& c : cases())
                m << c.name << suffix << ".wav," << out_dir << "/" << c.name << suffix << ".wav," << c.csv_cells << "\r\n";
        for (const Case& c : cases()) m << c.name << ".wav," << out_dir << "/" << c.name << "_again.wav," << c.csv_cells << "\r\n";
    }
    void render_reference() {
        for (const std::string suffix : {"", "_b"})
            for (const Case& c : cases()) {
                std::string flags = c.render_flags;
                for (const char* f : {"s.toml", "body.wav", "asym.toml"})
                    if (auto p = flags.find(f); p != std::string::npos) flags.replace(p, std::string(f).size(), quote(path(f)));
                const auto r = run("render " + quote(path(std::string(c.name) + suffix + ".wav")) + " " +
                                   quote(path("ref_" + std::string(c.name) + suffix + ".wav")) + " " + flags + " -q");
                ASSERT_EQ(r.code, 0) << c.name << ": " << r.err;
            }
    }
    static void expect_same_samples(const fs::path& a, const fs::path& b) {
        const Audio x = read_audio(a), y = read_audio(b);
        ASSERT_EQ(x.rate, y.rate) << a << " " << b;
        ASSERT_EQ(x.ch.size(), y.ch.size()) << a << " " << b;
        for (std::size_t c = 0; c < x.ch.size(); ++c) {
            ASSERT_EQ(x.ch[c].size(), y.ch[c].size()) << a;
            EXPECT_EQ(std::memcmp(x.ch[c].data(), y.ch[c].data(), x.ch[c].size() * sizeof(float)), 0)
                << a << " and " << b << " differ in channel " << c;
        }
    }
};

TEST_F(CliBatch, RowsAreBitIdenticalToRenderOneJobAndTwo) {
    render_reference();
    write_manifest("m.csv", "one");
    write_manifest("m2.csv", "two");
    const auto r1 = run("batch " + quote(path("m.csv")) + " --jobs 1");
    ASSERT_EQ(r1.code, 0) << r1.err;
    EXPECT_NE(r1.out.find("18 rendered, 0 already done"), std::string::npos) << r1.out;
    const auto r2 = run("batch " + quote(path("m2.csv")) + " --jobs 2 -q");
    ASSERT_EQ(r2.code, 0) << r2.err;
    for (const Case& c : cases()) {
        const std::string n = c.name;
        expect_same_samples(path("ref_" + n + ".wav"), path("one/" + n + ".wav"));
        expect_same_samples(path("ref_" + n + "_b.wav"), path("one/" + n + "_b.wav"));
        expect_same_samples(path("ref_" + n + ".wav"), path("one/" + n + "_again.wav"));  // a cached engine, reset
        expect_same_samples(path("ref_" + n + ".wav"), path("two/" + n + ".wav"));
        expect_same_samples(path("ref_" + n + "_b.wav"), path("two/" + n + "_b.wav"));
        expect_same_samples(path("ref_" + n + ".wav"), path("two/" + n + "_again.wav"));
    }
    EXPECT_EQ(read_audio(path("one/mono_to_stereo.wav")).ch.size(), 2u);  // the ears differ: stereo from mono
}

TEST_F(CliBatch, JsonLinesManifestGivesTheSameFiles) {
    std::ofstream(path("m.jsonl")) << "{\"input\": \"listener.wav\", \"output\": \"j/a.wav\", \"listener\": \"bisgaard:N2\", "
                                       "\"level_db_spl\": 65}\n\n"
                                       "{\"input\": \"implant.wav\", \"output\": \"j/b.wav\", \"implant\": \"nucleus-ace\", "
                                       "\"level_db_spl\": 65, \"seed\": null}\r\n";
    fs::create_directories(path("j"));
    ASSERT_EQ(run("render " + quote(path("listener.wav")) + " " + quote(path("ra.wav")) + " -l bisgaard:N2 --level-db-spl 65 -q").code, 0);
    ASSERT_EQ(run("render " + quote(path("implant.wav")) + " " + quote(path("rb.wav")) + " -i nucleus-ace --level-db-spl 65 -q").code, 0);
    const auto r = run("batch " + quote(path("m.jsonl")) + " -q");
    ASSERT_EQ(r.code, 0) << r.err;
    expect_same_samples(path("ra.wav"), path("j/a.wav"));
    expect_same_samples(path("rb.wav"), path("j/b.wav"));
}

TEST_F(CliBatch, SidecarRecordsTheRenderAndReproducesIt) {
    write_manifest("m.csv", "o");
    ASSERT_EQ(run("batch " + quote(path("m.csv")) + " -q").code, 0);
    for (const Case& c : cases()) {
        const std::string n = c.name;
        const fs::path side = path("o/" + n + ".wav.json");
        ASSERT_TRUE(fs::exists(side)) << side;
        const std::string text = slurp(side);
        EXPECT_NE(text.find("\"sha256\": \"" + sha256_hex(slurp(path(n + ".wav"))) + "\""), std::string::npos) << text;
        EXPECT_NE(text.find("\"sha256\": \"" + sha256_hex(slurp(path("o/" + n + ".wav"))) + "\""), std::string::npos) << text;
        for (const char* key : {"\"version\"", "\"build\"", "\"latency_samples\"", "\"full_scale_db_spl\"", "\"seed\"",
                                "\"parameters\"", "\"calibration\""})
            EXPECT_NE(text.find(key), std::string::npos) << key << " missing from " << side;
        const auto r = run("render --from-sidecar " + quote(side) + " " + quote(path("re_" + n + ".wav")) + " -q");
        ASSERT_EQ(r.code, 0) << n << ": " << r.err;
        expect_same_samples(path("o/" + n + ".wav"), path("re_" + n + ".wav"));
    }
    // A sidecar whose input has changed is refused, naming the input.
    write_audio(path("listener.wav"), test_signal(44100, 1, 0.5));
    const auto r = run("render --from-sidecar " + quote(path("o/listener.wav.json")) + " " + quote(path("x.wav")));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(OneLine(r.err)) << r.err;
    EXPECT_NE(r.err.find("listener.wav has changed"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("x.wav")));
    // --from-sidecar carries every parameter: no other option beside it.
    const auto r2 = run("render --from-sidecar " + quote(path("o/implant.wav.json")) + " --listener normal");
    EXPECT_EQ(r2.code, 2);
    EXPECT_NE(r2.err.find("--listener"), std::string::npos) << r2.err;
}

struct FileId {
    ino_t ino = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileId&) const = default;
};
FileId file_id(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return {};
    return {st.st_ino, std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

TEST_F(CliBatch, ResumeAfterAKillRendersOnlyTheMissingRows) {
    // Eight 3 s rows, one job; the batch is killed (SIGTERM) once the first sidecars are written.
    std::ofstream m(path("m.csv"));
    m << "input,output,listener,level_db_spl\n";
    write_audio(path("long.wav"), test_signal(44100, 1, 3.0));
    for (int i = 0; i < 8; ++i) m << "long.wav,o/r" << i << ".wav,bisgaard:N" << (i % 3 + 1) << ",65\n";
    m.close();
    fs::create_directories(path("o"));
    const std::string cmd = quote(EARSHOT_CLI_PATH) + " batch " + quote(path("m.csv")) + " --jobs 1 -q >/dev/null 2>" +
                            quote(path("kill.err")) + " & echo $! > " + quote(path("pid"));
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    // Wait (not a timing assertion: only until the batch is part-way) for two finished rows.
    for (int k = 0; k < 6000 && !fs::exists(path("o/r1.wav.json")); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(fs::exists(path("o/r1.wav.json")));
    const pid_t pid = std::stoi(slurp(path("pid")));
    ::kill(pid, SIGTERM);
    // Until it has reported (its last act before exiting) or is gone.
    for (int k = 0; k < 3000 && ::kill(pid, 0) == 0 && slurp(path("kill.err")).find("files done") == std::string::npos; ++k)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::vector<int> done;
    std::map<int, FileId> before;
    for (int i = 0; i < 8; ++i)
        if (fs::exists(path("o/r" + std::to_string(i) + ".wav.json"))) {
            done.push_back(i);
            before[i] = file_id(path("o/r" + std::to_string(i) + ".wav"));
        }
    ASSERT_GE(done.size(), 2u);
    if (done.size() == 8) GTEST_SKIP() << "the batch finished before the kill (a very fast machine)";
    EXPECT_TRUE(hidden_files(path("o")).empty()) << "temp files left behind";
    // Simulate a kill between an output's rename and its sidecar: that row must be rendered again.
    fs::remove(path("o/r0.wav.json"));
    const auto r = run("batch " + quote(path("m.csv")) + " --jobs 1");
    ASSERT_EQ(r.code, 0) << r.err;
    const std::size_t kept = done.size() - 1;
    EXPECT_NE(r.out.find(std::to_string(8 - kept) + " rendered, " + std::to_string(kept) + " already done"), std::string::npos)
        << r.out;
    for (int i : done)
        if (i != 0) EXPECT_EQ(file_id(path("o/r" + std::to_string(i) + ".wav")), before[i]) << "row " << i << " was rendered again";
    for (int i = 0; i < 8; ++i) EXPECT_TRUE(fs::exists(path("o/r" + std::to_string(i) + ".wav.json"))) << i;
    // All done: a third run renders nothing; --no-resume renders everything.
    const auto r3 = run("batch " + quote(path("m.csv")));
    EXPECT_NE(r3.out.find("0 rendered, 8 already done"), std::string::npos) << r3.out;
    // A changed parameter (the manifest) or input makes the row render again.
    {
        std::string t = slurp(path("m.csv"));
        t.replace(t.find("o/r7.wav,bisgaard:N2,65"), 23, "o/r7.wav,bisgaard:N2,70");
        std::ofstream(path("m.csv"), std::ios::binary) << t;
    }
    const auto r4 = run("batch " + quote(path("m.csv")));
    EXPECT_NE(r4.out.find("1 rendered, 7 already done"), std::string::npos) << r4.out;
}

TEST_F(CliBatch, FailuresAreListedAtTheEndAndTheOtherRowsComplete) {
    std::ofstream(path("m.csv")) << "input,output,listener\n"
                                     "listener.wav,o/a.wav,bisgaard:N2\n"
                                     "nope.wav,o/b.wav,bisgaard:N2\n"
                                     "listener.wav,listener.wav,bisgaard:N2\n"
                                     "listener.wav,o/c.wav,missing.json\n"
                                     "implant.wav,o/d.wav,normal\n";
    fs::create_directories(path("o"));
    const std::string before = sha256_hex(slurp(path("listener.wav")));
    const auto r = run("batch " + quote(path("m.csv")) + " -j 2");
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(fs::exists(path("o/a.wav")));
    EXPECT_TRUE(fs::exists(path("o/d.wav")));
    EXPECT_FALSE(fs::exists(path("o/b.wav")));
    EXPECT_FALSE(fs::exists(path("o/c.wav")));
    EXPECT_EQ(sha256_hex(slurp(path("listener.wav"))), before);  // never an input overwritten
    EXPECT_NE(r.err.find("3 of 5 renders failed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("m.csv:3: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nope.wav"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("m.csv:4: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("refusing to overwrite an input"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("m.csv:5: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("missing.json"), std::string::npos) << r.err;
    EXPECT_TRUE(hidden_files(path("o")).empty());
}

}  // namespace
