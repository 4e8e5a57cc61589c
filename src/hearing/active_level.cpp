#include "earshot/hearing/active_level.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "earshot/core/db.hpp"
#include "earshot/core/error.hpp"

namespace earshot {

namespace {

constexpr double kRelThresholdDb = -12.0;           // MSBG's db_rel_rms
constexpr double kFloorThresholdDb = -80.0;         // MSBG's lower bound on the threshold
// Histogram range of frame levels (plain mean-square dB). Frames below kMinDb land in bin 0, which can
// never be active (the threshold is >= -80 dB); frames above kMaxDb are kept in the top bin with their
// exact energy.
constexpr double kBinDb = 0.01;
constexpr double kMinDb = -100.0;
constexpr double kMaxDb = 60.0;
constexpr std::size_t kBins = static_cast<std::size_t>((kMaxDb - kMinDb) / kBinDb) + 2;

std::size_t bin_of(double mean_square) {
    if (!(mean_square > 0.0)) return 0;
    const double level = 10.0 * std::log10(mean_square);
    if (level < kMinDb) return 0;
    const auto b = static_cast<std::size_t>(std::floor((level - kMinDb) / kBinDb)) + 1;
    return std::min(b, kBins - 1);
}
double bin_lower_db(std::size_t b) { return kMinDb + static_cast<double>(b - 1) * kBinDb; }

double to_dbfs(double mean_square) {
    return mean_square_to_dbfs(mean_square);
}

}  // namespace

ActiveLevelMeter::ActiveLevelMeter(double sample_rate_hz) : bin_count_(kBins, 0), bin_energy_(kBins, 0.0) {
    if (!(sample_rate_hz > 0.0) || !std::isfinite(sample_rate_hz))
        throw ConfigError(fmt::format("ActiveLevelMeter: sample rate {} Hz must be positive", sample_rate_hz));
    // Python's round() (half to even) as MSBG's round(WIN_SECS * fs); nearbyint in the default mode.
    frame_len_ = std::max<std::size_t>(1, static_cast<std::size_t>(std::nearbyint(0.01 * sample_rate_hz)));
}

void ActiveLevelMeter::add(AudioView<const float> block) {
    const std::size_t nch = block.num_channels();
    const std::size_t n = block.num_frames();
    if (nch == 0 || n == 0) return;
    if (num_channels_ == 0) {
        num_channels_ = nch;
        chan_energy_.assign(nch, 0.0);
    } else if (nch != num_channels_) {
        throw ConfigError(fmt::format("ActiveLevelMeter: block has {} channels but the meter was fed {} before",
                                      nch, num_channels_));
    }
    std::size_t pos = 0;
    while (pos < n) {
        const std::size_t take = std::min(n - pos, frame_len_ - fill_);
        // Per channel, samples are summed in time order whatever the block size, so the result is
        // bit-identical for any blocking.
        for (std::size_t c = 0; c < nch; ++c) {
            const float* x = block.channel(c) + pos;
            double e = chan_energy_[c];
            for (std::size_t i = 0; i < take; ++i) e += static_cast<double>(x[i]) * static_cast<double>(x[i]);
            chan_energy_[c] = e;
        }
        pos += take;
        fill_ += take;
        total_samples_ += take;
        if (fill_ == frame_len_) {
            double e = 0.0;
            for (double& ce : chan_energy_) {
                e += ce;
                ce = 0.0;
            }
            const double ms = e / static_cast<double>(frame_len_ * nch);
            const std::size_t b = bin_of(ms);
            ++bin_count_[b];
            bin_energy_[b] += ms;
            whole_frames_energy_ += e;
            ++whole_frames_;
            fill_ = 0;
        }
    }
}

double ActiveLevelMeter::overall_mean_square() const {
    if (total_samples_ == 0) return 0.0;
    double e = whole_frames_energy_;
    for (double ce : chan_energy_) e += ce;
    return e / (static_cast<double>(total_samples_) * static_cast<double>(num_channels_));
}

void ActiveLevelMeter::gate(double& energy, std::uint64_t& count) const {
    energy = 0.0;
    count = 0;
    const double overall = overall_mean_square();
    if (!(overall > 0.0) || whole_frames_ == 0) return;
    const double thr_db = std::max(10.0 * std::log10(overall) + kRelThresholdDb, kFloorThresholdDb);
    // MSBG: active when ms + 10^((thr - 30)/10) >= 10^(thr/10)  <=>  ms >= 10^(thr/10) (1 - 10^-3).
    const double ms_thr = std::pow(10.0, thr_db / 10.0) * (1.0 - 1e-3);
    const double thr_level = 10.0 * std::log10(ms_thr);
    for (std::size_t b = kBins - 1; b >= 1; --b) {
        if (bin_count_[b] == 0) continue;
        const double lower = bin_lower_db(b);
        const bool straddles = lower < thr_level && (lower + kBinDb > thr_level || b == kBins - 1);
        if (!straddles && lower < thr_level) break;  // this and all lower bins are inactive
        // A bin straddling the threshold is decided by its mean frame energy.
        if (!straddles || bin_energy_[b] / static_cast<double>(bin_count_[b]) >= ms_thr) {
            energy += bin_energy_[b];
            count += bin_count_[b];
        }
    }
}

double ActiveLevelMeter::active_level_dbfs() const {
    double energy = 0.0;
    std::uint64_t count = 0;
    gate(energy, count);
    // No active whole frame (shorter than one frame, or all energy in the trailing partial frame):
    // report the overall level (documented in the header).
    return to_dbfs(count == 0 ? overall_mean_square() : energy / static_cast<double>(count));
}

double ActiveLevelMeter::overall_level_dbfs() const { return to_dbfs(overall_mean_square()); }

double ActiveLevelMeter::active_fraction() const {
    double energy = 0.0;
    std::uint64_t count = 0;
    gate(energy, count);
    if (total_samples_ == 0) return 0.0;
    return static_cast<double>(count * frame_len_) / static_cast<double>(total_samples_);
}

}  // namespace earshot
