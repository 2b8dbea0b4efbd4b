// Origin Connect request bodies and query strings -> core types. Validation collects every
// problem as a message in Origin's style, naming items with 1-based indexes:
// "certifications[1] require one locale.",
// "certifications[1] has invalid value ''ADD ITEM'' for field contact[1].collectionBehavior.
//  Allowed value(s) : [ADD,REMOVE]".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/origin.hpp"
#include "core/origin_service.hpp"
#include "http/message.hpp"
#include "json/reader.hpp"

namespace certreg::dialects::origin {

using Messages = std::vector<std::string>;
using certreg::origin::Action;
using certreg::origin::Version;

// Parses a body as JSON. A body that is JSON but for trailing commas ("a": 1,}) is accepted too:
// one of the seed's own samples has one. On failure adds a message and returns false.
bool parse_body(const std::string& body, json::Element& root, Messages& messages);

// certifications[] of a create, update or delete request.
std::optional<certreg::origin::Command> parse_command(const json::Element& root, Action action,
                                                      Version version, std::size_t max_items,
                                                      Messages& messages);

struct SearchRequest {
  std::string locale;
  int page_number = 1, page_size = 10;
  certreg::origin::SearchCriteria criteria;
};
std::optional<SearchRequest> parse_search(const json::Element& root, Messages& messages);

// Query parameters of the lookups: locale, pageNumber, pageSize, keyword, standardType.
struct LookupQuery {
  std::string locale;
  int page_number = 1, page_size = 10;
  std::string keyword;  // lowercased; empty matches everything ('*' too)
  std::optional<std::string> standard_type;
};
std::optional<LookupQuery> parse_lookup(const http::Request& req, bool paged,
                                        bool standard_type_required, Messages& messages);

}  // namespace certreg::dialects::origin
