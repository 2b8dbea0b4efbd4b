// The provisioning document (admin/provisioning_parse), as `certreg provision`, `serve
// --provision` and POST /admin/v1/provision read it. Refusing a document is a ProvisionError;
// any other exception escapes and is reported as a crash.
#include <cstdint>
#include <string>

#include "admin/provisioning.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string document(reinterpret_cast<const char*>(data), size);
  try {
    certreg::admin::parse_provisioning(document);
  } catch (const certreg::admin::ProvisionError&) {
  }
  return 0;
}
