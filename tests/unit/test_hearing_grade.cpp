// The WHO 2021 grades (World report on hearing, Table 1) at and either side of each boundary, and the
// four-frequency average as the mean of the audiogram at 0.5, 1, 2 and 4 kHz.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "earshot/hearing/hearing_grade.hpp"

using namespace earshot;

TEST(HearingGrade, WhoGradeBoundaries) {
    EXPECT_EQ(std::string(who_grade(-10)), "normal");
    EXPECT_EQ(std::string(who_grade(19.9)), "normal");
    EXPECT_EQ(std::string(who_grade(20)), "mild");
    EXPECT_EQ(std::string(who_grade(34.9)), "mild");
    EXPECT_EQ(std::string(who_grade(35)), "moderate");
    EXPECT_EQ(std::string(who_grade(50)), "moderately severe");
    EXPECT_EQ(std::string(who_grade(65)), "severe");
    EXPECT_EQ(std::string(who_grade(79.9)), "severe");
    EXPECT_EQ(std::string(who_grade(80)), "profound");
    EXPECT_EQ(std::string(who_grade(94.9)), "profound");
    EXPECT_EQ(std::string(who_grade(95)), "complete");
    EXPECT_EQ(std::string(who_grade(120)), "complete");
}

TEST(HearingGrade, Pta4IsTheMeanAtTheFourFrequencies) {
    const Audiogram a{{250, 500, 1000, 2000, 4000, 8000}, {0, 10, 20, 40, 70, 90}};
    EXPECT_DOUBLE_EQ(pta4_db(a), (10.0 + 20.0 + 40.0 + 70.0) / 4.0);
}
