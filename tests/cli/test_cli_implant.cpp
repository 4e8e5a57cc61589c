// The implant commands as a user runs them: `earshot electrodogram` (CSV rows per pulse slot, plot,
// calibration as the Nucleus toolbox), `earshot render --implant` (implant only, electric-acoustic,
// bimodal), listener files with implants, and their bad inputs (one line, non-zero exit, nothing left).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cli/cli_helpers.hpp"

using namespace earshot::test;

namespace {
const std::string kData = EARSHOT_TEST_DATA;

std::vector<std::string> lines(const fs::path& p) {
    std::ifstream f(p);
    std::vector<std::string> v;
    for (std::string l; std::getline(f, l);) v.push_back(l);
    return v;
}
}  // namespace

class CliImplant : public CliTest {};

TEST_F(CliImplant, ElectrodogramReproducesTheToolboxFixtureThroughTheCommand) {
    // The P2 fixture's parameters are the nucleus-ace preset's strategy (16 kHz, 8 of 22, 900 pps, power
    // sum) and its calibration is the toolbox's: the file's RMS at 65 dB SPL, a full-scale sine = 95 dB SPL.
    const fs::path out = path("p2.csv");
    const auto r = run("electrodogram " + quote(kData + "/ace/input_16k.wav") + " " + quote(out) +
                       " --implant nucleus-ace --level-db-spl 65 --level-measure rms");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto ours = lines(out), ref = lines(kData + "/ace/ace_P2_speech_pulses.csv");
    ASSERT_EQ(ours.size(), ref.size());
    EXPECT_EQ(ours[0], "time_us,electrode,current_level,phase_width_us,phase_gap_us");
    std::size_t same = 0;
    for (std::size_t i = 1; i < ours.size(); ++i) same += ours[i] == ref[i];
    EXPECT_EQ(same, ours.size() - 1) << "rows identical to the toolbox's";
    EXPECT_NE(r.out.find("888.9 pps per channel, period 140.6 us"), std::string::npos) << r.out;
}

TEST_F(CliImplant, ElectrodogramOfAToneAndItsPlot) {
    Audio a;
    a.rate = 44100;
    a.ch.assign(1, std::vector<float>(44100));
    for (std::size_t i = 0; i < a.ch[0].size(); ++i) a.ch[0][i] = float(0.003 * std::sin(2 * M_PI * 1000.0 * double(i) / a.rate));
    write_audio(path("tone.wav"), a);
    const auto r = run("electrodogram " + quote(path("tone.wav")) + " " + quote(path("tone.csv")) +
                       " --implant medel-cis --plot " + quote(path("tone.png")));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::exists(path("tone.png")));
    EXPECT_GT(fs::file_size(path("tone.png")), 10000u);
    // 12 channels, every one pulsed each frame; the loudest electrode carries 1 kHz (MED-EL centre 836/1175 Hz band).
    std::map<int, long> sum;
    const auto rows = lines(path("tone.csv"));
    for (std::size_t i = rows.size() / 2; i < rows.size(); ++i) {
        int e = 0, cl = 0;
        double t = 0;
        std::sscanf(rows[i].c_str(), "%lf,%d,%d", &t, &e, &cl);
        sum[e] += cl;
    }
    int best = 0;
    for (auto [e, s] : sum)
        if (best == 0 || s > sum[best]) best = e;
    EXPECT_EQ(sum.size(), 12u);
    EXPECT_EQ(best, 7);  // band 6 of 12 (1175 Hz centre, 985-1381 Hz) -> electrode 12 - 5 = 7
}

TEST_F(CliImplant, RenderWithAnImplantKeepsLengthAndMakesSound) {
    write_audio(path("in.wav"), test_signal(44100, 1, 2.0));
    auto r = run("render " + quote(path("in.wav")) + " " + quote(path("ci.wav")) + " --implant nucleus-ace -q");
    ASSERT_EQ(r.code, 0) << r.err;
    const Audio y = read_audio(path("ci.wav"));
    ASSERT_EQ(y.ch.size(), 1u);
    EXPECT_EQ(y.frames(), std::size_t(88200));
    double e = 0;
    for (float v : y.ch[0]) e += double(v) * v;
    EXPECT_GT(e / double(y.frames()), 1e-5);
    // Bimodal: implant on the left, Bisgaard N3 on the right -> stereo from a mono file.
    r = run("render " + quote(path("in.wav")) + " " + quote(path("bimodal.wav")) +
            " --listener bisgaard:N3 --implant medel-cis --implant-ear left --crossover-hz 500 -q");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read_audio(path("bimodal.wav")).ch.size(), 2u);
}

