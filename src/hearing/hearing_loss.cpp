// TEMPORARY pass-through so front ends can be built while the model lands (replaced next).
#include "earshot/hearing/hearing_loss.hpp"

#include <algorithm>

namespace earshot {

struct HearingLoss::Impl {
    HearingLossConfig config;
    std::vector<std::string> warnings;
};

HearingLoss::HearingLoss(HearingLossConfig config) : impl_(std::make_unique<Impl>()) {
    config.listener.validate("listener");
    impl_->config = std::move(config);
}
HearingLoss::~HearingLoss() = default;
HearingLoss::HearingLoss(HearingLoss&&) noexcept = default;
HearingLoss& HearingLoss::operator=(HearingLoss&&) noexcept = default;
void HearingLoss::prepare(const ProcessSpec&) {}
void HearingLoss::process(AudioView<const float> in, AudioView<float> out) noexcept {
    for (std::size_t c = 0; c < in.num_channels(); ++c)
        std::copy_n(in.channel(c), in.num_frames(), out.channel(c));
}
void HearingLoss::reset() noexcept {}
std::size_t HearingLoss::latency_samples() const noexcept { return 0; }
const HearingLossConfig& HearingLoss::config() const noexcept { return impl_->config; }
const std::vector<std::string>& HearingLoss::warnings() const noexcept { return impl_->warnings; }

}  // namespace earshot
