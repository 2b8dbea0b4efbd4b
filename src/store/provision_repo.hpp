// SQL for provisioning: organisations, credentials and reference data. Every upsert changes a row
// only when a value differs, and returns the number of rows changed, so re-applying a document
// changes nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "admin/provisioning.hpp"
#include "store/db.hpp"
#include "store/iaf_repo.hpp"

namespace certreg::store::provision {

// Absent optional values keep what is stored; the accreditation status is not provisioned.
int upsert_iaf_body(Connection& c, const iaf::Body& b, std::int64_t now);
int set_mncb_members(Connection& c, std::string_view mncb_id, const std::vector<std::string>& cbs);

struct CredentialOwner {
  std::string realm, owner_id;
};
std::optional<CredentialOwner> credential_owner(Connection& c, std::string_view key_hash);
// Makes `hashes` the complete set of credentials of (realm, owner_id).
int set_credentials(Connection& c, std::string_view realm, std::string_view owner_id,
                    const std::vector<std::string>& hashes, std::int64_t now);

int upsert_origin_company(Connection& c, std::string_view id, std::string_view name,
                          std::int64_t now);
int add_origin_reporting_body(Connection& c, std::string_view name, std::string_view origin_id);
int upsert_origin_standard(Connection& c, std::string_view code, std::string_view name,
                           std::string_view type);

int upsert_sertifika_company(Connection& c, std::string_view id, std::string_view name,
                             std::int64_t now);
// The stored template whose id equals `template_id` ignoring case (the API looks ids up so).
struct TemplateOwner {
  std::string id, company_id;
};
std::optional<TemplateOwner> sertifika_template_like(Connection& c, std::string_view template_id);
int upsert_sertifika_template(Connection& c, std::string_view id, std::string_view company_id,
                              std::string_view name, std::string_view properties_json);

int upsert_edin_user(Connection& c, std::string_view login, std::string_view password_hash,
                     std::int64_t now);
int set_edin_user_glns(Connection& c, std::string_view login, const std::vector<std::string>& glns);
// Absent optional values keep what is stored.
int upsert_edin_gln(Connection& c, const admin::EdinGln& g);

}  // namespace certreg::store::provision
