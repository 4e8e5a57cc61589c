#include "earshot/hearing/hearing_aid.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "earshot/dsp/min_phase.hpp"

namespace earshot {
namespace {
constexpr double kFreqs[] = {250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000};
constexpr double kK[] = {-17, -8, -3, 1, 1, -1, -2, -2, -2, -2};
}  // namespace

double nal_r_gain_db(const Audiogram& air, double f) {
    const double x = 0.05 * (air.at(500) + air.at(1000) + air.at(2000));
    auto g_at = [&](std::size_t i) { return std::clamp(x + 0.31 * air.at(kFreqs[i]) + kK[i], 0.0, kNalRMaxGainDb); };
    constexpr std::size_t n = std::size(kFreqs);
    if (f <= kFreqs[0]) return g_at(0);
    if (f >= kFreqs[n - 1]) return g_at(n - 1);
    std::size_t i = 1;
    while (kFreqs[i] < f) ++i;
    const double t = std::log(f / kFreqs[i - 1]) / std::log(kFreqs[i] / kFreqs[i - 1]);
    return g_at(i - 1) + t * (g_at(i) - g_at(i - 1));
}

void HearingAid::prepare(const ProcessSpec& spec) {
    const double fs = spec.sample_rate_hz;
    const Audiogram& air = air_;
    fs_ = fs;
    const std::size_t taps = std::size_t(std::lround(fs / 44100.0 * 512.0)) | 1u;
    taps_ = min_phase_fir([&](double f) { return std::pow(10.0, nal_r_gain_db(air, std::max(f, 1.0)) / 20.0); }, fs, taps);
    // Overall cap: the realised filter (whose interpolation between the prescription points can overshoot a
    // little) is scaled down if its gain anywhere from 50 Hz to 0.45 fs exceeds kNalRMaxGainDb.
    double peak_db = -1e9;
    for (double f = 50.0; f <= 0.45 * fs; f *= 1.02) peak_db = std::max(peak_db, realised_gain_db(f));
    if (peak_db > kNalRMaxGainDb) {
        const float k = float(std::pow(10.0, (kNalRMaxGainDb - peak_db) / 20.0));
        for (float& t : taps_) t *= k;
        peak_db = kNalRMaxGainDb;
    }
    max_gain_db_ = peak_db;
    conv_.clear();
    conv_.resize(spec.num_channels);
    for (auto& conv : conv_) conv.prepare(taps_, 64);
}

void HearingAid::process(AudioView<const float> in, AudioView<float> out) noexcept {
    for (std::size_t c = 0; c < conv_.size() && c < in.num_channels(); ++c)
        conv_[c].process(in.channel(c), out.channel(c), in.num_frames());
}
void HearingAid::reset() noexcept {
    for (auto& conv : conv_) conv.reset();
}

double HearingAid::realised_gain_db(double f) const {
    std::complex<double> h = 0;
    for (std::size_t i = 0; i < taps_.size(); ++i) h += double(taps_[i]) * std::polar(1.0, -2.0 * std::numbers::pi * f * double(i) / fs_);
    return 20.0 * std::log10(std::abs(h));
}

}  // namespace earshot
