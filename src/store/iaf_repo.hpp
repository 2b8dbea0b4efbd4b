// SQL for the IAF CertSearch domain: bodies, certified entities, certifications.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/iaf.hpp"
#include "store/db.hpp"

namespace certreg::store::iaf {

using certreg::iaf::CertificationInput;
using certreg::iaf::CertificationPage;
using certreg::iaf::CertificationView;
using certreg::iaf::EntityInput;
using certreg::iaf::EntityPatch;
using certreg::iaf::EntityView;

struct Body {
  std::string id, kind, name;
  std::optional<std::string> acronym, country, accreditation_body_id, identity_number;
  std::string accreditation_status;
  std::optional<std::int64_t> withdrawn_at;
};

std::optional<Body> find_body(Connection& c, std::string_view id);
std::optional<Body> find_cb_by_identity(Connection& c, std::string_view ab_id,
                                        std::string_view identity_number);
std::vector<Body> mncb_members(Connection& c, std::string_view mncb_id);
// The IAF organisation holding the API key with this SHA-256.
std::optional<Body> body_by_key_hash(Connection& c, std::string_view key_hash);

struct EntityKey {
  std::string id, name, former_names_json;
};
std::optional<EntityKey> find_entity_key(Connection& c, std::string_view uploader_id,
                                         std::string_view cb_id, std::string_view unique_id);
// False when another writer created the same entity first.
bool insert_entity(Connection& c, std::string_view id, std::string_view uploader_id,
                   std::string_view cb_id, const EntityInput& e, std::int64_t now);
void update_entity_from_upload(Connection& c, std::string_view id, const EntityInput& e,
                               std::string_view former_names_json, std::int64_t now);
void patch_entity(Connection& c, std::string_view id, const EntityPatch& p,
                  std::string_view former_names_json, std::int64_t now);
std::optional<EntityView> get_entity(Connection& c, std::string_view id,
                                     std::string_view uploader_id);
std::vector<EntityView> entities_by_unique_id(Connection& c, std::string_view uploader_id,
                                              std::string_view unique_id);
// Deletes the entity and its certifications; returns the ids of the deleted certifications.
std::vector<std::string> delete_entity(Connection& c, std::string_view id);

std::optional<std::string> find_certification_id(Connection& c, std::string_view cb_id,
                                                 std::string_view cert_key,
                                                 std::string_view uploader_id);
bool insert_certification(Connection& c, std::string_view id, std::string_view uploader_id,
                          std::string_view uploader_role, std::string_view cb_id,
                          std::string_view ab_id, std::string_view entity_id,
                          const CertificationInput& in, std::int64_t now);
void update_certification(Connection& c, std::string_view id, std::string_view ab_id,
                          std::string_view entity_id, const CertificationInput& in,
                          std::int64_t now);
std::optional<CertificationView> get_certification(Connection& c, std::string_view id,
                                                   std::string_view uploader_id);
CertificationPage list_certifications(Connection& c, std::string_view uploader_id, int limit,
                                      std::int64_t offset_rows);
bool delete_certification(Connection& c, std::string_view id, std::string_view uploader_id);

// The stored certification (with its entity) as JSON, for the history table.
std::string certification_state(Connection& c, std::string_view id);
std::string entity_state(Connection& c, std::string_view id);

}  // namespace certreg::store::iaf
