#include "core/gln.hpp"

namespace certreg::gln {

bool well_formed(std::string_view s) {
  if (s.size() != 13) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool check_digit_ok(std::string_view s) {
  if (!well_formed(s)) return false;
  // Weights 1,3,1,3,... from the left over the first 12 digits (GS1 for 13-digit keys).
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (s[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return (10 - sum % 10) % 10 == s[12] - '0';
}

}  // namespace certreg::gln
