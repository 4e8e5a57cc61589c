#include "earshot/hearing/hearing_grade.hpp"

#include <cstddef>

namespace earshot {

const char* who_grade(double pta_db) noexcept {
    for (std::size_t i = 1; i < kWhoGrades.size(); ++i)
        if (pta_db < kWhoGrades[i].from_db) return kWhoGrades[i - 1].name;
    return kWhoGrades.back().name;
}

double pta4_db(const Audiogram& a) { return (a.at(500) + a.at(1000) + a.at(2000) + a.at(4000)) / 4.0; }

}  // namespace earshot
