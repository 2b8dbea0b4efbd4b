#include "core/iaf.hpp"

namespace certreg::iaf {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::ab:
      return "ab";
    case Role::cb:
      return "cb";
    case Role::mncb:
      return "mncb";
  }
  return "cb";
}

std::string CertificationInput::cert_key() const {
  return identity_number ? "i:" + *identity_number : "n:" + certificate_number;
}

}  // namespace certreg::iaf
