// SQL for Origin Connect: companies' certifications, reference data, asynchronous jobs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/origin.hpp"
#include "store/db.hpp"

namespace certreg::store::origin {

using certreg::origin::Certification;

// The company holding the bearer token with this SHA-256.
std::optional<std::string> company_by_token_hash(Connection& c, std::string_view token_hash);

std::optional<Certification> find_by_origin_id(Connection& c, std::string_view company_id,
                                               std::string_view origin_id);
std::optional<Certification> find_by_external_id(Connection& c, std::string_view company_id,
                                                 std::string_view external_id);
// Locks the certification's row until the transaction ends (PostgreSQL; SQLite has one writer),
// so that a concurrent writer on another instance reads it only after this one committed.
void lock_by_origin_id(Connection& c, std::string_view company_id, std::string_view origin_id);
void lock_by_external_id(Connection& c, std::string_view company_id, std::string_view external_id);
// `document` is to_storage_json(cert), made once by the caller (it also goes to the history).
void insert(Connection& c, std::string_view company_id, const Certification& cert,
            std::string_view document, std::int64_t now_ms);
void update(Connection& c, std::string_view company_id, const Certification& cert,
            std::string_view document, std::int64_t now_ms);
void remove(Connection& c, std::string_view company_id, std::string_view origin_id);

certreg::origin::SearchPage search(Connection& c, std::string_view company_id,
                                   const certreg::origin::SearchCriteria& criteria, int limit,
                                   std::int64_t offset);

// Reference data from provisioning.
struct Standard {
  std::string code, name, type;
};
struct ReportingBody {
  std::string origin_id, name;
};
std::vector<Standard> standards(Connection& c);
std::vector<ReportingBody> reporting_bodies(Connection& c);
bool standard_exists(Connection& c, std::string_view code);
bool reporting_body_exists(Connection& c, std::string_view name);

// Asynchronous jobs.
struct Job {
  std::string id, company_id, version, command, request, state;
  std::optional<std::string> result;
};
void insert_job(Connection& c, const Job& job, std::int64_t now);
std::optional<Job> get_job(Connection& c, std::string_view id, std::string_view company_id);
// The oldest pending job, locked for this transaction where the engine can (several workers).
std::optional<Job> next_pending_job(Connection& c);
void finish_job(Connection& c, std::string_view id, std::string_view state,
                std::string_view result_json, std::int64_t now);

}  // namespace certreg::store::origin