TEST_F(CliImplant, ListenerFileWithAnImplantPerEar) {
    std::ofstream(path("bimodal.toml")) << "name = \"bimodal\"\n"
                                           "[left]\nimplant = \"nucleus-ace-experienced\"\n"
                                           "[right]\nfreqs_hz = [250, 1000, 4000]\nhl_db = [40, 60, 80]\nhearing_aid = \"nal-r\"\n";
    std::ofstream(path("eas.json")) << R"({"both": {"freqs_hz": [250, 1000, 4000], "hl_db": [30, 80, 110],
                                           "implant": {"preset": "medel-cis", "carrier": "sine"}, "crossover_hz": 600}})";
    write_audio(path("in.wav"), test_signal(44100, 2, 1.0));
    for (const char* f : {"bimodal.toml", "eas.json"}) {
        const auto r = run("render " + quote(path("in.wav")) + " " + quote(path(std::string(f) + ".wav")) + " --listener " +
                           quote(path(f)) + " -q");
        EXPECT_EQ(r.code, 0) << f << ": " << r.err;
    }
}

TEST_F(CliImplant, BadInputsAreOneLineAndLeaveNothing) {
    write_audio(path("in.wav"), test_signal(16000, 1, 1.0));
    std::ofstream(path("bad_key.json")) << R"({"maxima": 8, "bandz": 20})";
    std::ofstream(path("bad_rate.json")) << R"({"audio_rate_hz": 100000})";
    std::ofstream(path("too_many.json")) << R"({"bands": 8, "maxima": 9})";
    std::ofstream(path("all_off.json")) << R"({"deactivated": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22]})";
    std::ofstream(path("syntax.json")) << "{\"bands\": 8,\n\"maxima\" 4}";
    std::ofstream(path("ear.toml")) << "[left]\nimplant = \"nucleus-ace\"\nacoustic = false\ncrossover_hz = 500\n[right]\nfreqs_hz=[1000]\nhl_db=[20]\n";
    std::ofstream(path("aid.toml")) << "[both]\nfreqs_hz=[1000]\nhl_db=[50]\nhearing_aid = \"bte\"\n";
    const std::string in = quote(path("in.wav")), out = quote(path("out.csv"));
    struct Case { std::string args; std::string expect; int code; };
    const Case cases[] = {
        {"electrodogram " + in + " " + out + " --implant " + quote(path("bad_key.json")), "unknown key 'bandz'", 2},
        {"electrodogram " + in + " " + out + " --implant " + quote(path("bad_rate.json")), "audio_rate_hz: 100000 is out of range", 2},
        {"electrodogram " + in + " " + out + " --implant " + quote(path("too_many.json")), "maxima: 9 is out of range [1, bands = 8]", 2},
        {"electrodogram " + in + " " + out + " --implant " + quote(path("all_off.json")), "all 22 electrodes are deactivated", 2},
        {"electrodogram " + in + " " + out + " --implant " + quote(path("syntax.json")), "syntax.json:2:10: JSON parse error", 2},
        {"electrodogram " + in + " " + out + " --implant " + quote(path("missing.json")), "missing.json: cannot open implant file", 1},
        {"electrodogram " + in + " " + out + " --implant cochlear", "'cochlear' is not a preset", 2},
        {"electrodogram " + in + " " + out + " --implant nucleus-ace --level-measure peak", "--level-measure: 'peak' is not one of active, rms", 2},
        {"electrodogram " + in + " " + out + " --implant nucleus-ace --level-db-spl 200", "--level-db-spl: 200 is out of range", 2},
        {"electrodogram " + in + " " + quote(path("out.txt")) + " --implant nucleus-ace", "written as .csv", 2},
        {"electrodogram " + in + " " + out + " --implant nucleus-ace --plot " + quote(path("p.jpg")), "--plot", 2},
        {"electrodogram " + quote(path("nope.wav")) + " " + out + " --implant nucleus-ace", "nope.wav", 1},
        {"render " + in + " " + quote(path("o.wav")) + " --implant nucleus-ace --intensity 2", "--intensity: 2 is out of range [0, 1]", 2},
        {"render " + in + " " + quote(path("o.wav")) + " --implant nucleus-ace --crossover-hz 500", "--crossover-hz: needs --listener", 2},
        {"render " + in + " " + quote(path("o.wav")) + " --listener normal --intensity 0.5", "--intensity: needs --implant", 2},
        {"render " + in + " " + quote(path("o.wav")), "give --listener", 2},
        {"render " + in + " " + quote(path("o.wav")) + " --listener " + quote(path("ear.toml")), "crossover_hz", 2},
        {"render " + in + " " + quote(path("o.wav")) + " --listener " + quote(path("aid.toml")), "both.hearing_aid: 'bte' is not one of nal-r, none", 2},
        {"render " + in + " " + quote(path("o.wav")) + " --implant nucleus-ace --hearing-aid nal-r", "--hearing-aid: needs --listener", 2},
    };
    for (const Case& c : cases) {
        const auto r = run(c.args);
        EXPECT_EQ(r.code, c.code) << c.args << "\n" << r.err;
        EXPECT_TRUE(OneLine(r.err)) << c.args;
        EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << "\n  got: " << r.err;
        EXPECT_FALSE(fs::exists(path("out.csv")));
        EXPECT_FALSE(fs::exists(path("o.wav")));
        EXPECT_TRUE(hidden_files(dir_).empty());
    }
}
