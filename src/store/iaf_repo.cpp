#include "store/iaf_repo.hpp"

#include "json/writer.hpp"
#include "store/errors.hpp"

namespace certreg::store::iaf {
namespace {

#define BODY_COLUMNS                                                                         \
  "b.id, b.kind, b.name, b.acronym, b.country, b.accreditation_body_id, b.identity_number, " \
  "b.accreditation_status, b.withdrawn_at"

Body read_body(const Rows& r) {
  return Body{r.str(0),     r.str(1),     r.str(2), r.opt_str(3),    r.opt_str(4),
              r.opt_str(5), r.opt_str(6), r.str(7), r.opt_integer(8)};
}

// Entity columns with a table prefix (P is "e." in joins, "" in RETURNING, where SQLite
// accepts no alias).
#define ENTITY_COLUMNS_OF(P)                                                                \
  P "id, " P "uploader_id, " P "cb_id, " P "unique_id, " P "name, " P "former_names, " P    \
    "country, " P "english_name, " P "trading_name, " P "street, " P "city, " P "state, " P \
    "postcode, " P "website, " P "company_id_number, " P "business_registration_number, " P \
    "tax_id, " P "vat, " P "duns_number, " P "system_information, " P "confidential, " P    \
    "created_at, " P "updated_at"
#define ENTITY_COLUMNS ENTITY_COLUMNS_OF("e.")

EntityView read_entity(const Rows& r, int o) {
  EntityView e;
  e.id = r.str(o + 0);
  e.uploader_id = r.str(o + 1);
  e.cb_id = r.str(o + 2);
  e.unique_id = r.str(o + 3);
  e.name = r.str(o + 4);
  e.former_names_json = r.str(o + 5);
  e.country = r.str(o + 6);
  e.english_name = r.opt_str(o + 7);
  e.trading_name = r.opt_str(o + 8);
  e.street = r.opt_str(o + 9);
  e.city = r.opt_str(o + 10);
  e.state = r.opt_str(o + 11);
  e.postcode = r.opt_str(o + 12);
  e.website = r.opt_str(o + 13);
  e.company_id_number = r.opt_str(o + 14);
  e.business_registration_number = r.opt_str(o + 15);
  e.tax_id = r.opt_str(o + 16);
  e.vat = r.opt_str(o + 17);
  e.duns_number = r.opt_str(o + 18);
  e.system_information_json = r.opt_str(o + 19);
  e.confidential = r.integer(o + 20) != 0;
  e.created_at = r.integer(o + 21);
  e.updated_at = r.integer(o + 22);
  return e;
}

#define CERT_COLUMNS                                                                         \
  "c.id, c.uploader_id, c.uploader_role, c.cb_id, c.ab_id, c.certificate_number, c.status, " \
  "c.type, c.issue_date, c.expiry_date, c.schemes, c.sites, c.certificate_identity_number, " \
  "c.accreditation_status, c.scope, c.original_issue_date, cb.name, ab.name, "               \
  "cb.accreditation_status, cb.withdrawn_at, c.created_at, c.updated_at, c.is_primary, "     \
  "CASE WHEN c.is_primary = 1 THEN c.uploader_role ELSE"                                     \
  " (SELECT p.uploader_role FROM iaf_certifications p WHERE p.cb_id = c.cb_id"               \
  " AND p.cert_key = c.cert_key AND p.is_primary = 1) END, " ENTITY_COLUMNS
#define CERT_FROM                              \
  " FROM iaf_certifications c"                 \
  " JOIN iaf_entities e ON e.id = c.entity_id" \
  " JOIN iaf_bodies cb ON cb.id = c.cb_id"     \
  " JOIN iaf_bodies ab ON ab.id = c.ab_id"

CertificationView read_certification(const Rows& r) {
  CertificationView v;
  v.id = r.str(0);
  v.uploader_id = r.str(1);
  v.uploader_role = r.str(2);
  v.cb_id = r.str(3);
  v.ab_id = r.str(4);
  v.certificate_number = r.str(5);
  v.status = r.str(6);
  v.type = r.str(7);
  v.issue_date = r.str(8);
  v.expiry_date = r.str(9);
  v.schemes_json = r.str(10);
  v.sites_json = r.str(11);
  v.identity_number = r.opt_str(12);
  v.accreditation_status = r.opt_str(13);
  v.scope = r.opt_str(14);
  v.original_issue_date = r.opt_str(15);
  v.cb_name = r.str(16);
  v.ab_name = r.str(17);
  v.cb_accreditation_status = r.str(18);
  v.cb_withdrawn_at = r.opt_integer(19);
  v.created_at = r.integer(20);
  v.updated_at = r.integer(21);
  v.is_primary = r.integer(22) != 0;
  v.primary_role = r.is_null(23) ? v.uploader_role : r.str(23);
  v.entity = read_entity(r, 24);
  return v;
}

std::optional<std::string> iso(const std::optional<dates::Date>& d) {
  if (!d) return std::nullopt;
  return dates::format_iso(*d);
}

}  // namespace

std::optional<Body> find_body(Connection& c, std::string_view id) {
  static const Statement q{"SELECT " BODY_COLUMNS " FROM iaf_bodies b WHERE b.id = $1"};
  auto rows = c.query(q, {id});
  if (!rows.next()) return std::nullopt;
  return read_body(rows);
}

std::optional<Body> find_cb_by_identity(Connection& c, std::string_view ab_id,
                                        std::string_view identity_number) {
  static const Statement q{"SELECT " BODY_COLUMNS
                           " FROM iaf_bodies b WHERE b.accreditation_body_id = $1"
                           " AND b.identity_number = $2"};
  auto rows = c.query(q, {ab_id, identity_number});
  if (!rows.next()) return std::nullopt;
  return read_body(rows);
}

std::vector<Body> mncb_members(Connection& c, std::string_view mncb_id) {
  static const Statement q{"SELECT " BODY_COLUMNS
                           " FROM iaf_mncb_members m JOIN iaf_bodies b ON b.id = m.cb_id"
                           " WHERE m.mncb_id = $1 ORDER BY b.id"};
  std::vector<Body> out;
  auto rows = c.query(q, {mncb_id});
  while (rows.next()) out.push_back(read_body(rows));
  return out;
}

std::optional<Body> body_by_key_hash(Connection& c, std::string_view key_hash) {
  static const Statement q{"SELECT " BODY_COLUMNS
                           " FROM credentials k JOIN iaf_bodies b ON b.id = k.owner_id"
                           " WHERE k.key_hash = $1 AND k.realm = 'iaf'"};
  auto rows = c.query(q, {key_hash});
  if (!rows.next()) return std::nullopt;
  return read_body(rows);
}

std::optional<EntityKey> find_entity_key(Connection& c, std::string_view uploader_id,
                                         std::string_view cb_id, std::string_view unique_id) {
  static const Statement q{
      "SELECT id, name, former_names FROM iaf_entities"
      " WHERE uploader_id = $1 AND cb_id = $2 AND unique_id = $3{{FOR_UPDATE}}"};
  auto rows = c.query(q, {uploader_id, cb_id, unique_id});
  if (!rows.next()) return std::nullopt;
  return EntityKey{rows.str(0), rows.str(1), rows.str(2)};
}

std::optional<EntityView> insert_entity(Connection& c, std::string_view id,
                                        std::string_view uploader_id, std::string_view cb_id,
                                        const EntityInput& e, std::int64_t now) {
  static const Statement q{
      "INSERT INTO iaf_entities (id, uploader_id, cb_id, unique_id, name, country,"
      " english_name, trading_name, street, city, state, postcode, website, confidential,"
      " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
      " $14, $15, $15) ON CONFLICT (uploader_id, cb_id, unique_id) DO NOTHING"
      " RETURNING " ENTITY_COLUMNS_OF("")};
  auto rows = c.query(
      q, {id, uploader_id, cb_id, e.unique_id, e.name, e.country, e.english_name, e.trading_name,
          e.street, e.city, e.state, e.postcode, e.website, e.confidential.value_or(false), now});
  if (!rows.next()) return std::nullopt;
  EntityView v = read_entity(rows, 0);
  while (rows.next()) {
  }
  return v;
}

EntityView update_entity_from_upload(Connection& c, std::string_view id, const EntityInput& e,
                                     std::string_view former_names_json, std::int64_t now) {
  static const Statement q{
      "UPDATE iaf_entities SET name = $2, former_names = $3, country = $4,"
      " english_name = COALESCE($5, english_name), trading_name = COALESCE($6, trading_name),"
      " street = COALESCE($7, street), city = COALESCE($8, city), state = COALESCE($9, state),"
      " postcode = COALESCE($10, postcode), website = COALESCE($11, website),"
      " confidential = COALESCE($12, confidential), updated_at = $13 WHERE id = $1"
      " RETURNING " ENTITY_COLUMNS_OF("")};
  auto rows = c.query(q, {id, e.name, former_names_json, e.country, e.english_name, e.trading_name,
                          e.street, e.city, e.state, e.postcode, e.website, e.confidential, now});
  if (!rows.next()) throw DbError("iaf_entities: the entity to update is gone");
  EntityView v = read_entity(rows, 0);
  while (rows.next()) {
  }
  return v;
}

void patch_entity(Connection& c, std::string_view id, const EntityPatch& p,
                  std::string_view former_names_json, std::int64_t now) {
  static const Statement q{
      "UPDATE iaf_entities SET name = COALESCE($2, name), former_names = $3,"
      " english_name = COALESCE($4, english_name), trading_name = COALESCE($5, trading_name),"
      " street = COALESCE($6, street), city = COALESCE($7, city), state = COALESCE($8, state),"
      " postcode = COALESCE($9, postcode), country = COALESCE($10, country),"
      " website = COALESCE($11, website), company_id_number = COALESCE($12, company_id_number),"
      " business_registration_number = COALESCE($13, business_registration_number),"
      " tax_id = COALESCE($14, tax_id), vat = COALESCE($15, vat),"
      " duns_number = COALESCE($16, duns_number),"
      " system_information = COALESCE($17, system_information), updated_at = $18 WHERE id = $1"};
  c.execute(
      q, {id, p.name, former_names_json, p.english_name, p.trading_name, p.street, p.city, p.state,
          p.postcode, p.country, p.website, p.company_id_number, p.business_registration_number,
          p.tax_id, p.vat, p.duns_number, p.system_information_json, now});
}

std::optional<EntityView> get_entity(Connection& c, std::string_view id,
                                     std::string_view uploader_id) {
  static const Statement q{"SELECT " ENTITY_COLUMNS
                           " FROM iaf_entities e WHERE e.id = $1 AND e.uploader_id = $2"};
  auto rows = c.query(q, {id, uploader_id});
  if (!rows.next()) return std::nullopt;
  return read_entity(rows, 0);
}

std::vector<EntityView> entities_by_unique_id(Connection& c, std::string_view uploader_id,
                                              std::string_view unique_id) {
  static const Statement q{"SELECT " ENTITY_COLUMNS
                           " FROM iaf_entities e WHERE e.uploader_id = $1 AND e.unique_id = $2"
                           " ORDER BY e.id"};
  std::vector<EntityView> out;
  auto rows = c.query(q, {uploader_id, unique_id});
  while (rows.next()) out.push_back(read_entity(rows, 0));
  return out;
}

namespace {
// Rows per bucket of iaf_list_buckets: as in migration 0006, which made the buckets.
constexpr std::int64_t kListBucketRows = 1024;
// Buckets per span of iaf_list_spans: as in migration 0007, which made the spans.
constexpr std::int64_t kListSpanBuckets = 16;
}  // namespace

void count_certifications(Connection& c, std::string_view uploader_id,
                          const std::vector<std::int64_t>& seqs, int delta) {
  static const Statement bucket_q{
      "INSERT INTO iaf_list_buckets (uploader_id, bucket, certifications) VALUES ($1, $2, $3)"
      " ON CONFLICT (uploader_id, bucket) DO UPDATE"
      " SET certifications = iaf_list_buckets.certifications + excluded.certifications"};
  static const Statement span_q{
      "INSERT INTO iaf_list_spans (uploader_id, span, certifications) VALUES ($1, $2, $3)"
      " ON CONFLICT (uploader_id, span) DO UPDATE"
      " SET certifications = iaf_list_spans.certifications + excluded.certifications"};
  for (auto seq : seqs) {
    c.add_to_counter(bucket_q, uploader_id, seq / kListBucketRows, delta);
    c.add_to_counter(span_q, uploader_id, seq / kListBucketRows / kListSpanBuckets, delta);
  }
}

std::vector<Deleted> delete_entity(Connection& c, std::string_view id) {
  static const Statement list{
      "SELECT id, cb_id, cert_key, uploader_id, seq FROM iaf_certifications WHERE entity_id = $1"};
  static const Statement del_certs{"DELETE FROM iaf_certifications WHERE entity_id = $1"};
  static const Statement del_entity{"DELETE FROM iaf_entities WHERE id = $1"};
  std::vector<Deleted> out;
  std::string uploader_id;  // an entity's certifications are all its uploader's
  std::vector<std::int64_t> seqs;
  {
    auto rows = c.query(list, {id});
    while (rows.next()) {
      out.push_back({rows.str(0), {rows.str(1), rows.str(2)}});
      uploader_id = rows.str(3);
      seqs.push_back(rows.integer(4));
    }
  }
  c.execute(del_certs, {id});
  if (!out.empty()) count_certifications(c, uploader_id, seqs, -1);
  c.execute(del_entity, {id});
  return out;
}

std::optional<std::string> find_certification_id(Connection& c, std::string_view cb_id,
                                                 std::string_view cert_key,
                                                 std::string_view uploader_id) {
  static const Statement q{
      "SELECT id FROM iaf_certifications WHERE cb_id = $1 AND cert_key = $2 AND uploader_id = $3"};
  auto rows = c.query(q, {cb_id, cert_key, uploader_id});
  if (!rows.next()) return std::nullopt;
  return rows.str(0);
}

namespace {

#define STORED_COLUMNS                                                                           \
  "id, uploader_id, uploader_role, cb_id, ab_id, entity_id, certificate_number, status, type, "  \
  "issue_date, expiry_date, schemes, sites, certificate_identity_number, accreditation_status, " \
  "scope, original_issue_date, created_at, updated_at, seq"

// The row a RETURNING clause of STORED_COLUMNS gave back (the current row of `rows`).
StoredCertification read_stored(const Rows& rows) {
  return StoredCertification{
      rows.str(0),      rows.str(1),      rows.str(2),      rows.str(3),      rows.str(4),
      rows.str(5),      rows.str(6),      rows.str(7),      rows.str(8),      rows.str(9),
      rows.str(10),     rows.str(11),     rows.str(12),     rows.opt_str(13), rows.opt_str(14),
      rows.opt_str(15), rows.opt_str(16), rows.integer(17), rows.integer(18), rows.integer(19)};
}

}  // namespace

std::optional<InsertedCertification> insert_certification(
    Connection& c, std::string_view id, std::string_view uploader_id,
    std::string_view uploader_role, std::string_view cb_id, std::string_view ab_id,
    std::string_view entity_id, std::string_view cert_key, const CertificationInput& in,
    std::int64_t now) {
  // The count of other uploaders' versions comes with the insert, where it was a statement of
  // its own (refresh_primary's) for every upload. Other uploaders only: PostgreSQL's subquery
  // does not see the row being inserted, SQLite's does.
  static const Statement q{
      "INSERT INTO iaf_certifications (id, uploader_id, uploader_role, cb_id, ab_id, entity_id,"
      " cert_key, certificate_number, certificate_identity_number, status, accreditation_status,"
      " type, scope, original_issue_date, issue_date, expiry_date, schemes, sites, created_at,"
      " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
      " $16, $17, COALESCE($18, '[]'), $19, $19)"
      " ON CONFLICT (cb_id, cert_key, uploader_id) DO NOTHING RETURNING " STORED_COLUMNS
      ", (SELECT COUNT(*) FROM iaf_certifications o WHERE o.cb_id = $4 AND o.cert_key = $7"
      " AND o.uploader_id <> $2)"};
  auto rows =
      c.query(q, {id, uploader_id, uploader_role, cb_id, ab_id, entity_id, cert_key,
                  in.certificate_number, in.identity_number, in.status, in.accreditation_status,
                  in.type, in.scope, iso(in.original_issue_date), dates::format_iso(in.issue_date),
                  dates::format_iso(in.expiry_date), in.schemes_json, in.sites_json, now});
  if (!rows.next()) return std::nullopt;  // another writer took the unique key first
  InsertedCertification out{read_stored(rows), rows.integer(20) > 0};
  while (rows.next()) {
  }
  return out;
}

StoredCertification update_certification(Connection& c, std::string_view id, std::string_view ab_id,
                                         std::string_view entity_id, const CertificationInput& in,
                                         std::int64_t now) {
  static const Statement q{
      "UPDATE iaf_certifications SET ab_id = $2, entity_id = $3, certificate_number = $4,"
      " certificate_identity_number = COALESCE($5, certificate_identity_number), status = $6,"
      " accreditation_status = COALESCE($7, accreditation_status), type = $8,"
      " scope = COALESCE($9, scope), original_issue_date = COALESCE($10, original_issue_date),"
      " issue_date = $11, expiry_date = $12, schemes = $13, sites = COALESCE($14, sites),"
      " updated_at = $15 WHERE id = $1 RETURNING " STORED_COLUMNS};
  auto rows = c.query(q, {id, ab_id, entity_id, in.certificate_number, in.identity_number,
                          in.status, in.accreditation_status, in.type, in.scope,
                          iso(in.original_issue_date), dates::format_iso(in.issue_date),
                          dates::format_iso(in.expiry_date), in.schemes_json, in.sites_json, now});
  if (!rows.next()) throw DbError("iaf_certifications: the certification to update is gone");
  auto stored = read_stored(rows);
  while (rows.next()) {
  }
  return stored;
}

std::optional<CertificationView> get_certification(Connection& c, std::string_view id,
                                                   std::string_view uploader_id) {
  static const Statement q{"SELECT " CERT_COLUMNS CERT_FROM
                           " WHERE c.id = $1 AND c.uploader_id = $2"};
  auto rows = c.query(q, {id, uploader_id});
  if (!rows.next()) return std::nullopt;
  return read_certification(rows);
}

namespace {

// Rows of one uploader counted per range of sequence numbers (a span or a bucket), newest first.
struct CountedRange {
  std::int64_t first_seq, certifications;
};

// Where a page of `limit` rows that skips `skip` rows from the newest of `ranges` lies: the range
// of its first row and the rows to skip inside it, and a sequence number at or below its last
// row (the first number of the range that holds the last row, or nullopt when the page runs
// past `ranges`).
struct PagePlace {
  std::size_t first_range = 0;
  std::int64_t skip_in_range = 0;
  std::optional<std::int64_t> lowest_seq;
};
std::optional<PagePlace> place_page(const std::vector<CountedRange>& ranges, std::int64_t skip,
                                    std::int64_t limit) {
  std::optional<PagePlace> out;
  std::int64_t before = 0;  // rows in the ranges newer than the current one
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    std::int64_t n = ranges[i].certifications;
    if (!out && skip < before + n) out = PagePlace{i, skip - before, std::nullopt};
    if (out && skip + limit <= before + n) {
      out->lowest_seq = ranges[i].first_seq;
      break;
    }
    before += n;
  }
  return out;
}

}  // namespace

