// IAF CertSearch request bodies -> core types. Every problem is collected with its field name
// (dot notation for nested fields: "schemes.0.scheme_name") and the value that was sent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/iaf.hpp"
#include "json/reader.hpp"

namespace certreg::dialects::iaf {

struct Problem {
  std::string field, message;
  std::string input_json;  // the value sent, as JSON ("null" when absent)
};
using Problems = std::vector<Problem>;

// One upload-cert record (the body of upload-cert, or one element of bulk-upload-cert).
void parse_certification(const json::Element& record, certreg::iaf::Role role,
                         certreg::iaf::CertificationInput& out, Problems& problems);

// PUT ce-name-by-guid and ce-by-guid.
void parse_entity_name(const json::Element& body, std::string& guid, certreg::iaf::EntityPatch& out,
                       Problems& problems);
void parse_entity_details(const json::Element& body, std::string& guid,
                          certreg::iaf::EntityPatch& out, Problems& problems);

// upload-cb (upload: the required fields apply) and PUT cb (a patch: nothing required).
void parse_cb(const json::Element& body, bool upload, certreg::iaf::CbInput& out,
              Problems& problems);
// certification_bodies_id, or else certification_bodies_guid_in_ab (the AB's identity number).
void parse_cb_ref(const json::Element& body, certreg::iaf::CbRef& out, Problems& problems);

// The canonical spelling of a certification status, or nullopt if it is not one.
std::optional<std::string> canonical_status(std::string_view s);
std::optional<std::string> canonical_accreditation_status(std::string_view s);
// A CB's accreditation status: active, suspended or withdrawn.
std::optional<std::string> canonical_cb_status(std::string_view s);

}  // namespace certreg::dialects::iaf
