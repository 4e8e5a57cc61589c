#pragma once
// Non-owning planar audio: an array of channel pointers, each to num_frames contiguous samples.
#include <cassert>
#include <cstddef>
#include <span>

namespace earshot {

template <class T>
class AudioView {
public:
    AudioView() = default;
    AudioView(T* const* channels, std::size_t num_channels, std::size_t num_frames) noexcept
        : channels_(channels), num_channels_(num_channels), num_frames_(num_frames) {}

    std::size_t num_channels() const noexcept { return num_channels_; }
    std::size_t num_frames() const noexcept { return num_frames_; }
    T* channel(std::size_t c) const noexcept {
        assert(c < num_channels_);
        return channels_[c];
    }
    std::span<T> operator[](std::size_t c) const noexcept { return {channel(c), num_frames_}; }

private:
    T* const* channels_ = nullptr;
    std::size_t num_channels_ = 0;
    std::size_t num_frames_ = 0;
};

}  // namespace earshot
