// Renders an input like an MSBG fixture and compares it with the MSBG render (tests/data/README.md):
//   msbg_compare IN.wav MSBG_OUT.wav MSBG_GAIN_DB IN_GAIN_DB LEVEL_DB_SPL HZ:DB,HZ:DB,...
// IN_GAIN_DB: digital gain between the array MSBG was given and IN (the fixtures: 30 dB).
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "earshot/analysis/reference_compare.hpp"
#include "earshot/hearing/active_level.hpp"
#include "earshot/hearing/hearing_loss.hpp"

static std::vector<float> read_mono(const char* path, double& fs) {
    SF_INFO info{};
    SNDFILE* f = sf_open(path, SFM_READ, &info);
    if (!f) std::exit((std::fprintf(stderr, "%s: %s\n", path, sf_strerror(nullptr)), 1));
    std::vector<float> x(static_cast<std::size_t>(info.frames));
    sf_readf_float(f, x.data(), info.frames);
    sf_close(f);
    fs = info.samplerate;
    return x;
}

int main(int argc, char** argv) {
    if (argc < 7) return std::fprintf(stderr, "usage: msbg_compare IN MSBG_OUT G_OUT G_IN LEVEL HZ:DB,...\n"), 2;
    double fs = 0, fs2 = 0;
    std::vector<float> in = read_mono(argv[1], fs);
    std::vector<float> ref = read_mono(argv[2], fs2);
    const double g_out = std::atof(argv[3]), g_in = std::atof(argv[4]), level = std::atof(argv[5]);
    earshot::Audiogram ag;
    for (std::string spec = argv[6]; !spec.empty();) {
        const auto comma = spec.find(',');
        const std::string item = spec.substr(0, comma);
        ag.freqs_hz.push_back(std::atof(item.c_str()));
        ag.hl_db.push_back(std::atof(item.substr(item.find(':') + 1).c_str()));
        spec = comma == std::string::npos ? "" : spec.substr(comma + 1);
    }
    earshot::ActiveLevelMeter meter(fs);
    const float* ch[1] = {in.data()};
    meter.add(earshot::AudioView<const float>(ch, 1, in.size()));
    const double active = meter.active_level_dbfs(), overall = meter.overall_level_dbfs();
    earshot::HearingLossConfig cfg;
    cfg.listener.left.air = ag;
    cfg.listener.right.air = ag;
    cfg.calibration = earshot::Calibration::present_at(level, active);
    if (const char* la = std::getenv("ES_LOOKAHEAD_MS")) cfg.options.envelope_lookahead_ms = std::atof(la);
    if (std::getenv("ES_CONTINUOUS")) cfg.options.degree = earshot::LossDegree::continuous;
    earshot::HearingLoss hl(cfg);
    const std::size_t block = 512;
    hl.prepare({fs, block, 1});
    const std::size_t lat = hl.latency_samples();
    std::vector<float> padded(in);
    padded.resize(in.size() + lat, 0.f);
    std::vector<float> out(padded.size());
    for (std::size_t i = 0; i < padded.size(); i += block) {
        const std::size_t n = std::min(block, padded.size() - i);
        const float* ip[1] = {padded.data() + i};
        float* op[1] = {out.data() + i};
        hl.process(earshot::AudioView<const float>(ip, 1, n), earshot::AudioView<float>(op, 1, n));
    }
    std::vector<float> ours(out.begin() + long(lat), out.end());
    // Into MSBG's domain.
    const float k_ours = float(std::pow(10.0, -(g_in + (active - overall)) / 20.0));
    for (float& v : ours) v *= k_ours;
    const float k_ref = float(std::pow(10.0, -g_out / 20.0));
    for (float& v : ref) v *= k_ref;
    const auto r = earshot::compare_renders(ref, ours, fs, 4000);
    std::printf("latency %zu samples (%.2f ms); active %.2f dBFS overall %.2f; lag vs MSBG %ld\n", lat,
                1e3 * double(lat) / fs, active, overall, r.lag_samples);
    std::printf("third-octave (Hz: MSBG / earshot / delta):\n");
    for (std::size_t k = 0; k < r.third_octave_hz.size(); ++k)
        std::printf("  %6.0f: %7.2f %7.2f %+6.2f%s\n", r.third_octave_hz[k], r.reference_db[k], r.candidate_db[k],
                    r.candidate_db[k] - r.reference_db[k], r.band_used[k] ? "" : " (ignored)");
    std::printf("mean |delta| %.2f dB, max %.2f dB; envelope r:", r.mean_abs_delta_db, r.max_abs_delta_db);
    for (double v : r.envelope_r) std::printf(" %.3f", v);
    std::printf(" median %.3f\n", r.median_envelope_r);
    for (const auto& w : hl.warnings()) std::printf("warning: %s\n", w.c_str());
}
