#pragma once
// The scene layer's enumerations as data (earshot/core/enum_spec.hpp): the names scene files and the CLI
// use. docs/scene-files.md lists the same names (checked by tests/unit/test_param_tables.cpp).
#include "earshot/core/enum_spec.hpp"
#include "earshot/scene/scene.hpp"
#include "earshot/scene/tinnitus.hpp"

namespace earshot::names {

inline constexpr EnumSpec<Curve, 5> curve{"curve", {{
    {Curve::linear, "linear", "x"},
    {Curve::ease_in, "ease_in", "x^2: starts slowly"},
    {Curve::ease_out, "ease_out", "1 - (1 - x)^2: starts fast"},
    {Curve::smooth, "smooth", "(1 - cos(pi x)) / 2: slow at both ends"},
    {Curve::step, "step", "0 until the end of the duration, then 1"},
}}};
inline constexpr EnumSpec<EarSel, 3> ears{"ear", {{
    {EarSel::left, "left", "the left ear"},
    {EarSel::right, "right", "the right ear"},
    {EarSel::both, "both", "both ears"},
}}};
inline constexpr EnumSpec<TinnitusKind, 3> tinnitus_kind{"kind", {{
    {TinnitusKind::tone, "tone", "a pure tone"},
    {TinnitusKind::narrowband_noise, "narrowband_noise", "a noise band around freq_hz"},
    {TinnitusKind::ring_out, "ring_out", "a tone that decays after a loud sound"},
}}};
/// What a tinnitus level is relative to; a scene file says it by the key it gives (level_db_spl, level_db_sl).
inline constexpr EnumSpec<LevelRef, 2> level_ref{"level_ref", {{
    {LevelRef::db_spl, "db_spl", "re 20 uPa (the key level_db_spl)"},
    {LevelRef::db_sl, "db_sl", "re the listener's threshold at freq_hz (the key level_db_sl)"},
}}};

}  // namespace earshot::names
