#include "core/dates.hpp"

#include <gtest/gtest.h>

using namespace certreg::dates;

TEST(Dates, ParsesRealCalendarDates) {
  EXPECT_EQ(parse_yyyymmdd("20170203"), (Date{2017, 2, 3}));
  EXPECT_EQ(parse_yyyymmdd("20240229"), (Date{2024, 2, 29}));
  EXPECT_EQ(parse_iso("2023-12-31"), (Date{2023, 12, 31}));
  EXPECT_EQ(parse_dd_mm_yyyy("03.02.2017"), (Date{2017, 2, 3}));
}

TEST(Dates, LeapYears) {
  EXPECT_TRUE(parse_yyyymmdd("20240229"));
  EXPECT_FALSE(parse_yyyymmdd("20230229"));
  EXPECT_FALSE(parse_yyyymmdd("19000229"));  // divisible by 100, not by 400
  EXPECT_TRUE(parse_yyyymmdd("20000229"));   // divisible by 400
  EXPECT_TRUE(parse_iso("2024-02-29"));
  EXPECT_FALSE(parse_iso("2023-02-29"));
  EXPECT_FALSE(parse_iso("1900-02-29"));
  EXPECT_TRUE(parse_iso("2000-02-29"));
  EXPECT_TRUE(parse_dd_mm_yyyy("29.02.2024"));
  EXPECT_FALSE(parse_dd_mm_yyyy("29.02.2023"));
  EXPECT_FALSE(parse_dd_mm_yyyy("29.02.1900"));
  EXPECT_TRUE(parse_dd_mm_yyyy("29.02.2000"));
  EXPECT_FALSE(parse_yyyymmdd("20240230"));
}

TEST(Dates, MonthAndDayBounds) {
  EXPECT_FALSE(parse_yyyymmdd("20230001"));
  EXPECT_FALSE(parse_yyyymmdd("20231301"));
  EXPECT_FALSE(parse_yyyymmdd("20230100"));
  EXPECT_FALSE(parse_yyyymmdd("20230132"));
  EXPECT_FALSE(parse_yyyymmdd("20230431"));
  EXPECT_TRUE(parse_yyyymmdd("20230131"));
  EXPECT_TRUE(parse_yyyymmdd("20231201"));
  EXPECT_FALSE(parse_iso("2023-00-01"));
  EXPECT_FALSE(parse_iso("2023-13-01"));
  EXPECT_FALSE(parse_iso("2023-01-00"));
  EXPECT_FALSE(parse_iso("2023-01-32"));
  EXPECT_FALSE(parse_dd_mm_yyyy("01.00.2023"));
  EXPECT_FALSE(parse_dd_mm_yyyy("01.13.2023"));
  EXPECT_FALSE(parse_dd_mm_yyyy("00.01.2023"));
  EXPECT_FALSE(parse_dd_mm_yyyy("32.01.2023"));
}

TEST(Dates, YearRange) {
  EXPECT_FALSE(parse_yyyymmdd("09990101"));
  EXPECT_EQ(parse_yyyymmdd("10000101"), (Date{1000, 1, 1}));
  EXPECT_EQ(parse_yyyymmdd("99991231"), (Date{9999, 12, 31}));
  EXPECT_FALSE(parse_iso("0000-01-01"));
}

TEST(Dates, WrongLengths) {
  for (const char* s : {"", "2023010", "202301011", "2023-1-1", " 20230101", "20230101 "})
    EXPECT_FALSE(parse_yyyymmdd(s)) << s;
  for (const char* s : {"", "2023-01-1", "2023-1-01", "2023-01-011", "20230101", " 2023-01-01"})
    EXPECT_FALSE(parse_iso(s)) << s;
  for (const char* s : {"", "1.01.2023", "01.1.2023", "01.01.23", "01.01.20233"})
    EXPECT_FALSE(parse_dd_mm_yyyy(s)) << s;
}

TEST(Dates, NonDigits) {
  for (const char* s : {"2023O101", "2023-101", "+2023010", "2023010a", "２０２３"})
    EXPECT_FALSE(parse_yyyymmdd(s)) << s;
  for (const char* s : {"2023-0a-01", "+023-01-01", "2023-01-0 ", "-023-01-01"})
    EXPECT_FALSE(parse_iso(s)) << s;
  EXPECT_FALSE(parse_dd_mm_yyyy("0a.01.2023"));
  EXPECT_FALSE(parse_dd_mm_yyyy("01.01.20x3"));
}

TEST(Dates, Separators) {
  EXPECT_FALSE(parse_iso("2023/01/01"));
  EXPECT_FALSE(parse_iso("2023.01.01"));
  EXPECT_FALSE(parse_iso("2023-01/01"));
  EXPECT_FALSE(parse_dd_mm_yyyy("01-01-2023"));
  EXPECT_FALSE(parse_dd_mm_yyyy("01/01/2023"));
  EXPECT_FALSE(parse_dd_mm_yyyy("01.01-2023"));
  EXPECT_FALSE(parse_dd_mm_yyyy("2023.01.01"));
  // Each parser reads only its own format.
  EXPECT_FALSE(parse_yyyymmdd("2023-01-01"));
  EXPECT_FALSE(parse_iso("01.01.2023"));
}

TEST(Dates, IsValid) {
  EXPECT_TRUE(is_valid(2024, 2, 29));
  EXPECT_FALSE(is_valid(2023, 2, 29));
  EXPECT_FALSE(is_valid(2023, 6, 31));
  EXPECT_FALSE(is_valid(10000, 1, 1));
  EXPECT_FALSE(is_valid(2023, -1, 1));
}

TEST(Dates, Formats) {
  EXPECT_EQ(format_yyyymmdd({2017, 2, 3}), "20170203");
  EXPECT_EQ(format_iso({2017, 2, 3}), "2017-02-03");
  EXPECT_EQ(format_iso({1000, 12, 31}), "1000-12-31");
  Date d{2024, 2, 29};
  EXPECT_EQ(parse_yyyymmdd(format_yyyymmdd(d)), d);
  EXPECT_EQ(parse_iso(format_iso(d)), d);
}

TEST(Dates, DaysFromCivil) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  EXPECT_EQ(days_from_civil({2000, 1, 1}), 10957);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  EXPECT_EQ(days_from_civil({2017, 2, 3}), 17200);
  EXPECT_EQ(days_from_civil({2024, 2, 29}), 19782);
  EXPECT_EQ(days_from_civil({1000, 1, 1}), -354285);
  EXPECT_EQ(days_from_civil({9999, 12, 31}), 2932896);
}

TEST(Dates, DaysFromCivilIsConsecutiveAndOrdered) {
  // Walking every day of 1999-2001 through the parser: each is exactly one more than the last.
  std::int64_t prev = days_from_civil({1998, 12, 31});
  Date prev_date{1998, 12, 31};
  int days = 0;
  for (int y = 1999; y <= 2001; ++y)
    for (int m = 1; m <= 12; ++m)
      for (int d = 1; d <= 31; ++d) {
        if (!is_valid(y, m, d)) continue;
        Date date{y, m, d};
        EXPECT_EQ(days_from_civil(date), prev + 1) << format_iso(date);
        EXPECT_LT(prev_date, date);
        prev = days_from_civil(date);
        prev_date = date;
        ++days;
      }
  EXPECT_EQ(days, 365 + 366 + 365);
}
