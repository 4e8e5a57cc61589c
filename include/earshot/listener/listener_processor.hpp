#pragma once
// What a listener hears, per ear: the hearing-loss model, an implant, or both (electric-acoustic), for any
// combination of ears (bimodal, bilateral). The block processor every front end drives for a listener;
// without implants it is exactly HearingLoss.
//   channel c is heard by ear (options.ear, else left for channel 0 and right for channel 1, ...);
//   acoustic path: HearingLoss for that ear [-> low-pass at the crossover];
//   implant path:  [high-pass at the crossover ->] ImplantProcessor;
//   the paths and channels are delayed to one common latency and summed.
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "earshot/core/audio_view.hpp"
#include "earshot/core/process_spec.hpp"
#include "earshot/core/processor.hpp"
#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/implant/implant_params.hpp"

namespace earshot {

class ListenerProcessor {
public:
    explicit ListenerProcessor(HearingLossConfig config);  ///< validates; throws ConfigError
    ~ListenerProcessor();
    ListenerProcessor(ListenerProcessor&&) noexcept;
    ListenerProcessor& operator=(ListenerProcessor&&) noexcept;

    void prepare(const ProcessSpec& spec);
    void process(AudioView<const float> in, AudioView<float> out) noexcept;
    void reset() noexcept;
    std::size_t latency_samples() const noexcept;
    const std::vector<std::string>& warnings() const noexcept;
    /// A new calibration for the prepared processor, between blocks: every hearing-loss model and implant takes
    /// it as if built with it (bit-identical output; HearingLoss::set_calibration). Throws ConfigError out of range.
    void set_calibration(const Calibration& calibration);
    /// Implant intensity (0 = original sound, 1 = implant only) on every implanted ear; smoothed per block.
    void set_implant_intensity(double intensity) noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};
static_assert(BlockProcessor<ListenerProcessor>);

/// Latencies listener_latency_bound() measured by building a part, kept to be reused across listeners with
/// that part (for one spec and calibration): implants compared by their every parameter (ImplantParams::operator==),
/// crossover halves by (crossover_hz, high-pass).
struct ListenerLatencyMemo {
    std::vector<std::pair<ImplantParams, std::size_t>> implants;
    std::vector<std::pair<std::pair<double, bool>, std::size_t>> crossovers;
};

/// An upper bound on latency_samples() and the warnings of a ListenerProcessor built from `config` and prepared
/// with `spec`, without building its hearing-loss models (hearing_loss_latency_bound(); an implant, a hearing
/// aid or a crossover half is built). Throws ConfigError as the constructor and prepare() would.
/// memo (optional): filled and reused, so that many listeners with one implant (crossover) build it once.
LatencyBound listener_latency_bound(const HearingLossConfig& config, const ProcessSpec& spec,
                                    ListenerLatencyMemo* memo = nullptr);

}  // namespace earshot
