// The calendar-date parsers of every dialect (core/dates) and Origin's ISO date-times
// (validate::iso_datetime_ms). Checks, besides memory safety, that an accepted date is a real one
// and formats back to the text it came from.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/dates.hpp"
#include "core/validate.hpp"

using namespace certreg;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  if (auto d = dates::parse_yyyymmdd(s)) {
    if (!dates::is_valid(d->year, d->month, d->day) || dates::format_yyyymmdd(*d) != s)
      std::abort();
  }
  if (auto d = dates::parse_iso(s)) {
    if (!dates::is_valid(d->year, d->month, d->day) || dates::format_iso(*d) != s) std::abort();
    // A date alone is its midnight, UTC.
    if (validate::iso_datetime_ms(s) != dates::days_from_civil(*d) * 86400000) std::abort();
  }
  if (auto d = dates::parse_dd_mm_yyyy(s)) {
    auto iso = dates::format_iso(*d);  // YYYY-MM-DD from DD.MM.YYYY
    if (iso.substr(0, 4) != s.substr(6, 4) || iso.substr(5, 2) != s.substr(3, 2) ||
        iso.substr(8, 2) != s.substr(0, 2))
      std::abort();
  }
  if (auto ms = validate::iso_datetime_ms(s)) {
    // Whatever the time and offset, the instant is within a day and a half of the date's midnight.
    auto midnight = dates::days_from_civil(*dates::parse_iso(s.substr(0, 10))) * 86400000;
    if (*ms < midnight - 86400000 || *ms > midnight + 2 * 86400000) std::abort();
  }
  return 0;
}
