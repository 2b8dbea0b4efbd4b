// How a certreg Origin certification is kept in the database: one JSON document per
// certification (store column origin_certifications.document). Not a wire format.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/origin.hpp"

namespace certreg::origin {

std::string to_storage_json(const Certification& c);
// nullopt if the text is not a stored certification (a bug or a damaged row).
std::optional<Certification> from_storage_json(std::string_view json);

}  // namespace certreg::origin
