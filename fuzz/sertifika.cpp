// Sertifika Merkezi request bodies (dialects/sertifika/parse): the first byte picks POST
// certificate/ (parse_issue) or DELETE certificate/{id}/user (parse_revoke), the rest is the body,
// as the handlers in dialects/sertifika/routes.cpp pass it.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "common/input.hpp"
#include "core/limits.hpp"
#include "dialects/sertifika/parse.hpp"

using namespace certreg;
namespace dialect = certreg::dialects::sertifika;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = fuzz::split(data, size, 2);
  std::string error;
  if (in.choice == 0) {
    std::vector<sertifika::IssueItem> items;
    bool ok = dialect::parse_issue(in.rest, limits::kSertifikaMaxItems, items, error);
    if (ok == !error.empty() || (ok && items.size() > limits::kSertifikaMaxItems)) std::abort();
  } else {
    std::optional<std::vector<std::string>> emails;
    bool ok = dialect::parse_revoke(in.rest, limits::kSertifikaMaxItems, emails, error);
    if (ok == !error.empty() || (ok && emails && emails->size() > limits::kSertifikaMaxItems))
      std::abort();
  }
  return 0;
}
