// Sertifika Merkezi request bodies -> core types. Keys are matched ignoring case (the docs write
// both "Name" and "name"); values of the wrong JSON type are recorded per item, so that each
// item is judged on its own. A body that cannot be read at all gets a message for a 400.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/sertifika_service.hpp"

namespace certreg::dialects::sertifika {

using certreg::sertifika::IssueItem;

// POST certificate/: {"certificateItem": [{...}, ...]}. On failure sets `error`, returns false.
bool parse_issue(const std::string& body, std::size_t max_items, std::vector<IssueItem>& items,
                 std::string& error);

// DELETE certificate/{id}/user: an empty body means every holder (emails = nullopt); otherwise a
// JSON list of e-mail addresses or {"emails": [...]}. On failure sets `error`, returns false.
bool parse_revoke(const std::string& body, std::size_t max_emails,
                  std::optional<std::vector<std::string>>& emails, std::string& error);

}  // namespace certreg::dialects::sertifika
