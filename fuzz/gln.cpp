// GS1 Global Location Numbers (core/gln), as EDIN and the provisioning document check them.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/gln.hpp"

using namespace certreg;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  bool formed = gln::well_formed(s);
  bool checked = gln::check_digit_ok(s);
  if (checked && !formed) std::abort();
  if (formed) {
    // Exactly one last digit makes the check digit right.
    std::string g(s);
    int ok = 0;
    for (char c = '0'; c <= '9'; ++c) {
      g.back() = c;
      ok += gln::check_digit_ok(g) ? 1 : 0;
    }
    if (ok != 1) std::abort();
  }
  return 0;
}
