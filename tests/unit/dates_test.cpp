#include "core/dates.hpp"

#include <gtest/gtest.h>

using namespace certreg::dates;

TEST(Dates, ParsesRealCalendarDates) {
  EXPECT_EQ(parse_yyyymmdd("20170203"), (Date{2017, 2, 3}));
  EXPECT_EQ(parse_yyyymmdd("20240229"), (Date{2024, 2, 29}));
  EXPECT_EQ(parse_iso("2023-12-31"), (Date{2023, 12, 31}));
  EXPECT_EQ(parse_dd_mm_yyyy("03.02.2017"), (Date{2017, 2, 3}));
}
