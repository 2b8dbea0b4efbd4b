// IAF CertSearch request bodies (dialects/iaf/parse): the first byte picks the body's route and the
// caller's role, the rest is the body, parsed with json::parse and handed to the parser as the
// handlers in dialects/iaf/routes.cpp do (bulk-upload-cert parses each record of its list).
// Checks that the JSON a valid body is normalized to (stored, and later read back) is JSON.
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "common/input.hpp"
#include "dialects/iaf/parse.hpp"
#include "json/reader.hpp"

using namespace certreg;
namespace dialect = certreg::dialects::iaf;

namespace {

enum Route {
  upload,
  bulk_upload,
  entity_name,
  entity_details,
  upload_cb,
  update_cb,
  cb_ref,
  kRoutes
};
constexpr iaf::Role kRoles[] = {iaf::Role::ab, iaf::Role::cb, iaf::Role::mncb};

void expect_json(const std::optional<std::string>& text) {
  json::Element root;
  if (text && json::parse(*text, root) != json::ParseStatus::ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = fuzz::split(data, size, kRoutes * std::size(kRoles));
  auto route = static_cast<Route>(in.choice % kRoutes);
  iaf::Role role = kRoles[in.choice / kRoutes];
  json::Element root;
  if (json::parse(in.rest, root) != json::ParseStatus::ok) return 0;
  dialect::Problems problems;
  std::vector<std::optional<std::string>> normalized;  // checked once root is no longer used
  switch (route) {
    case upload:
    case bulk_upload: {
      auto parse_one = [&](const json::Element& record) {
        iaf::CertificationInput out;
        dialect::parse_certification(record, role, out, problems);
        if (problems.empty()) {
          normalized.emplace_back(out.schemes_json);
          normalized.push_back(out.sites_json);
          out.cert_key();
        }
      };
      json::Array records;
      if (route == upload)
        parse_one(root);
      else if (root["certifications"].get(records) == simdjson::SUCCESS)
        for (auto record : records) parse_one(record);
      break;
    }
    case entity_name:
    case entity_details: {
      std::string guid;
      iaf::EntityPatch patch;
      (route == entity_name ? dialect::parse_entity_name : dialect::parse_entity_details)(
          root, guid, patch, problems);
      if (problems.empty()) normalized.push_back(patch.system_information_json);
      break;
    }
    case upload_cb:
    case update_cb: {
      iaf::CbInput cb;
      dialect::parse_cb(root, route == upload_cb, cb, problems);
      if (problems.empty())
        for (auto* list :
             {&cb.offices_json, &cb.countries_json, &cb.standards_json, &cb.sectors_json})
          normalized.push_back(*list);
      break;
    }
    case cb_ref: {
      iaf::CbRef ref;
      dialect::parse_cb_ref(root, ref, problems);
      break;
    }
    case kRoutes:
      break;
  }
  // Problems echo the value sent as JSON.
  for (const auto& p : problems) normalized.emplace_back(p.input_json);
  for (const auto& n : normalized) expect_json(n);
  return 0;
}
