// earshot against MSBG renders of the same speech (tests/data/README.md; fixtures made with the
// Clarity MSBG code): the file is rendered through the offline path every front end uses
// (render_file), put into MSBG's domain, aligned and compared: long-term third-octave levels
// 125 Hz-8 kHz mean |delta| <= 1.5 dB, max <= 3 dB; octave-band envelope correlation >= 0.95 (each band at
// its own lag within +-10 ms of the broadband one: MSBG's output is not linear phase, earshot's is).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "earshot/analysis/reference_compare.hpp"
#include "earshot/hearing/presets.hpp"
#include "earshot/io/render.hpp"
#include "support/signals.hpp"

using namespace earshot;
namespace fs = std::filesystem;

namespace {
struct Case {
    const char* listener;
    const char* reference;
    double reference_gain_db;  // the reference file = MSBG output x 10^(G/20)
};

ReferenceComparison run_case(const Case& c, double& latency_ms) {
    const std::string data = EARSHOT_TEST_DATA;
    const fs::path out = fs::temp_directory_path() / ("earshot_ref_" + std::string(c.reference) + ".wav");
    RenderOptions opt;
    opt.description.listener = make_preset(c.listener);
    opt.description.calibration.present_at_db_spl = 65.0;
    const RenderReport rep = render_file(data + "/msbg_input_speech_10s.flac", out, opt);
    latency_ms = 1e3 * double(rep.latency_samples) / rep.sample_rate_hz;
    double fs_out = 0, fs_ref = 0;
    std::vector<float> ours = test::read_mono_file(out.string(), fs_out);
    std::vector<float> ref = test::read_mono_file(data + "/" + c.reference, fs_ref);
    fs::remove(out);
    // Into MSBG's domain: the fixture input is MSBG's array + 30 dB; MSBG rescales to the active level
    // (active - overall of the input, measured by render_file's meter).
    const double overall_db = 20 * std::log10(std::pow(10.0, -25.0 / 20.0)) + 3.0103;  // README: -25 dB RMS
    const double rescale_db = *rep.active_level_dbfs - overall_db;
    const float k_ours = float(std::pow(10.0, -(30.0 + rescale_db) / 20.0));
    for (float& v : ours) v *= k_ours;
    const float k_ref = float(std::pow(10.0, -c.reference_gain_db / 20.0));
    for (float& v : ref) v *= k_ref;
    return compare_renders(ref, ours, fs_out, 4000);
}

void expect_within_bounds(const Case& c) {
    double latency_ms = 0;
    const ReferenceComparison r = run_case(c, latency_ms);
    std::printf("[ reference ] %s vs %s: third-octave mean |delta| %.2f dB, max %.2f dB; envelope r median %.3f "
                "(min %.3f); MSBG lag %ld samples; earshot latency %.1f ms\n",
                c.listener, c.reference, r.mean_abs_delta_db, r.max_abs_delta_db, r.median_envelope_r,
                *std::min_element(r.envelope_r.begin(), r.envelope_r.end()), r.lag_samples, latency_ms);
    EXPECT_LE(r.mean_abs_delta_db, 1.5);
    EXPECT_LE(r.max_abs_delta_db, 3.0);
    EXPECT_GE(r.median_envelope_r, 0.95);
    // MSBG is delayed by ~1078 (normal) / ~1270 (smeared) samples; earshot's output is aligned.
    EXPECT_LT(r.lag_samples, -1000);
}
}  // namespace

// Further MSBG renders (tests/data/README.md): another voice, music with drums, pink-noise bursts,
// through other audiograms, including the severe class.
namespace {
void expect_extra(const char* sig, const char* listener, const char* aud, double out_gain_db) {
    const std::string data = EARSHOT_TEST_DATA;
    const std::string in = data + "/extra_in_" + sig + ".flac";
    const fs::path out = fs::temp_directory_path() / (std::string("earshot_extra_") + sig + aud + ".wav");
    double fs_in = 0, fs_ref = 0;
    const std::vector<float> x = test::read_mono_file(in, fs_in);
    double e = 0;
    for (float v : x) e += double(v) * v;
    const double overall_dbfs = 10 * std::log10(e / double(x.size())) + 3.0103;
    RenderOptions opt;
    opt.description.listener = make_preset(listener);
    // MSBG saw the file - 30 dB and presents its active level at its overall level + 120 dB.
    opt.description.calibration.present_at_db_spl = overall_dbfs - 3.0103 - 30.0 + 120.0;
    const RenderReport rep = render_file(in, out, opt);
    std::vector<float> ours = test::read_mono_file(out.string(), fs_in);
    std::vector<float> ref = test::read_mono_file(data + "/extra_msbg_" + sig + "_" + aud + ".flac", fs_ref);
    fs::remove(out);
    const float k_ours = float(std::pow(10.0, -(30.0 + (*rep.active_level_dbfs - overall_dbfs)) / 20.0));
    for (float& v : ours) v *= k_ours;
    const float k_ref = float(std::pow(10.0, -out_gain_db / 20.0));
    for (float& v : ref) v *= k_ref;
    const auto r = compare_renders(ref, ours, fs_in, 4000);
    std::printf("[ reference ] %s through %s: third-octave mean |delta| %.2f dB, max %.2f dB; envelope r median %.3f "
                "(per octave band 250 Hz..4 kHz:", sig, listener, r.mean_abs_delta_db, r.max_abs_delta_db, r.median_envelope_r);
    for (std::size_t k = 0; k < r.envelope_r.size(); ++k)
        std::printf(" %.3f at %+.1f ms", r.envelope_r[k], 1e3 * double(r.envelope_lag_samples[k] - r.lag_samples) / fs_in);
    std::printf(" from the broadband lag)\n");
    EXPECT_LE(r.mean_abs_delta_db, 1.5);
    EXPECT_LE(r.max_abs_delta_db, 3.0);
    EXPECT_GE(r.median_envelope_r, 0.95);
}
}  // namespace

TEST(MsbgReference, MusicWithDrumsN4) { expect_extra("music", "bisgaard:N4", "N4", 90.0); }
TEST(MsbgReference, PinkBurstsN3) { expect_extra("pink", "bisgaard:N3", "N3", 70.0); }
TEST(MsbgReference, AnotherVoiceS2) { expect_extra("voice", "bisgaard:S2", "S2", 44.0); }
TEST(MsbgReference, MusicWithDrumsS1) { expect_extra("music", "bisgaard:S1", "S1", 43.0); }
TEST(MsbgReference, AnotherVoiceN4) { expect_extra("voice", "bisgaard:N4", "N4", 76.0); }
TEST(MsbgReference, PinkBurstsSteepS3) { expect_extra("pink", "bisgaard:S3", "S3", 68.0); }

TEST(MsbgReference, NormalHearing) { expect_within_bounds({"normal", "msbg_output_NH.flac", 30.0}); }
TEST(MsbgReference, BisgaardN2) { expect_within_bounds({"bisgaard:N2", "msbg_output_N2.flac", 45.0}); }