CertificationPage list_certifications(Connection& c, std::string_view uploader_id, int limit,
                                      std::int64_t offset_rows) {
  // The span counts give the total and the span that holds the page's first row, that span's
  // bucket counts the bucket that holds it; the rows of that bucket before it are skipped in the
  // (uploader_id, seq) index alone (at most 1,023), and only the page's rows are joined. Both
  // index ranges are bounded below as well as above, by the first number of the bucket (or
  // span) that holds the row they end at, so that any plan reads at most about a bucket (a span
  // where the page crosses into an older one) more than the page: without statistics (a table
  // loaded faster than autovacuum analyzes it) PostgreSQL planned the skip as a bitmap scan of
  // every row of the uploader below the bucket and a sort, 42 ms a page at 120,000 rows.
  static const Statement spans{
      "SELECT span, certifications FROM iaf_list_spans WHERE uploader_id = $1"
      " ORDER BY span DESC"};
  static const Statement buckets{
      "SELECT bucket, certifications FROM iaf_list_buckets WHERE uploader_id = $1"
      " AND bucket >= $2 AND bucket < $3 ORDER BY bucket DESC"};
  static const Statement page{
      "SELECT " CERT_COLUMNS CERT_FROM
      " WHERE c.uploader_id = $1 AND c.seq >= $6 AND c.seq <= (SELECT s.seq"
      " FROM iaf_certifications s WHERE s.uploader_id = $1 AND s.seq >= $5 AND s.seq < $4"
      " ORDER BY s.seq DESC LIMIT 1 OFFSET $3)"
      " ORDER BY c.seq DESC LIMIT $2"};
  constexpr std::int64_t kSpanRows = kListSpanBuckets * kListBucketRows;
  CertificationPage out;
  ReadSnapshot snapshot(c);
  std::vector<CountedRange> span_counts;
  {
    auto rows = c.query(spans, {uploader_id});
    while (rows.next()) {
      span_counts.push_back({rows.integer(0) * kSpanRows, rows.integer(1)});
      out.total += span_counts.back().certifications;
    }
  }
  auto in_spans = place_page(span_counts, offset_rows, limit);
  if (!in_spans) return out;  // past the end
  std::int64_t span_first_seq = span_counts[in_spans->first_range].first_seq;
  std::vector<CountedRange> bucket_counts;
  {
    std::int64_t first_bucket = span_first_seq / kListBucketRows;
    auto rows = c.query(buckets, {uploader_id, first_bucket, first_bucket + kListSpanBuckets});
    while (rows.next())
      bucket_counts.push_back({rows.integer(0) * kListBucketRows, rows.integer(1)});
  }
  auto in_buckets = place_page(bucket_counts, in_spans->skip_in_range, limit);
  if (!in_buckets) throw DbError("iaf_list_spans: a span counts more than its buckets");
  std::int64_t bucket_first_seq = bucket_counts[in_buckets->first_range].first_seq;
  std::int64_t lowest_seq = in_buckets->lowest_seq.value_or(in_spans->lowest_seq.value_or(0));
  auto rows = c.query(page, {uploader_id, limit, in_buckets->skip_in_range,
                             bucket_first_seq + kListBucketRows, bucket_first_seq, lowest_seq});
  while (rows.next()) out.items.push_back(read_certification(rows));
  return out;
}

