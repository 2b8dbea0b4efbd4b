// GS1 Global Location Numbers: 13 digits, the last a check digit.
#pragma once

#include <string_view>

namespace certreg::gln {

// Thirteen ASCII digits.
bool well_formed(std::string_view s);
// Well-formed and the GS1 mod-10 check digit matches.
bool check_digit_ok(std::string_view s);

}  // namespace certreg::gln
