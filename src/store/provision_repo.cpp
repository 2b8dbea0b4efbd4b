#include "store/provision_repo.hpp"

#include <algorithm>

namespace certreg::store::provision {
namespace {

// Replaces the set of `values` stored under `owner` with `wanted`, touching only the difference.
int set_members(Connection& c, const Statement& list, const Statement& add, const Statement& remove,
                std::string_view owner, const std::vector<std::string>& wanted) {
  std::vector<std::string> current;
  {
    auto rows = c.query(list, {owner});
    while (rows.next()) current.push_back(rows.str(0));
  }
  int changed = 0;
  for (const auto& v : current)
    if (std::find(wanted.begin(), wanted.end(), v) == wanted.end())
      changed += static_cast<int>(c.execute(remove, {owner, v}));
  for (const auto& v : wanted)
    if (std::find(current.begin(), current.end(), v) == current.end())
      changed += static_cast<int>(c.execute(add, {owner, v}));
  return changed;
}

}  // namespace

int upsert_iaf_body(Connection& c, const iaf::Body& b, std::int64_t now) {
  static const Statement q{
      "INSERT INTO iaf_bodies (id, kind, name, acronym, country, accreditation_body_id, "
      "identity_number, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) "
      "ON CONFLICT (id) DO UPDATE SET "
      "name = excluded.name, "
      "acronym = COALESCE(excluded.acronym, iaf_bodies.acronym), "
      "country = COALESCE(excluded.country, iaf_bodies.country), "
      "accreditation_body_id = COALESCE(excluded.accreditation_body_id, "
      "iaf_bodies.accreditation_body_id), "
      "identity_number = COALESCE(excluded.identity_number, iaf_bodies.identity_number), "
      "updated_at = excluded.updated_at "
      "WHERE excluded.name IS DISTINCT FROM iaf_bodies.name "
      "OR (excluded.acronym IS NOT NULL AND excluded.acronym IS DISTINCT FROM iaf_bodies.acronym) "
      "OR (excluded.country IS NOT NULL AND excluded.country IS DISTINCT FROM iaf_bodies.country) "
      "OR (excluded.accreditation_body_id IS NOT NULL AND excluded.accreditation_body_id IS "
      "DISTINCT FROM iaf_bodies.accreditation_body_id) "
      "OR (excluded.identity_number IS NOT NULL AND excluded.identity_number IS DISTINCT FROM "
      "iaf_bodies.identity_number)"};
  return static_cast<int>(c.execute(q, {b.id, b.kind, b.name, b.acronym, b.country,
                                        b.accreditation_body_id, b.identity_number, now}));
}

int set_mncb_members(Connection& c, std::string_view mncb_id, const std::vector<std::string>& cbs) {
  static const Statement list{"SELECT cb_id FROM iaf_mncb_members WHERE mncb_id = $1"};
  static const Statement add{"INSERT INTO iaf_mncb_members (mncb_id, cb_id) VALUES ($1, $2)"};
  static const Statement remove{"DELETE FROM iaf_mncb_members WHERE mncb_id = $1 AND cb_id = $2"};
  return set_members(c, list, add, remove, mncb_id, cbs);
}

std::optional<CredentialOwner> credential_owner(Connection& c, std::string_view key_hash) {
  static const Statement q{"SELECT realm, owner_id FROM credentials WHERE key_hash = $1"};
  auto rows = c.query(q, {key_hash});
  if (!rows.next()) return std::nullopt;
  return CredentialOwner{rows.str(0), rows.str(1)};
}

int set_credentials(Connection& c, std::string_view realm, std::string_view owner_id,
                    const std::vector<std::string>& hashes, std::int64_t now) {
  static const Statement list{
      "SELECT key_hash FROM credentials WHERE realm = $1 AND owner_id = $2"};
  static const Statement add{
      "INSERT INTO credentials (key_hash, realm, owner_id, created_at) VALUES ($1, $2, $3, $4)"};
  static const Statement remove{"DELETE FROM credentials WHERE key_hash = $1"};
  std::vector<std::string> current;
  {
    auto rows = c.query(list, {realm, owner_id});
    while (rows.next()) current.push_back(rows.str(0));
  }
  int changed = 0;
  for (const auto& h : current)
    if (std::find(hashes.begin(), hashes.end(), h) == hashes.end())
      changed += static_cast<int>(c.execute(remove, {h}));
  for (const auto& h : hashes)
    if (std::find(current.begin(), current.end(), h) == current.end())
      changed += static_cast<int>(c.execute(add, {h, realm, owner_id, now}));
  return changed;
}

int upsert_origin_company(Connection& c, std::string_view id, std::string_view name,
                          std::int64_t now) {
  static const Statement q{
      "INSERT INTO origin_companies (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at "
      "WHERE excluded.name IS DISTINCT FROM origin_companies.name"};
  return static_cast<int>(c.execute(q, {id, name, now}));
}

int add_origin_reporting_body(Connection& c, std::string_view name, std::string_view origin_id) {
  static const Statement q{
      "INSERT INTO origin_reporting_bodies (name, origin_id) VALUES ($1, $2) "
      "ON CONFLICT (name) DO NOTHING"};
  return static_cast<int>(c.execute(q, {name, origin_id}));
}

int upsert_origin_standard(Connection& c, std::string_view code, std::string_view name,
                           std::string_view type) {
  static const Statement q{
      "INSERT INTO origin_standards (code, name, type) VALUES ($1, $2, $3) "
      "ON CONFLICT (code) DO UPDATE SET name = excluded.name, type = excluded.type "
      "WHERE excluded.name IS DISTINCT FROM origin_standards.name "
      "OR excluded.type IS DISTINCT FROM origin_standards.type"};
  return static_cast<int>(c.execute(q, {code, name, type}));
}

int upsert_sertifika_company(Connection& c, std::string_view id, std::string_view name,
                             std::int64_t now) {
  static const Statement q{
      "INSERT INTO sertifika_companies (id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at "
      "WHERE excluded.name IS DISTINCT FROM sertifika_companies.name"};
  return static_cast<int>(c.execute(q, {id, name, now}));
}

std::optional<TemplateOwner> sertifika_template_like(Connection& c, std::string_view template_id) {
  // Provisioning only: a scan of the templates is fine.
  static const Statement q{
      "SELECT id, company_id FROM sertifika_templates WHERE lower(id) = lower($1)"};
  auto rows = c.query(q, {template_id});
  if (!rows.next()) return std::nullopt;
  return TemplateOwner{rows.str(0), rows.str(1)};
}

int upsert_sertifika_template(Connection& c, std::string_view id, std::string_view company_id,
                              std::string_view name, std::string_view properties_json) {
  static const Statement q{
      "INSERT INTO sertifika_templates (id, company_id, name, properties) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, properties = excluded.properties "
      "WHERE excluded.name IS DISTINCT FROM sertifika_templates.name "
      "OR excluded.properties IS DISTINCT FROM sertifika_templates.properties"};
  return static_cast<int>(c.execute(q, {id, company_id, name, properties_json}));
}

int upsert_edin_user(Connection& c, std::string_view login, std::string_view password_hash,
                     std::int64_t now) {
  static const Statement q{
      "INSERT INTO edin_users (login, password_hash, created_at, updated_at) "
      "VALUES ($1, $2, $3, $3) ON CONFLICT (login) DO UPDATE SET "
      "password_hash = excluded.password_hash, updated_at = excluded.updated_at"};
  return static_cast<int>(c.execute(q, {login, password_hash, now}));
}

int set_edin_user_glns(Connection& c, std::string_view login,
                       const std::vector<std::string>& glns) {
  static const Statement list{"SELECT gln FROM edin_user_glns WHERE login = $1"};
  static const Statement add{"INSERT INTO edin_user_glns (login, gln) VALUES ($1, $2)"};
  static const Statement remove{"DELETE FROM edin_user_glns WHERE login = $1 AND gln = $2"};
  return set_members(c, list, add, remove, login, glns);
}

int upsert_edin_gln(Connection& c, const admin::EdinGln& g) {
  static const Statement q{
      "INSERT INTO edin_glns (gln, name, retail_network, network, inn, edrpou)"
      " VALUES ($1, $2, COALESCE($3, 0), $4, $5, $6) ON CONFLICT (gln) DO UPDATE SET"
      " name = COALESCE(excluded.name, edin_glns.name),"
      " retail_network = COALESCE($3, edin_glns.retail_network),"
      " network = COALESCE(excluded.network, edin_glns.network),"
      " inn = COALESCE(excluded.inn, edin_glns.inn),"
      " edrpou = COALESCE(excluded.edrpou, edin_glns.edrpou)"
      " WHERE (excluded.name IS NOT NULL AND excluded.name IS DISTINCT FROM edin_glns.name)"
      " OR ($3 IS NOT NULL AND $3 IS DISTINCT FROM edin_glns.retail_network)"
      " OR (excluded.network IS NOT NULL AND excluded.network IS DISTINCT FROM edin_glns.network)"
      " OR (excluded.inn IS NOT NULL AND excluded.inn IS DISTINCT FROM edin_glns.inn)"
      " OR (excluded.edrpou IS NOT NULL AND excluded.edrpou IS DISTINCT FROM edin_glns.edrpou)"};
  return static_cast<int>(
      c.execute(q, {g.gln, g.name, g.retail_network, g.network, g.inn, g.edrpou}));
}

}  // namespace certreg::store::provision
