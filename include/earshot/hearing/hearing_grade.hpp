#pragma once
// The pure-tone average and the WHO grade of hearing loss.
//  * Four-frequency pure-tone average (PTA4): the mean of the hearing levels at 0.5, 1, 2 and 4 kHz, dB HL,
//    each read from the audiogram by its own interpolation rule (Audiogram::at).
//  * WHO grades (World report on hearing, WHO 2021, Table 1), on the better ear's PTA4 in dB HL:
//    normal < 20, mild 20-<35, moderate 35-<50, moderately severe 50-<65, severe 65-<80,
//    profound 80-<95, complete (total) >= 95.
#include <array>

#include "earshot/hearing/audiogram.hpp"

namespace earshot {

struct WhoGrade {
    double from_db;    ///< lowest PTA4 of the grade, dB HL (inclusive)
    const char* name;  ///< "normal", "mild", ..., "complete"
};
/// The grades in increasing order; a grade lasts up to the next one's from_db.
inline constexpr std::array<WhoGrade, 7> kWhoGrades{{{-1e300, "normal"},
                                                     {20, "mild"},
                                                     {35, "moderate"},
                                                     {50, "moderately severe"},
                                                     {65, "severe"},
                                                     {80, "profound"},
                                                     {95, "complete"}}};

/// The WHO 2021 grade of a four-frequency average pta_db (dB HL).
const char* who_grade(double pta_db) noexcept;
/// Four-frequency pure-tone average (0.5, 1, 2, 4 kHz) of an audiogram, dB HL.
double pta4_db(const Audiogram& a);

}  // namespace earshot
