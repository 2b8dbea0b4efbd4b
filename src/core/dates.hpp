// Calendar dates as the dialects write them: IAF YYYYMMDD, ISO-8601 YYYY-MM-DD, EDIN DD.MM.YYYY.
// Every parser accepts only real calendar dates (no 20230230), years 1000-9999.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace certreg::dates {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  auto operator<=>(const Date&) const = default;
};

bool is_valid(int year, int month, int day);
std::optional<Date> parse_yyyymmdd(std::string_view s);
std::optional<Date> parse_iso(std::string_view s);
std::optional<Date> parse_dd_mm_yyyy(std::string_view s);

std::string format_yyyymmdd(const Date& d);
std::string format_iso(const Date& d);

// Days since 1970-01-01 (proleptic Gregorian), for comparisons and arithmetic.
std::int64_t days_from_civil(const Date& d);

}  // namespace certreg::dates