std::optional<Group> delete_certification(Connection& c, std::string_view id,
                                          std::string_view uploader_id) {
  static const Statement q{
      "DELETE FROM iaf_certifications WHERE id = $1 AND uploader_id = $2 RETURNING cb_id, "
      "cert_key, seq"};
  std::optional<Group> g;
  std::int64_t seq = 0;
  {
    auto rows = c.query(q, {id, uploader_id});
    if (!rows.next()) return std::nullopt;
    g = Group{rows.str(0), rows.str(1)};
    seq = rows.integer(2);
    while (rows.next()) {
    }
  }
  count_certifications(c, uploader_id, {seq}, -1);
  return g;
}

std::optional<Primary> refresh_primary(Connection& c, const Group& g) {
  // AB versions rank below CB and MNCB ones; within a rank the first upload wins.
  static const Statement versions{
      "SELECT id, uploader_role, is_primary FROM iaf_certifications"
      " WHERE cb_id = $1 AND cert_key = $2"
      " ORDER BY CASE uploader_role WHEN 'ab' THEN 1 ELSE 0 END, seq"};
  static const Statement mark{"UPDATE iaf_certifications SET is_primary = $2 WHERE id = $1"};
  std::optional<Primary> primary;
  std::vector<std::pair<std::string, bool>> wrong;  // rows whose flag must change
  {
    auto rows = c.query(versions, {g.cb_id, g.cert_key});
    while (rows.next()) {
      bool should = !primary;
      if (should) primary = Primary{rows.str(0), rows.str(1)};
      if ((rows.integer(2) != 0) != should) wrong.emplace_back(rows.str(0), should);
    }
  }
  for (const auto& [id, flag] : wrong) c.execute(mark, {id, flag});
  return primary;
}

