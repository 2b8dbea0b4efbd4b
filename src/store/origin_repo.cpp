#include "store/origin_repo.hpp"

#include "core/origin_storage.hpp"
#include "core/text.hpp"
#include "store/errors.hpp"

namespace certreg::store::origin {
namespace {

std::optional<Certification> parsed(Rows& rows) {
  if (!rows.next()) return std::nullopt;
  auto c = certreg::origin::from_storage_json(rows.text(0));
  if (!c) throw DbError("origin_certifications: unreadable document");
  return c;
}

}  // namespace

std::optional<std::string> company_by_token_hash(Connection& c, std::string_view token_hash) {
  static const Statement q{
      "SELECT owner_id FROM credentials WHERE key_hash = $1 AND realm = 'origin'"};
  auto rows = c.query(q, {token_hash});
  if (!rows.next()) return std::nullopt;
  return rows.str(0);
}

std::optional<Certification> find_by_origin_id(Connection& c, std::string_view company_id,
                                               std::string_view origin_id) {
  static const Statement q{
      "SELECT document FROM origin_certifications WHERE id = $1 AND company_id = $2"};
  auto rows = c.query(q, {origin_id, company_id});
  return parsed(rows);
}

std::optional<Certification> find_by_external_id(Connection& c, std::string_view company_id,
                                                 std::string_view external_id) {
  static const Statement q{
      "SELECT document FROM origin_certifications WHERE company_id = $1 AND external_id = $2"};
  auto rows = c.query(q, {company_id, external_id});
  return parsed(rows);
}

void lock_by_origin_id(Connection& c, std::string_view company_id, std::string_view origin_id) {
  static const Statement q{
      "SELECT 1 FROM origin_certifications WHERE id = $1 AND company_id = $2{{FOR_UPDATE}}"};
  c.query(q, {origin_id, company_id});
}

void lock_by_external_id(Connection& c, std::string_view company_id, std::string_view external_id) {
  static const Statement q{
      "SELECT 1 FROM origin_certifications WHERE company_id = $1 AND external_id = $2"
      "{{FOR_UPDATE}}"};
  c.query(q, {company_id, external_id});
}

void insert(Connection& c, std::string_view company_id, const Certification& cert,
            std::string_view document, std::int64_t now_ms) {
  static const Statement q{
      "INSERT INTO origin_certifications (id, company_id, external_id, standard_code, published,"
      " search_text, document, created_at, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
      " $9)"};
  c.execute(q, {cert.origin_id, company_id, cert.external_id, cert.standard_code,
                cert.published_on("ORIGIN"), certreg::origin::search_text(cert), document,
                now_ms / 1000, now_ms});
}

void update(Connection& c, std::string_view company_id, const Certification& cert,
            std::string_view document, std::int64_t now_ms) {
  static const Statement q{
      "UPDATE origin_certifications SET standard_code = $3, published = $4, search_text = $5,"
      " document = $6, updated_at_ms = $7 WHERE id = $1 AND company_id = $2"};
  c.execute(q, {cert.origin_id, company_id, cert.standard_code, cert.published_on("ORIGIN"),
                certreg::origin::search_text(cert), document, now_ms});
}

void remove(Connection& c, std::string_view company_id, std::string_view origin_id) {
  static const Statement q{"DELETE FROM origin_certifications WHERE id = $1 AND company_id = $2"};
  c.execute(q, {origin_id, company_id});
}

// The filters every search applies; $1 is the company, $2.. the optional criteria.
#define ORIGIN_FILTERS                                                \
  " AND (id = $2 OR $2 IS NULL) AND (external_id = $3 OR $3 IS NULL)" \
  " AND (search_text LIKE $4 ESCAPE '!' OR $4 IS NULL)"               \
  " AND (search_text LIKE $9 ESCAPE '!' OR $9 IS NULL)"               \
  " AND (search_text LIKE $10 ESCAPE '!' OR $10 IS NULL)"             \
  " AND (standard_code = $5 OR $5 IS NULL)"                           \
  " AND (published = $6 OR $6 IS NULL) AND (updated_at_ms >= $7 OR $7 IS NULL)"

certreg::origin::SearchPage search(Connection& c, std::string_view company_id,
                                   const certreg::origin::SearchCriteria& k, int limit,
                                   std::int64_t offset) {
  // Three shapes of the same query, so that an id criterion uses its index instead of scanning
  // the company's rows.
  static const Statement by_id{
      "SELECT document FROM origin_certifications WHERE id = $8"
      " AND company_id = $1" ORIGIN_FILTERS " ORDER BY seq LIMIT $11 OFFSET $12"};
  static const Statement by_id_count{
      "SELECT COUNT(*) FROM origin_certifications WHERE id = $8"
      " AND company_id = $1" ORIGIN_FILTERS};
  static const Statement by_external{
      "SELECT document FROM origin_certifications WHERE"
      " company_id = $1 AND external_id = $8" ORIGIN_FILTERS " ORDER BY seq LIMIT $11 OFFSET $12"};
  static const Statement by_external_count{
      "SELECT COUNT(*) FROM origin_certifications WHERE"
      " company_id = $1 AND external_id = $8" ORIGIN_FILTERS};
  static const Statement all{
      "SELECT document FROM origin_certifications WHERE company_id = $1"
      " AND CAST($8 AS TEXT) IS NULL" ORIGIN_FILTERS " ORDER BY seq LIMIT $11 OFFSET $12"};
  static const Statement all_count{
      "SELECT COUNT(*) FROM origin_certifications WHERE"
      " company_id = $1 AND CAST($8 AS TEXT) IS NULL" ORIGIN_FILTERS};
  certreg::origin::SearchPage page;
  // Only ORIGIN is a channel anything is published on.
  if (k.channel && *k.channel != "ORIGIN") return page;
  if (k.contradictory || k.keywords.size() > 3) return page;
  // Lowercased like search_text; a keyword's own % and _ match literally.
  std::optional<std::string> like[3];
  for (std::size_t i = 0; i < k.keywords.size(); ++i) {
    std::string pattern = "%";
    for (char ch : text::to_lower_utf8(k.keywords[i])) {
      if (ch == '%' || ch == '_' || ch == '!') pattern.push_back('!');
      pattern.push_back(ch);
    }
    like[i] = pattern + "%";
  }
  std::optional<std::int64_t> published;
  if (k.channel) published = 1;
  const Statement* page_q = &all;
  const Statement* count_q = &all_count;
  std::optional<std::string> anchor;
  if (k.origin_id) {
    page_q = &by_id, count_q = &by_id_count, anchor = k.origin_id;
  } else if (k.external_id) {
    page_q = &by_external, count_q = &by_external_count, anchor = k.external_id;
  }
  ReadSnapshot snapshot(c);
  {
    auto rows = c.query(*count_q, {company_id, k.origin_id, k.external_id, like[0], k.standard_code,
                                   published, k.modified_since_ms, anchor, like[1], like[2]});
    if (rows.next()) page.total = rows.integer(0);
  }
  auto rows =
      c.query(*page_q, {company_id, k.origin_id, k.external_id, like[0], k.standard_code, published,
                        k.modified_since_ms, anchor, like[1], like[2], limit, offset});
  while (auto cert = parsed(rows)) page.items.push_back(std::move(*cert));
  return page;
}

std::vector<Standard> standards(Connection& c) {
  static const Statement q{"SELECT code, name, type FROM origin_standards ORDER BY name, code"};
  std::vector<Standard> out;
  auto rows = c.query(q);
  while (rows.next()) out.push_back({rows.str(0), rows.str(1), rows.str(2)});
  return out;
}

std::vector<ReportingBody> reporting_bodies(Connection& c) {
  static const Statement q{"SELECT origin_id, name FROM origin_reporting_bodies ORDER BY name"};
  std::vector<ReportingBody> out;
  auto rows = c.query(q);
  while (rows.next()) out.push_back({rows.str(0), rows.str(1)});
  return out;
}

bool standard_exists(Connection& c, std::string_view code) {
  static const Statement q{"SELECT 1 FROM origin_standards WHERE code = $1"};
  return c.query(q, {code}).next();
}

bool reporting_body_exists(Connection& c, std::string_view name) {
  static const Statement q{"SELECT 1 FROM origin_reporting_bodies WHERE name = $1"};
  return c.query(q, {name}).next();
}

namespace {

Job read_job(const Rows& r) {
  return Job{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.opt_str(6)};
}

}  // namespace

void insert_job(Connection& c, const Job& job, std::int64_t now) {
  static const Statement q{
      "INSERT INTO origin_jobs (id, company_id, version, command, request, state, created_at)"
      " VALUES ($1, $2, $3, $4, $5, 'PENDING', $6)"};
  c.execute(q, {job.id, job.company_id, job.version, job.command, job.request, now});
}

std::optional<Job> get_job(Connection& c, std::string_view id, std::string_view company_id) {
  static const Statement q{
      "SELECT id, company_id, version, command, request, state, result FROM origin_jobs"
      " WHERE id = $1 AND company_id = $2"};
  auto rows = c.query(q, {id, company_id});
  if (!rows.next()) return std::nullopt;
  return read_job(rows);
}

std::optional<Job> next_pending_job(Connection& c) {
  static const Statement q{
      "SELECT id, company_id, version, command, request, state, result FROM origin_jobs"
      " WHERE state = 'PENDING' ORDER BY seq LIMIT 1{{FOR_UPDATE_SKIP_LOCKED}}"};
  auto rows = c.query(q);
  if (!rows.next()) return std::nullopt;
  return read_job(rows);
}

void finish_job(Connection& c, std::string_view id, std::string_view state,
                std::string_view result_json, std::int64_t now) {
  static const Statement q{
      "UPDATE origin_jobs SET state = $2, result = $3, finished_at = $4 WHERE id = $1"};
  c.execute(q, {id, state, result_json, now});
}

}  // namespace certreg::store::origin
