// SQL for the IAF CertSearch domain: bodies, certified entities, certifications.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/iaf.hpp"
#include "store/db.hpp"

namespace certreg::store::iaf {

using certreg::iaf::CbInput;
using certreg::iaf::CbPage;
using certreg::iaf::CbRef;
using certreg::iaf::CbView;
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
// Locks the entity's row until the transaction ends, so that two instances renaming one entity
// at once both keep the name they replace (PostgreSQL; SQLite has one writer).
std::optional<EntityKey> find_entity_key(Connection& c, std::string_view uploader_id,
                                         std::string_view cb_id, std::string_view unique_id);
// The entity as stored, or nullopt when another writer created the same entity first.
std::optional<EntityView> insert_entity(Connection& c, std::string_view id,
                                        std::string_view uploader_id, std::string_view cb_id,
                                        const EntityInput& e, std::int64_t now);
EntityView update_entity_from_upload(Connection& c, std::string_view id, const EntityInput& e,
                                     std::string_view former_names_json, std::int64_t now);
void patch_entity(Connection& c, std::string_view id, const EntityPatch& p,
                  std::string_view former_names_json, std::int64_t now);
std::optional<EntityView> get_entity(Connection& c, std::string_view id,
                                     std::string_view uploader_id);
std::vector<EntityView> entities_by_unique_id(Connection& c, std::string_view uploader_id,
                                              std::string_view unique_id);
// The certifications that are versions of one certification: same CB, same certificate key.
struct Group {
  std::string cb_id, cert_key;
};
struct Deleted {
  std::string id;
  Group group;
};
// Deletes the entity and its certifications; returns the deleted certifications.
std::vector<Deleted> delete_entity(Connection& c, std::string_view id);

std::optional<std::string> find_certification_id(Connection& c, std::string_view cb_id,
                                                 std::string_view cert_key,
                                                 std::string_view uploader_id);
// A certification row as stored (what the history keeps of it).
struct StoredCertification {
  std::string id, uploader_id, uploader_role, cb_id, ab_id, entity_id, certificate_number, status,
      type, issue_date, expiry_date, schemes_json, sites_json;
  std::optional<std::string> identity_number, accreditation_status, scope, original_issue_date;
  std::int64_t created_at = 0, updated_at = 0;
  std::int64_t seq = 0;  // the row's place in its uploader's list
};
// Keeps the uploader's list counts (iaf_list_buckets and iaf_list_spans) right: `delta` (+1 or
// -1) for each row inserted or deleted, given by its seq. The counts change once per write group
// (Connection::add_to_counter): one update per record made long row-version chains in a
// PostgreSQL bulk upload, and one per job was a statement per upload on the one writer.
void count_certifications(Connection& c, std::string_view uploader_id,
                          const std::vector<std::int64_t>& seqs, int delta);
// A certification just inserted, and whether other uploaders hold versions of it (same CB and
// certificate key). Without them the new row is the primary version as inserted (is_primary
// starts at 1), and refresh_primary has nothing to do.
struct InsertedCertification {
  StoredCertification row;
  bool other_versions = false;
};
// The certification as stored (cert_key is in.cert_key(), which the caller has already built),
// or nullopt when another writer created the same one first. The
// caller counts what it inserted (count_certifications).
std::optional<InsertedCertification> insert_certification(
    Connection& c, std::string_view id, std::string_view uploader_id,
    std::string_view uploader_role, std::string_view cb_id, std::string_view ab_id,
    std::string_view entity_id, std::string_view cert_key, const CertificationInput& in,
    std::int64_t now);
StoredCertification update_certification(Connection& c, std::string_view id, std::string_view ab_id,
                                         std::string_view entity_id, const CertificationInput& in,
                                         std::int64_t now);
// The certification and its entity as JSON, for the history table.
std::string upload_state(const StoredCertification& cert, const EntityView& entity);
std::optional<CertificationView> get_certification(Connection& c, std::string_view id,
                                                   std::string_view uploader_id);
CertificationPage list_certifications(Connection& c, std::string_view uploader_id, int limit,
                                      std::int64_t offset_rows);
std::optional<Group> delete_certification(Connection& c, std::string_view id,
                                          std::string_view uploader_id);
// Marks which version of a certification is primary: a CB's or MNCB's before an AB's, and among
// those the first uploaded. Run after a version is added or removed; returns the primary one
// (nullopt when none is left). Reads the group once and writes only flags that change.
struct Primary {
  std::string id, role;
};
std::optional<Primary> refresh_primary(Connection& c, const Group& g);

std::optional<CbView> get_cb(Connection& c, std::string_view ab_id, const CbRef& ref);
CbPage list_cbs(Connection& c, std::string_view ab_id, int limit, std::int64_t offset_rows);
void insert_cb(Connection& c, std::string_view id, std::string_view ab_id, const CbInput& in,
               std::optional<std::int64_t> withdrawn_at, std::int64_t now);
// Absent fields keep their values; withdrawn_at is always written.
void update_cb(Connection& c, std::string_view id, const CbInput& in,
               std::optional<std::int64_t> withdrawn_at, std::int64_t now);
std::string cb_state(Connection& c, std::string_view id);

std::string entity_state(Connection& c, std::string_view id);

}  // namespace certreg::store::iaf