// ---------------------------------------------------------------------------------------------
// Certification bodies as their accreditation body manages them.

namespace {

#define CB_COLUMNS                                                                         \
  "b.id, b.name, b.accreditation_status, b.offices, b.countries, b.standards, b.sectors, " \
  "b.identity_number, b.acronym, b.country, b.description, b.website, b.email, b.phone, "  \
  "b.fax, b.withdrawn_at, b.created_at, b.updated_at"

CbView read_cb(const Rows& r) {
  CbView v;
  v.id = r.str(0);
  v.name = r.str(1);
  v.accreditation_status = r.str(2);
  v.offices_json = r.str(3);
  v.countries_json = r.str(4);
  v.standards_json = r.str(5);
  v.sectors_json = r.str(6);
  v.identity_number = r.opt_str(7);
  v.acronym = r.opt_str(8);
  v.country = r.opt_str(9);
  v.description = r.opt_str(10);
  v.website = r.opt_str(11);
  v.email = r.opt_str(12);
  v.phone = r.opt_str(13);
  v.fax = r.opt_str(14);
  v.withdrawn_at = r.opt_integer(15);
  v.created_at = r.integer(16);
  v.updated_at = r.integer(17);
  return v;
}

}  // namespace

std::optional<CbView> get_cb(Connection& c, std::string_view ab_id, const CbRef& ref) {
  static const Statement by_id{"SELECT " CB_COLUMNS
                               " FROM iaf_bodies b WHERE b.id = $1"
                               " AND b.kind = 'cb' AND b.accreditation_body_id = $2"};
  static const Statement by_identity{"SELECT " CB_COLUMNS
                                     " FROM iaf_bodies b WHERE"
                                     " b.identity_number = $1 AND b.kind = 'cb'"
                                     " AND b.accreditation_body_id = $2"};
  auto rows = ref.id ? c.query(by_id, {*ref.id, ab_id})
                     : c.query(by_identity, {ref.identity_number.value_or(""), ab_id});
  if (!rows.next()) return std::nullopt;
  return read_cb(rows);
}

