// earshot against MSBG renders of the same speech (tests/data/README.md; fixtures made with the
// Clarity MSBG code): the file is rendered through the offline path every front end uses
// (render_file), put into MSBG's domain, aligned and compared: long-term third-octave levels
// 125 Hz-8 kHz mean |delta| <= 1.5 dB, max <= 3 dB; octave-band envelope correlation >= 0.95.
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
    opt.listener = make_preset(c.listener);
    opt.level_db_spl = 65.0;
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

TEST(MsbgReference, NormalHearing) { expect_within_bounds({"normal", "msbg_output_NH.flac", 30.0}); }
TEST(MsbgReference, BisgaardN2) { expect_within_bounds({"bisgaard:N2", "msbg_output_N2.flac", 45.0}); }
