#pragma once
// Helpers shared by the DSP tests: test signals, running a processor over a buffer, levels.
#include <sndfile.h>

#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "earshot/hearing/hearing_loss.hpp"

namespace earshot::test {

inline std::vector<float> sine(double freq_hz, double fs, std::size_t n, double amplitude) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = float(amplitude * std::sin(2.0 * std::numbers::pi * freq_hz * double(i) / fs));
    return x;
}

inline std::vector<float> white_noise(std::size_t n, double rms, unsigned seed) {
    std::mt19937 rng{seed};
    std::normal_distribution<float> g(0.f, float(rms));
    std::vector<float> x(n);
    for (auto& v : x) v = g(rng);
    return x;
}

inline double rms_db(const std::vector<float>& x, std::size_t from = 0, std::size_t to = 0) {
    if (to == 0 || to > x.size()) to = x.size();
    double e = 0;
    for (std::size_t i = from; i < to; ++i) e += double(x[i]) * x[i];
    return 10.0 * std::log10(e / double(to - from) + 1e-300);
}

/// Runs a mono buffer (padded with latency zeros) through a prepared processor in blocks; returns
/// the output with the latency removed (same length as x).
inline std::vector<float> run_mono(HearingLoss& hl, const std::vector<float>& x, std::size_t block = 512) {
    const std::size_t lat = hl.latency_samples();
    std::vector<float> in(x);
    in.resize(x.size() + lat, 0.f);
    std::vector<float> out(in.size());
    for (std::size_t i = 0; i < in.size(); i += block) {
        const std::size_t n = std::min(block, in.size() - i);
        const float* ip[1] = {in.data() + i};
        float* op[1] = {out.data() + i};
        hl.process(AudioView<const float>(ip, 1, n), AudioView<float>(op, 1, n));
    }
    return {out.begin() + long(lat), out.end()};
}

inline HearingLossConfig flat_listener(double hl_db, double full_scale_db_spl = 100.0) {
    HearingLossConfig cfg;
    cfg.listener.left.air = {{250, 8000}, {hl_db, hl_db}};
    cfg.listener.right.air = cfg.listener.left.air;
    cfg.calibration.full_scale_db_spl = full_scale_db_spl;
    return cfg;
}

inline std::vector<float> read_mono_file(const std::string& path, double& fs) {
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f) throw std::runtime_error(path + ": cannot open");
    std::vector<float> x(static_cast<std::size_t>(info.frames) * std::size_t(info.channels));
    sf_readf_float(f, x.data(), info.frames);
    sf_close(f);
    fs = info.samplerate;
    if (info.channels > 1) {
        std::vector<float> m(static_cast<std::size_t>(info.frames));
        for (std::size_t i = 0; i < m.size(); ++i) m[i] = x[i * std::size_t(info.channels)];
        return m;
    }
    return x;
}

}  // namespace earshot::test
