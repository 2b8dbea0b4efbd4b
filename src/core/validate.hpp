// Format checks that several dialects share. Each takes the trimmed text as sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace certreg::validate {

bool is_email(std::string_view s);
// http(s)://host/... or, when allow_schemeless, host.tld/... ("www.acme.com"); the host must
// have a dot and no spaces.
bool is_public_url(std::string_view s, bool allow_schemeless);
// -12, 3.50, .5 (a plain decimal; no exponent).
bool is_decimal(std::string_view s);
// A CAS registry number in its printed form: 2-7 digits, 2 digits, and the check group.
bool is_cas_number(std::string_view s);
// An ISO-8601 date (2018-09-15) or date-time (2008-09-15T15:53:00, with optional fraction and
// Z / +hh:mm offset). Returns epoch milliseconds (UTC; a date is its midnight).
std::optional<std::int64_t> iso_datetime_ms(std::string_view s);

}  // namespace certreg::validate
