#pragma once
// Choices shared by the coding strategies' parameters.
namespace earshot {

enum class EnvelopeMethod { vector_sum, power_sum };
enum class PulseOrder { base_to_apex, apex_to_base };
enum class FrontEnd { none, pre_emphasis };

}  // namespace earshot
