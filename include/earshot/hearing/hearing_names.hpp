#pragma once
// The hearing layer's enumerations as data (earshot/core/enum_spec.hpp): the names the CLI, listener files
// and scenes use. docs/rendering.md and docs/listener-files.md list the same names (checked by
// tests/unit/test_param_tables.cpp).
#include "earshot/core/enum_spec.hpp"
#include "earshot/hearing/hearing_aid.hpp"
#include "earshot/hearing/hearing_loss.hpp"
#include "earshot/hearing/listener.hpp"
#include "earshot/hearing/standards.hpp"

namespace earshot::names {

inline constexpr EnumSpec<SoundField, 4> field{"field", {{
    {SoundField::free_field, "free", "free field, frontal incidence"},
    {SoundField::diffuse_field, "diffuse", "diffuse field"},
    {SoundField::ear_reference_point, "erp", "ear reference point (ITU-T P.58: telephone, headphone-equalised)"},
    {SoundField::eardrum, "eardrum", "already at the eardrum (no head or outer-ear correction)"},
}}};
inline constexpr EnumSpec<LossDegree, 2> degree{"degree", {{
    {LossDegree::classes, "classes", "MSBG's discrete broadening classes (mild, moderate, severe)"},
    {LossDegree::continuous, "continuous", "broadening follows the loss continuously"},
}}};
inline constexpr EnumSpec<HearingAidRule, 2> hearing_aid{"hearing_aid", {{
    {HearingAidRule::nal_r, "nal-r", "NAL-R linear prescription (Byrne & Dillon 1986)"},
    {HearingAidRule::none, "none", "no hearing aid"},
}}};
inline constexpr EnumSpec<Ear, 2> ear{"ear", {{
    {Ear::left, "left", "the left ear"},
    {Ear::right, "right", "the right ear"},
}}};
inline constexpr EnumSpec<Sex, 2> sex{"sex", {{
    {Sex::male, "male", "ISO 7029 male thresholds"},
    {Sex::female, "female", "ISO 7029 female thresholds"},
}}};

}  // namespace earshot::names