CbPage list_cbs(Connection& c, std::string_view ab_id, int limit, std::int64_t offset_rows) {
  static const Statement page{"SELECT " CB_COLUMNS
                              " FROM iaf_bodies b WHERE b.kind = 'cb'"
                              " AND b.accreditation_body_id = $1"
                              " ORDER BY b.created_at DESC, b.id DESC LIMIT $2 OFFSET $3"};
  static const Statement count{
      "SELECT COUNT(*) FROM iaf_bodies WHERE kind = 'cb'"
      " AND accreditation_body_id = $1"};
  CbPage out;
  ReadSnapshot snapshot(c);
  {
    auto rows = c.query(count, {ab_id});
    if (rows.next()) out.total = rows.integer(0);
  }
  auto rows = c.query(page, {ab_id, limit, offset_rows});
  while (rows.next()) out.items.push_back(read_cb(rows));
  return out;
}

void insert_cb(Connection& c, std::string_view id, std::string_view ab_id, const CbInput& in,
               std::optional<std::int64_t> withdrawn_at, std::int64_t now) {
  static const Statement q{
      "INSERT INTO iaf_bodies (id, kind, name, acronym, country, accreditation_body_id,"
      " identity_number, accreditation_status, withdrawn_at, description, website, email, phone,"
      " fax, offices, countries, standards, sectors, created_at, updated_at) VALUES ($1, 'cb', $2,"
      " $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, COALESCE($14, '[]'), COALESCE($15, '[]'),"
      " COALESCE($16, '[]'), COALESCE($17, '[]'), $18, $18)"};
  c.execute(
      q, {id, in.name, in.acronym, in.country, ab_id, in.identity_number, in.accreditation_status,
          withdrawn_at, in.description, in.website, in.email, in.phone, in.fax, in.offices_json,
          in.countries_json, in.standards_json, in.sectors_json, now});
}

