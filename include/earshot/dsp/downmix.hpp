#pragma once
// Down-mix of a surround input to the listener's two ears (left, right) by the ITU-R BS.775 (Rec. ITU-R
// BS.775-3, 2012, Table 2, "3/2 -> 2/0") coefficients:
//   L' = L + 0.7071 C + 0.7071 Ls,   R' = R + 0.7071 C + 0.7071 Rs,   LFE dropped.
// 7.1 (3/4): the side and the back surrounds of one side both enter at 0.7071. Gains are linear amplitude
// factors; no normalisation (a full-scale 5.1 mix can exceed full scale after the sum, as in BS.775).
// Positions the recommendation does not cover (back centre, heights, front wide, Ambisonics) have no rule
// here: downmix_bs775() then returns nullopt and the caller refuses the file.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/core/enum_spec.hpp"

namespace earshot {

/// Loudspeaker positions of a channel (the subset of libsndfile's SF_CHANNEL_MAP_* the down-mix knows).
enum class Speaker { left, right, centre, lfe, surround_left, surround_right, side_left, side_right, other };

namespace names {
/// Loudspeaker positions as data (earshot/core/enum_spec.hpp), with the short names messages use.
inline constexpr EnumSpec<Speaker, 9> speaker{"speaker", {{
    {Speaker::left, "L", "front left"},
    {Speaker::right, "R", "front right"},
    {Speaker::centre, "C", "front centre"},
    {Speaker::lfe, "LFE", "low-frequency effects (dropped by the down-mix)"},
    {Speaker::surround_left, "Ls", "surround (back) left"},
    {Speaker::surround_right, "Rs", "surround (back) right"},
    {Speaker::side_left, "Lss", "side left (7.1)"},
    {Speaker::side_right, "Rss", "side right (7.1)"},
    {Speaker::other, "?", "a position the down-mix has no rule for"},
}}};
}  // namespace names

inline constexpr double kBs775Gain = 0.70710678118654752;  ///< -3 dB, 1/sqrt(2)

/// The standard channel order of WAVE_FORMAT_EXTENSIBLE (and FLAC/Vorbis) when a file carries no map:
/// 6 channels (5.1): FL FR FC LFE BL BR; 8 channels (7.1): FL FR FC LFE BL BR SL SR. Empty for other counts.
inline std::vector<Speaker> standard_layout(std::size_t channels) {
    using S = Speaker;
    if (channels == 6) return {S::left, S::right, S::centre, S::lfe, S::surround_left, S::surround_right};
    if (channels == 8)
        return {S::left, S::right, S::centre, S::lfe, S::surround_left, S::surround_right, S::side_left, S::side_right};
    return {};
}

/// The short name of a position ("L", "Ls"; "?" for Speaker::other), from names::speaker.
inline std::string_view speaker_name(Speaker s) noexcept { return names::speaker.to_name(s); }

/// A 2 x N gain matrix: gains[ear * N + channel] (ear 0 left, 1 right).
struct Downmix {
    std::size_t in_channels = 0;
    std::vector<double> gains;
    bool lfe_dropped = false;
    double gain(std::size_t ear, std::size_t channel) const noexcept { return gains[ear * in_channels + channel]; }
};

/// The BS.775 matrix for a layout; nullopt when a position is Speaker::other.
inline std::optional<Downmix> downmix_bs775(const std::vector<Speaker>& layout) {
    Downmix d;
    d.in_channels = layout.size();
    d.gains.assign(2 * layout.size(), 0.0);
    for (std::size_t c = 0; c < layout.size(); ++c) {
        double l = 0, r = 0;
        switch (layout[c]) {
            case Speaker::left: l = 1; break;
            case Speaker::right: r = 1; break;
            case Speaker::centre: l = r = kBs775Gain; break;
            case Speaker::lfe: d.lfe_dropped = true; break;
            case Speaker::surround_left:
            case Speaker::side_left: l = kBs775Gain; break;
            case Speaker::surround_right:
            case Speaker::side_right: r = kBs775Gain; break;
            case Speaker::other: return std::nullopt;
        }
        d.gains[c] = l;
        d.gains[layout.size() + c] = r;
    }
    return d;
}

}  // namespace earshot
