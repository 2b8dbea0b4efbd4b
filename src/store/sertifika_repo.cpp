#include "store/sertifika_repo.hpp"

namespace certreg::store::sertifika {
namespace ss = certreg::sertifika;

namespace {

Template read_template(const Rows& r) {
  return Template{r.str(0), r.str(1), r.str(2), ss::template_properties_from_storage(r.text(3)),
                  r.integer(4) != 0};
}

Person read_person(const Rows& r) {
  return Person{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4)};
}

std::optional<double> opt_real(const Rows& r, int col) {
  if (r.is_null(col)) return std::nullopt;
  return r.real(col);
}

Holding read_holding(const Rows& r) {
  Holding h;
  h.id = r.str(0);
  h.template_id = r.str(1);
  h.template_name = r.str(2);
  h.company_id = r.str(3);
  h.user_code = r.str(4);
  h.user_id = r.str(5);
  h.email = r.str(6);
  h.name = r.str(7);
  h.surname = r.str(8);
  h.hour = opt_real(r, 9);
  h.point = opt_real(r, 10);
  h.educator = r.opt_str(11);
  h.properties = ss::properties_from_storage(r.text(12));
  h.meta_tags = ss::meta_tags_from_storage(r.text(13));
  h.is_private = r.integer(14) != 0;
  h.verification_code = r.str(15);
  h.created_at = r.integer(16);
  h.updated_at = r.integer(17);
  return h;
}

std::vector<Holding> read_holdings(Rows rows) {
  std::vector<Holding> out;
  while (rows.next()) out.push_back(read_holding(rows));
  return out;
}

}  // namespace

// A holding with its template's name and its person's id; every query adds its WHERE.
#define SERTIFIKA_HOLDING_SELECT                                                          \
  "SELECT h.id, h.template_id, t.name, h.company_id, h.user_code, u.id, h.email, h.name," \
  " h.surname, h.hour, h.point, h.educator, h.properties, h.meta_tags, h.is_private,"     \
  " h.verification_code, h.created_at, h.updated_at FROM sertifika_holdings h"            \
  " JOIN sertifika_templates t ON t.id = h.template_id"                                   \
  " JOIN sertifika_users u ON u.company_id = h.company_id AND u.user_code = h.user_code"

std::optional<Company> company_by_token_hash(Connection& c, std::string_view token_hash) {
  static const Statement q{
      "SELECT s.id, s.name FROM credentials k JOIN sertifika_companies s ON s.id = k.owner_id"
      " WHERE k.key_hash = $1 AND k.realm = 'sertifika'"};
  auto rows = c.query(q, {token_hash});
  if (!rows.next()) return std::nullopt;
  return Company{rows.str(0), rows.str(1)};
}

std::vector<Template> templates(Connection& c, std::string_view company_id) {
  static const Statement q{
      "SELECT id, company_id, name, properties, in_use FROM sertifika_templates"
      " WHERE company_id = $1 ORDER BY name, id"};
  std::vector<Template> out;
  auto rows = c.query(q, {company_id});
  while (rows.next()) out.push_back(read_template(rows));
  return out;
}

std::optional<Template> find_template(Connection& c, std::string_view company_id,
                                      std::string_view id) {
  static const Statement q{
      "SELECT id, company_id, name, properties, in_use FROM sertifika_templates"
      " WHERE company_id = $1 AND lower(id) = lower($2)"};
  auto rows = c.query(q, {company_id, id});
  if (!rows.next()) return std::nullopt;
  return read_template(rows);
}

void mark_template_in_use(Connection& c, std::string_view template_id) {
  static const Statement q{
      "UPDATE sertifika_templates SET in_use = 1 WHERE id = $1 AND in_use = 0"};
  c.execute(q, {template_id});
}

std::vector<Person> people(Connection& c, std::string_view company_id) {
  static const Statement q{
      "SELECT id, user_code, email, name, surname FROM sertifika_users WHERE company_id = $1"
      " ORDER BY seq"};
  std::vector<Person> out;
  auto rows = c.query(q, {company_id});
  while (rows.next()) out.push_back(read_person(rows));
  return out;
}