void update_cb(Connection& c, std::string_view id, const CbInput& in,
               std::optional<std::int64_t> withdrawn_at, std::int64_t now) {
  static const Statement q{
      "UPDATE iaf_bodies SET name = COALESCE($2, name), acronym = COALESCE($3, acronym),"
      " country = COALESCE($4, country), identity_number = COALESCE($5, identity_number),"
      " accreditation_status = COALESCE($6, accreditation_status), withdrawn_at = $7,"
      " description = COALESCE($8, description), website = COALESCE($9, website),"
      " email = COALESCE($10, email), phone = COALESCE($11, phone), fax = COALESCE($12, fax),"
      " offices = COALESCE($13, offices), countries = COALESCE($14, countries),"
      " standards = COALESCE($15, standards), sectors = COALESCE($16, sectors), updated_at = $17"
      " WHERE id = $1"};
  c.execute(q, {id, in.name, in.acronym, in.country, in.identity_number, in.accreditation_status,
                withdrawn_at, in.description, in.website, in.email, in.phone, in.fax,
                in.offices_json, in.countries_json, in.standards_json, in.sectors_json, now});
}

std::string cb_state(Connection& c, std::string_view id) {
  static const Statement q{"SELECT " CB_COLUMNS " FROM iaf_bodies b WHERE b.id = $1"};
  auto rows = c.query(q, {id});
  if (!rows.next()) return "null";
  CbView v = read_cb(rows);
  json::Writer w;
  w.begin_object()
      .field("id", v.id)
      .field("identity_number", v.identity_number)
      .field("name", v.name)
      .field("acronym", v.acronym)
      .field("country", v.country)
      .field("accreditation_status", v.accreditation_status)
      .field("description", v.description)
      .field("website", v.website)
      .field("email", v.email)
      .field("phone", v.phone)
      .field("fax", v.fax)
      .field_raw("offices", v.offices_json)
      .field_raw("countries", v.countries_json)
      .field_raw("standards", v.standards_json)
      .field_raw("sectors", v.sectors_json);
  w.key("withdrawn_at");
  if (v.withdrawn_at)
    w.value(*v.withdrawn_at);
  else
    w.null();
  w.field("updated_at", v.updated_at).end_object();
  return w.take();
}

