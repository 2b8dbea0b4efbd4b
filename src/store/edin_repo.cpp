#include "store/edin_repo.hpp"

#include <algorithm>

#include "json/writer.hpp"

namespace certreg::store::edin {
namespace {

using certreg::edin::Filter;
using certreg::edin::SearchBy;

#define CERT_COLUMNS                                                                            \
  "c.id, c.owner_gln, c.number, c.system_number, c.type, c.sub_type, c.cert_date, "             \
  "c.start_date, c.end_date, c.part_number, c.lot_number, c.gtd, c.access_type, c.created_at, " \
  "c.reviewed_at"

// The user's GLNs ($1 is the login).
#define USER_GLNS "(SELECT gln FROM edin_user_glns WHERE login = $1)"
#define VISIBLE                                                                      \
  "(c.owner_gln IN " USER_GLNS                                                       \
  " OR c.access_type = 1 OR (c.access_type = 2 AND EXISTS ("                         \
  "SELECT 1 FROM edin_cert_access a WHERE a.cert_id = c.id AND (a.gln IN " USER_GLNS \
  " OR (a.retail_network = 1 AND a.gln IN (SELECT g.network FROM edin_glns g JOIN"   \
  " edin_user_glns u ON u.gln = g.gln WHERE u.login = $1 AND g.network IS NOT NULL))))))"

Certificate read_cert(const Rows& r) {
  Certificate c;
  c.id = r.integer(0);
  c.owner_gln = r.str(1);
  c.number = r.str(2);
  c.system_number = r.str(3);
  c.type = static_cast<int>(r.integer(4));
  c.sub_type = static_cast<int>(r.integer(5));
  c.cert_date = r.str(6);
  c.start_date = r.str(7);
  c.end_date = r.opt_str(8);
  c.part_number = r.opt_str(9);
  c.lot_number = r.opt_str(10);
  c.gtd = r.opt_str(11);
  c.access_type = static_cast<int>(r.integer(12));
  c.created_at = r.integer(13);
  c.reviewed_at = r.opt_integer(14);
  return c;
}

std::vector<std::string> column(Rows rows) {
  std::vector<std::string> out;
  while (rows.next()) out.push_back(rows.str(0));
  return out;
}

// `glns` filtered by a one-parameter membership query.
std::vector<std::string> filter(Connection& c, const Statement& q,
                                const std::vector<std::string>& glns) {
  std::vector<std::string> out;
  for (const auto& g : glns)
    if (c.query(q, {g}).next()) out.push_back(g);
  return out;
}

}  // namespace

std::optional<std::string> password_hash(Connection& c, std::string_view login) {
  static const Statement q{"SELECT password_hash FROM edin_users WHERE login = $1"};
  auto rows = c.query(q, {login});
  if (!rows.next()) return std::nullopt;
  return rows.str(0);
}

std::vector<std::string> user_glns(Connection& c, std::string_view login) {
  static const Statement q{"SELECT gln FROM edin_user_glns WHERE login = $1 ORDER BY gln"};
  return column(c.query(q, {login}));
}

void insert_token(Connection& c, std::string_view token_hash, std::string_view login,
                  std::int64_t now) {
  static const Statement q{
      "INSERT INTO edin_tokens (token_hash, login, created_at, last_used_at) VALUES ($1, $2, $3, "
      "$3)"};
  c.execute(q, {token_hash, login, now});
}

std::optional<Session> session(Connection& c, std::string_view token_hash) {
  static const Statement q{"SELECT login, last_used_at FROM edin_tokens WHERE token_hash = $1"};
  auto rows = c.query(q, {token_hash});
  if (!rows.next()) return std::nullopt;
  return Session{rows.str(0), rows.integer(1)};
}

void touch_token(Connection& c, std::string_view token_hash, std::int64_t now) {
  static const Statement q{
      "UPDATE edin_tokens SET last_used_at = $2 WHERE token_hash = $1 AND last_used_at < $2"};
  c.execute(q, {token_hash, now});
}

void delete_tokens_idle_since(Connection& c, std::int64_t cutoff) {
  static const Statement q{"DELETE FROM edin_tokens WHERE last_used_at < $1"};
  c.execute(q, {cutoff});
}

std::vector<std::string> known_glns(Connection& c, const std::vector<std::string>& glns) {
  static const Statement q{
      "SELECT 1 WHERE EXISTS (SELECT 1 FROM edin_glns WHERE gln = $1)"
      " OR EXISTS (SELECT 1 FROM edin_user_glns WHERE gln = $1)"};
  return filter(c, q, glns);
}

std::vector<std::string> network_glns(Connection& c, const std::vector<std::string>& glns) {
  static const Statement q{"SELECT 1 FROM edin_glns WHERE gln = $1 AND retail_network = 1"};
  return filter(c, q, glns);
}

bool number_taken(Connection& c, std::string_view owner_gln, std::string_view system_number) {
  static const Statement q{
      "SELECT 1 FROM edin_certificates WHERE owner_gln = $1 AND system_number = $2"};
  return c.query(q, {owner_gln, system_number}).next();
}

std::int64_t insert_certificate(Connection& c, const Certificate& cert, std::string_view login) {
  static const Statement q{
      "INSERT INTO edin_certificates (owner_gln, number, system_number, type, sub_type,"
      " cert_date, start_date, end_date, part_number, lot_number, gtd, access_type, created_by,"
      " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
      " RETURNING id"};
  auto rows = c.query(q, {cert.owner_gln, cert.number, cert.system_number, cert.type, cert.sub_type,
                          cert.cert_date, cert.start_date, cert.end_date, cert.part_number,
                          cert.lot_number, cert.gtd, cert.access_type, login, cert.created_at});
  rows.next();
  std::int64_t id = rows.integer(0);
  while (rows.next()) {
  }
  return id;
}

std::optional<Certificate> get_certificate(Connection& c, std::int64_t id) {
  static const Statement q{"SELECT " CERT_COLUMNS " FROM edin_certificates c WHERE c.id = $1"};
  auto rows = c.query(q, {id});
  if (!rows.next()) return std::nullopt;
  return read_cert(rows);
}

bool owned(Connection& c, std::int64_t id, std::string_view login) {
  static const Statement q{
      "SELECT 1 FROM edin_certificates c WHERE c.id = $2 AND c.owner_gln IN " USER_GLNS};
  return c.query(q, {login, id}).next();
}

bool visible(Connection& c, std::int64_t id, std::string_view login) {
  static const Statement q{"SELECT 1 FROM edin_certificates c WHERE c.id = $2 AND " VISIBLE};
  return c.query(q, {login, id}).next();
}

void set_access_type(Connection& c, std::int64_t id, int access_type, std::int64_t now) {
  static const Statement q{
      "UPDATE edin_certificates SET access_type = $2, reviewed_at = $3 WHERE id = $1"};
  c.execute(q, {id, access_type, now});
}

void grant(Connection& c, std::int64_t id, std::string_view gln, bool retail_network) {
  static const Statement q{
      "INSERT INTO edin_cert_access (cert_id, gln, retail_network) VALUES ($1, $2, $3)"
      " ON CONFLICT DO NOTHING"};
  c.execute(q, {id, gln, retail_network});
}

void revoke(Connection& c, std::int64_t id, std::string_view gln, bool retail_network) {
  static const Statement q{
      "DELETE FROM edin_cert_access WHERE cert_id = $1 AND gln = $2 AND retail_network = $3"};
  c.execute(q, {id, gln, retail_network});
}

void touch_certificate(Connection& c, std::int64_t id, std::int64_t now) {
  static const Statement q{"UPDATE edin_certificates SET reviewed_at = $2 WHERE id = $1"};
  c.execute(q, {id, now});
}

void add_bind(Connection& c, std::int64_t id, const Bind& b) {
  static const Statement q{
      "INSERT INTO edin_binds (cert_id, gtin, article_supplier, article_buyer, uktzed, dkpp)"
      " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"};
  c.execute(q, {id, b.gtin, b.article_supplier, b.article_buyer, b.uktzed, b.dkpp});
}

void remove_binds(Connection& c, std::int64_t id, const Bind& b) {
  static const Statement q{
      "DELETE FROM edin_binds WHERE cert_id = $1 AND ($2 = '' OR gtin = $2)"
      " AND ($3 = '' OR article_supplier = $3) AND ($4 = '' OR article_buyer = $4)"
      " AND ($5 = '' OR uktzed = $5) AND ($6 = '' OR dkpp = $6)"};
  c.execute(q, {id, b.gtin, b.article_supplier, b.article_buyer, b.uktzed, b.dkpp});
}

std::int64_t insert_file(Connection& c, std::int64_t cert_id, const ScanFile& f,
                         std::string_view body, std::int64_t now) {
  static const Statement q{
      "INSERT INTO edin_files (cert_id, type, name, content_type, hash, body, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"};
  auto rows = c.query(q, {cert_id, f.type, f.name, f.content_type, f.hash, Param::blob(body), now});
  rows.next();
  std::int64_t id = rows.integer(0);
  while (rows.next()) {
  }
  return id;
}

std::vector<ScanFile> files_of(Connection& c, std::int64_t cert_id) {
  static const Statement q{
      "SELECT id, type, name, content_type, hash FROM edin_files WHERE cert_id = $1 ORDER BY id"};
  std::vector<ScanFile> out;
  auto rows = c.query(q, {cert_id});
  while (rows.next())
    out.push_back({rows.integer(0), static_cast<int>(rows.integer(1)), rows.str(2), rows.str(3),
                   rows.str(4)});
  return out;
}

std::optional<StoredFile> get_file(Connection& c, std::int64_t file_id) {
  static const Statement q{
      "SELECT id, type, name, content_type, hash, cert_id, body FROM edin_files WHERE id = $1"};
  auto rows = c.query(q, {file_id});
  if (!rows.next()) return std::nullopt;
  return StoredFile{
      {rows.integer(0), static_cast<int>(rows.integer(1)), rows.str(2), rows.str(3), rows.str(4)},
      rows.integer(5),
      rows.str(6)};
}

bool complaint_exists(Connection& c, std::string_view login, std::int64_t cert_id, int type) {
  static const Statement q{
      "SELECT 1 FROM edin_complaints WHERE login = $1 AND cert_id = $2 AND type = $3"};
  return c.query(q, {login, cert_id, type}).next();
}

void insert_complaint(Connection& c, std::string_view login, std::int64_t cert_id, int type,
                      const std::optional<std::string>& text, std::int64_t now) {
  static const Statement q{
      "INSERT INTO edin_complaints (login, cert_id, type, text, created_at)"
      " VALUES ($1, $2, $3, $4, $5)"};
  c.execute(q, {login, cert_id, type, text, now});
}

std::string certificate_state(Connection& c, std::int64_t id) {
  static const Statement grants{
      "SELECT gln, retail_network FROM edin_cert_access WHERE cert_id = $1 ORDER BY gln"};
  static const Statement binds{
      "SELECT gtin, article_supplier, article_buyer, uktzed, dkpp FROM edin_binds"
      " WHERE cert_id = $1 ORDER BY gtin, article_supplier, article_buyer, uktzed, dkpp"};
  auto cert = get_certificate(c, id);
  if (!cert) return "null";
  json::Writer w;
  w.begin_object()
      .field("id", cert->id)
      .field("owner_gln", cert->owner_gln)
      .field("number", cert->number)
      .field("type", cert->type)
      .field("sub_type", cert->sub_type)
      .field("cert_date", cert->cert_date)
      .field("start_date", cert->start_date)
      .field("end_date", cert->end_date)
      .field("part_number", cert->part_number)
      .field("lot_number", cert->lot_number)
      .field("gtd", cert->gtd)
      .field("access_type", cert->access_type)
      .key("access")
      .begin_array();
  {
    auto rows = c.query(grants, {id});
    while (rows.next())
      w.begin_object()
          .field("gln", rows.text(0))
          .field("retail_network", rows.integer(1) != 0)
          .end_object();
  }
  w.end_array().key("binds").begin_array();
  {
    auto rows = c.query(binds, {id});
    while (rows.next())
      w.begin_object()
          .field("gtin", rows.text(0))
          .field("article_supplier", rows.text(1))
          .field("article_buyer", rows.text(2))
          .field("uktzed", rows.text(3))
          .field("dkpp", rows.text(4))
          .end_object();
  }
  w.end_array().key("files").begin_array();
  for (const auto& f : files_of(c, id))
    w.begin_object().field("id", f.id).field("name", f.name).field("hash", f.hash).end_object();
  w.end_array().end_object();
  return w.take();
}

SearchResult search(Connection& c, std::string_view login, SearchBy by, std::string_view value,
                    Filter f, int limit) {
  // Visible rows first, so a first row that is not visible means none is.
#define SEARCH(WHERE)                                                                  \
  "SELECT " CERT_COLUMNS ", CASE WHEN " VISIBLE                                        \
  " THEN 1 ELSE 0 END AS vis"                                                          \
  " FROM edin_certificates c WHERE " WHERE " AND ($3 = 0 OR c.owner_gln IN " USER_GLNS \
  ") AND (c.access_type = $4 OR $4 IS NULL)"                                           \
  " ORDER BY vis DESC, c.id LIMIT $5"
  static const Statement by_number{SEARCH("c.system_number = $2")};
  static const Statement by_gln{SEARCH("c.owner_gln = $2")};
  static const Statement by_barcode{
      SEARCH("c.id IN (SELECT b.cert_id FROM edin_binds b WHERE b.gtin = $2)")};
  static const Statement by_inn{
      SEARCH("c.owner_gln IN (SELECT gln FROM edin_glns WHERE inn = $2)")};
  static const Statement by_edrpou{
      SEARCH("c.owner_gln IN (SELECT gln FROM edin_glns WHERE edrpou = $2)")};
  static const Statement by_gtd{SEARCH("c.gtd = $2")};
#undef SEARCH
  const Statement* q = &by_number;
  switch (by) {
    case SearchBy::number:
      q = &by_number;
      break;
    case SearchBy::gln:
      q = &by_gln;
      break;
    case SearchBy::barcode:
      q = &by_barcode;
      break;
    case SearchBy::inn:
      q = &by_inn;
      break;
    case SearchBy::edrpou:
      q = &by_edrpou;
      break;
    case SearchBy::gtd:
      q = &by_gtd;
      break;
  }
  std::optional<std::int64_t> access;
  if (f == Filter::restricted) access = 2;
  if (f == Filter::public_) access = 1;
  SearchResult out;
  auto rows = c.query(*q, {login, value, f == Filter::none ? 0 : 1, access, limit});
  while (rows.next()) {
    ++out.matching;
    if (rows.integer(15)) out.visible.push_back(read_cert(rows));
  }
  return out;
}

}  // namespace certreg::store::edin