std::optional<Person> find_person(Connection& c, std::string_view company_id,
                                  std::string_view user_code) {
  static const Statement q{
      "SELECT id, user_code, email, name, surname FROM sertifika_users"
      " WHERE company_id = $1 AND user_code = $2"};
  auto rows = c.query(q, {company_id, user_code});
  if (!rows.next()) return std::nullopt;
  return read_person(rows);
}

std::string upsert_person(Connection& c, std::string_view company_id, const Person& p,
                          std::int64_t now) {
  static const Statement q{
      "INSERT INTO sertifika_users (company_id, user_code, id, email, name, surname, created_at,"
      " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
      " ON CONFLICT (company_id, user_code) DO UPDATE SET email = excluded.email,"
      " name = excluded.name, surname = excluded.surname, updated_at = excluded.updated_at"
      " RETURNING id"};
  auto rows = c.query(q, {company_id, p.user_code, p.id, p.email, p.name, p.surname, now});
  if (!rows.next()) return p.id;
  return rows.str(0);
}

std::optional<Holding> find_holding(Connection& c, std::string_view company_id,
                                    std::string_view template_id, std::string_view user_code) {
  static const Statement q{SERTIFIKA_HOLDING_SELECT
                           " WHERE h.template_id = $1 AND h.user_code = $2 AND h.company_id = $3"};
  auto rows = c.query(q, {template_id, user_code, company_id});
  if (!rows.next()) return std::nullopt;
  return read_holding(rows);
}

std::vector<Holding> holdings_of_template(Connection& c, std::string_view company_id,
                                          std::string_view template_id) {
  static const Statement q{SERTIFIKA_HOLDING_SELECT
                           " WHERE h.template_id = $1 AND h.company_id = $2 ORDER BY h.seq"};
  return read_holdings(c.query(q, {template_id, company_id}));
}

std::vector<Holding> holdings_of_person(Connection& c, std::string_view company_id,
                                        std::string_view user_code) {
  static const Statement q{SERTIFIKA_HOLDING_SELECT
                           " WHERE h.company_id = $1 AND h.user_code = $2 ORDER BY h.seq"};
  return read_holdings(c.query(q, {company_id, user_code}));
}

bool insert_holding(Connection& c, const Holding& h) {
  static const Statement q{
      "INSERT INTO sertifika_holdings (id, template_id, company_id, user_code, email, name,"
      " surname, hour, point, educator, properties, meta_tags, is_private, verification_code,"
      " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
      " $14, $15, $16) ON CONFLICT (template_id, user_code) DO NOTHING"};
  std::string properties = ss::properties_to_storage(h.properties);
  std::string tags = ss::meta_tags_to_storage(h.meta_tags);
  return c.execute(q, {h.id, h.template_id, h.company_id, h.user_code, h.email, h.name, h.surname,
                       h.hour, h.point, h.educator, properties, tags, h.is_private,
                       h.verification_code, h.created_at, h.updated_at}) == 1;
}

void update_holding(Connection& c, const Holding& h) {
  static const Statement q{
      "UPDATE sertifika_holdings SET email = $3, name = $4, surname = $5, hour = $6, point = $7,"
      " educator = $8, properties = $9, meta_tags = $10, is_private = $11, updated_at = $12"
      " WHERE id = $1 AND company_id = $2"};
  std::string properties = ss::properties_to_storage(h.properties);
  std::string tags = ss::meta_tags_to_storage(h.meta_tags);
  c.execute(q, {h.id, h.company_id, h.email, h.name, h.surname, h.hour, h.point, h.educator,
                properties, tags, h.is_private, h.updated_at});
}

void delete_holding(Connection& c, std::string_view company_id, std::string_view id) {
  static const Statement q{"DELETE FROM sertifika_holdings WHERE id = $1 AND company_id = $2"};
  c.execute(q, {id, company_id});
}

}  // namespace certreg::store::sertifika