namespace {

void write_entity_fields(json::Writer& w, const EntityView& e) {
  w.field("id", e.id)
      .field("uploader_id", e.uploader_id)
      .field("cb_id", e.cb_id)
      .field("unique_id", e.unique_id)
      .field("name", e.name)
      .field_raw("former_names", e.former_names_json)
      .field("english_name", e.english_name)
      .field("trading_name", e.trading_name)
      .field("street", e.street)
      .field("city", e.city)
      .field("state", e.state)
      .field("postcode", e.postcode)
      .field("country", e.country)
      .field("website", e.website)
      .field("confidential", e.confidential)
      .field("company_id_number", e.company_id_number)
      .field("business_registration_number", e.business_registration_number)
      .field("tax_id", e.tax_id)
      .field("vat", e.vat)
      .field("duns_number", e.duns_number);
  if (e.system_information_json)
    w.field_raw("system_information", *e.system_information_json);
  else
    w.field_null("system_information");
  w.field("created_at", e.created_at).field("updated_at", e.updated_at);
}

}  // namespace

std::string upload_state(const StoredCertification& v, const EntityView& entity) {
  json::Writer w;
  w.begin_object()
      .field("id", v.id)
      .field("uploader_id", v.uploader_id)
      .field("uploader_role", v.uploader_role)
      .field("cb_id", v.cb_id)
      .field("ab_id", v.ab_id)
      .field("certificate_number", v.certificate_number)
      .field("certificate_identity_number", v.identity_number)
      .field("status", v.status)
      .field("accreditation_status", v.accreditation_status)
      .field("type", v.type)
      .field("scope", v.scope)
      .field("original_issue_date", v.original_issue_date)
      .field("issue_date", v.issue_date)
      .field("expiry_date", v.expiry_date)
      .field_raw("schemes", v.schemes_json)
      .field_raw("sites", v.sites_json)
      .field("created_at", v.created_at)
      .field("updated_at", v.updated_at)
      .key("entity")
      .begin_object();
  write_entity_fields(w, entity);
  w.end_object().end_object();
  return w.take();
}

std::string entity_state(Connection& c, std::string_view id) {
  static const Statement q{"SELECT " ENTITY_COLUMNS " FROM iaf_entities e WHERE e.id = $1"};
  auto rows = c.query(q, {id});
  if (!rows.next()) return "null";
  json::Writer w;
  w.begin_object();
  write_entity_fields(w, read_entity(rows, 0));
  w.end_object();
  return w.take();
}

}  // namespace certreg::store::iaf
