#pragma once
// The file layer's enumerations as data (earshot/core/enum_spec.hpp): output encodings and level measures,
// as the CLI's --format and --level-measure accept them (docs/rendering.md, docs/outputs.md).
#include "earshot/core/enum_spec.hpp"
#include "earshot/io/audio_file.hpp"
#include "earshot/io/render.hpp"

namespace earshot::names {

inline constexpr EnumSpec<AudioFormat, 5> audio_format{"format", {{
    {AudioFormat::wav_float32, "wav32", "WAV, 32-bit float"},
    {AudioFormat::wav_pcm16, "wav16", "WAV, 16-bit PCM"},
    {AudioFormat::wav_pcm24, "wav24", "WAV, 24-bit PCM"},
    {AudioFormat::flac_pcm16, "flac16", "FLAC, 16-bit"},
    {AudioFormat::flac_pcm24, "flac24", "FLAC, 24-bit"},
}}};
inline constexpr EnumSpec<LevelMeasure, 2> level_measure{"level_measure", {{
    {LevelMeasure::active, "active", "active speech level (10 ms frames within 12 dB of the overall RMS)"},
    {LevelMeasure::rms, "rms", "overall RMS of the file (the Nucleus toolbox's convention)"},
}}};

}  // namespace earshot::names
