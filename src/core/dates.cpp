#include "core/dates.hpp"

#include <fmt/format.h>

namespace certreg::dates {

static bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool is_valid(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  int max = kDays[month - 1] + (month == 2 && leap(year) ? 1 : 0);
  return day <= max;
}

// Reads exactly n ASCII digits at s[pos]; -1 when any is not a digit.
static int digits(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static std::optional<Date> make(int y, int m, int d) {
  if (y < 0 || m < 0 || d < 0 || !is_valid(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

std::optional<Date> parse_yyyymmdd(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  return make(digits(s, 0, 4), digits(s, 4, 2), digits(s, 6, 2));
}

std::optional<Date> parse_iso(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  return make(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2));
}

std::optional<Date> parse_dd_mm_yyyy(std::string_view s) {
  if (s.size() != 10 || s[2] != '.' || s[5] != '.') return std::nullopt;
  return make(digits(s, 6, 4), digits(s, 3, 2), digits(s, 0, 2));
}

std::string format_yyyymmdd(const Date& d) {
  return fmt::format("{:04}{:02}{:02}", d.year, d.month, d.day);
}

std::string format_iso(const Date& d) {
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

// Howard Hinnant's days_from_civil.
std::int64_t days_from_civil(const Date& d) {
  int y = d.year - (d.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(d.month + (d.month > 2 ? -3 : 9));
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace certreg::dates
