// CAS registry numbers (validate::is_cas_number), as Origin Connect checks exempt compounds.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/validate.hpp"

using namespace certreg;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  if (!validate::is_cas_number(s)) return 0;
  // Accepted: digits in three groups, 2-7, 2 and 1-2 long (docs/origin.md).
  auto first = s.find('-');
  auto second = s.find('-', first + 1);
  if (first < 2 || first > 7 || second != first + 3 || s.size() - second - 1 < 1 ||
      s.size() - second - 1 > 2 || s.find_first_not_of("0123456789-") != std::string_view::npos)
    std::abort();
  return 0;
}
