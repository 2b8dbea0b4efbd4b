// No query the load benchmarks make the server run (bench/lua/*.lua and bench/bench.py's preload)
// may read a whole table: each must reach its rows through an index, whatever the table's size.
//
// Why a unit test rather than tests/e2e: the SQL lives in static Statements inside
// src/store/*_repo.cpp, assembled from macros, and which of them a request runs is decided by the
// services. A copy of that SQL in a Python test would drift from the code. Here the server's own
// routes (wired as in main.cpp) run in-process on a Database wrapper that records the text of every
// Statement executed, while each scenario's requests are dispatched; every recorded statement then
// goes through SQLite's EXPLAIN QUERY PLAN. What is checked is exactly what the scenarios run, now
// and after any change to the repositories or services.
//
// SQLite's planner uses table sizes only from ANALYZE (sqlite_stat1), which certreg never runs, so
// the plans on this small database are the plans on a million rows. (PostgreSQL, with the same
// indexes from the same migrations, plans from statistics of the data, so it is not checked here.)
// A scenario added to bench/bench.py needs its request added to the test below.
//
// A plan step "SCAN <table>" reads every row of the table, or every entry of an index when it says
// "USING [COVERING] INDEX" (a covering index spares the table lookups, not the full pass), so any
// SCAN fails the test except "SCAN CONSTANT ROW": a SELECT without a FROM clause, one row.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>

#include "admin/provisioning.hpp"
#include "admin/routes.hpp"
#include "core/crypto.hpp"
#include "core/edin_service.hpp"
#include "core/iaf_service.hpp"
#include "core/origin_service.hpp"
#include "core/sertifika_service.hpp"
#include "core/text.hpp"
#include "core/work_pool.hpp"
#include "dialects/edin/routes.hpp"
#include "dialects/iaf/routes.hpp"
#include "dialects/origin/jobs.hpp"
#include "dialects/origin/routes.hpp"
#include "dialects/sertifika/routes.hpp"
#include "http/router.hpp"
#include "store/db.hpp"

using namespace certreg;
using Json = nlohmann::json;

namespace {

// The SQL text of every statement run, with the scenarios that ran it.
class Recorder {
 public:
  void record(const store::Statement& st) {
    std::lock_guard lock(mu_);
    statements_[std::string(st.sql())].insert(scenario_);
  }
  void set_scenario(std::string name) {
    std::lock_guard lock(mu_);
    scenario_ = std::move(name);
  }
  std::map<std::string, std::set<std::string>> statements() {
    std::lock_guard lock(mu_);
    return statements_;
  }

 private:
  std::mutex mu_;
  std::string scenario_;
  std::map<std::string, std::set<std::string>> statements_;
};

class RecordingConnection final : public store::Connection {
 public:
  RecordingConnection(store::Connection& inner, Recorder& recorder)
      : inner_(inner), recorder_(recorder) {}
  // A reader: holds the wrapped database's lease until the wrapper's lease ends.
  RecordingConnection(store::Database::Lease lease, Recorder& recorder)
      : lease_(std::move(lease)), inner_(**lease_), recorder_(recorder) {}

  void script(std::string_view sql) override { inner_.script(sql); }
  std::string_view engine() const override { return inner_.engine(); }
  void begin_read() override { inner_.begin_read(); }
  void end_read() override { inner_.end_read(); }

 protected:
  store::Rows run_query(const store::Statement& st, store::ParamSpan params) override {
    recorder_.record(st);
    return inner_.query(st, params);
  }
  std::int64_t run_execute(const store::Statement& st, store::ParamSpan params) override {
    recorder_.record(st);
    return inner_.execute(st, params);
  }

 private:
  std::optional<store::Database::Lease> lease_;
  store::Connection& inner_;
  Recorder& recorder_;
};

class RecordingDatabase final : public store::Database {
 public:
  RecordingDatabase(store::Database& inner, Recorder& recorder)
      : inner_(inner), recorder_(recorder) {}
  std::string_view engine() const override { return inner_.engine(); }
  Lease reader() override {
    return Lease(this, new RecordingConnection(inner_.reader(), recorder_));
  }
  void submit(store::WriteWork work, store::WriteDone done) override {
    inner_.submit(
        [this, work = std::move(work)](store::Connection& c) {
          RecordingConnection recording(c, recorder_);
          work(recording);
        },
        std::move(done));
  }
  void stop() override { inner_.stop(); }

 protected:
  void release(store::Connection* c) override { delete static_cast<RecordingConnection*>(c); }

 private:
  store::Database& inner_;
  Recorder& recorder_;
};

class Headers final : public http::HeaderSource {
 public:
  explicit Headers(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  std::string_view get(std::string_view name) const override {
    auto it = values_.find(text::to_lower_ascii(name));
    return it == values_.end() ? std::string_view{} : std::string_view(it->second);
  }

 private:
  std::map<std::string, std::string> values_;  // lowercase names
};

class Sink final : public http::ReplySink {
 public:
  void send(http::Response&& r) override { promise.set_value(std::move(r)); }
  std::promise<http::Response> promise;
};

// The demo organisations of demo/provision.json that the scenarios use.
constexpr const char* kProvisioning = R"({
  "accreditation_bodies": [{"id": "ukas", "name": "United Kingdom Accreditation Service",
    "acronym": "UKAS", "country": "United Kingdom", "api_keys": ["ab-ukas-key"]}],
  "certification_bodies": [{"id": "bsi", "name": "BSI Assurance UK Ltd", "acronym": "BSI",
    "country": "United Kingdom", "accreditation_body": "ukas", "identity_number": "CB-0001",
    "api_keys": ["cb-bsi-key"]}],
  "origin_companies": [{"id": "acme", "name": "ACME Inc.", "tokens": ["origin-acme-token"]}],
  "origin_reporting_bodies": [{"name": "Veritas"}],
  "origin_standards": [{"code": "ISO 9001", "name": "ISO 9001", "type": "STANDARD"}],
  "sertifika_companies": [{"id": "3b5ad7a4-6d0e-4d8e-9a57-0c1f4b2f9d11", "name": "Advancity",
    "tokens": ["sm-advancity-token"], "templates": [{"id": "64c9f080-2314-4f02-a43c-923d83e8e444",
    "name": "Advancity Test Sertifikasi",
    "properties": [{"key": "alias_1434977880189", "title": "title_1434977880189"}]}]}],
  "edin_users": [{"login": "supplier1", "password": "s3cret", "glns": ["9864066822454"]}]
})";

const std::map<std::string, std::string> kIaf = {{"x-http-authorization", "cb-bsi-key"},
                                                 {"content-type", "application/json"}};
const std::map<std::string, std::string> kOrigin = {{"authorization", "Bearer origin-acme-token"},
                                                    {"content-type", "application/json"}};
const std::map<std::string, std::string> kSertifika = {{"authorization", "sm-advancity-token"},
                                                       {"content-type", "application/json"}};
const std::map<std::string, std::string> kJson = {{"content-type", "application/json"}};

Json iaf_record(const std::string& number) {
  return {{"certificate_number", number},
          {"certification_status", "active"},
          {"certification_type", "Management System"},
          {"certification_issue_date", "20230101"},
          {"certification_expiry_date", "20260101"},
          {"certified_entity_name", "Company " + number},
          {"certified_entity_unique_id", "ce-" + number},
          {"certified_entity_country", "United Kingdom"},
          {"accreditation_body_name", "United Kingdom Accreditation Service"},
          {"accreditation_body_acronym_name", "UKAS"},
          {"schemes", {{{"scheme_name", "ISO 9001"}, {"standard_list", Json::array()}}}},
          {"sites", {{{"city", "London"}}}}};
}

Json origin_update(const std::string& external_id, const std::string& behavior) {
  return {
      {"certifications",
       {{{"locale", "en"},
         {"externalId", external_id},
         {"brands", {{{"name", "Bench Brand"}, {"collectionBehavior", behavior}}}},
         {"contacts",
          {{{"externalId", "BENCH-K"}, {"type", "VENDOR"}, {"collectionBehavior", behavior}}}}}}}};
}

class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    inner_ = store::open_database("sqlite:" + (dir_ / "db").string(), {});
    admin::apply_provisioning(*inner_, admin::parse_provisioning(kProvisioning));
    db_.emplace(*inner_, recorder_);
    // As main.cpp wires them.
    iaf_.emplace(*db_);
    origin_.emplace(*db_);
    sertifika_.emplace(*db_);
    jobs_.emplace(*origin_, limits::kOriginMaxItems);
    edin_.emplace(*db_, slow_work_);
    admin::register_routes(router_, *db_, "");
    dialects::iaf::register_routes(router_, *iaf_, {});
    dialects::origin::register_routes(router_, *origin_, *jobs_, {});
    dialects::edin::register_routes(router_, *edin_, {});
    dialects::sertifika::register_routes(router_, *sertifika_);
  }

  void TearDown() override {
    slow_work_.stop();
    inner_->stop();
    std::filesystem::remove_all(dir_);
  }

  // Dispatches one request as `scenario`; expects HTTP 200 and returns the reply's JSON.
  Json call(const std::string& scenario, http::Method method, std::string target,
            const std::map<std::string, std::string>& headers, const Json& body = nullptr) {
    recorder_.set_scenario(scenario);
    Headers h(headers);
    http::Request req;
    req.method = method;
    req.target = std::move(target);
    if (!body.is_null()) req.body = body.dump();
    req.headers = &h;
    auto sink = std::make_shared<Sink>();
    auto reply = sink->promise.get_future();
    router_.dispatch(req, http::Reply(sink));
    http::Response r = reply.get();
    EXPECT_EQ(r.status, 200) << scenario << " " << req.target << ": " << r.body;
    return Json::parse(r.body);
  }

  // The plan steps SQLite would take for a recorded statement.
  std::vector<std::string> plan(const std::string& sql) {
    explain_texts_.push_back("EXPLAIN QUERY PLAN " + sql);
    explains_.emplace_back(explain_texts_.back());
    auto lease = inner_->reader();
    auto rows = lease->query(explains_.back());
    std::vector<std::string> out;
    while (rows.next()) out.push_back(rows.str(3));
    return out;
  }

  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("certreg-plans-" + crypto::random_hex(6));
  std::unique_ptr<store::Database> inner_;
  Recorder recorder_;
  std::optional<RecordingDatabase> db_;
  std::optional<iaf::Service> iaf_;
  std::optional<origin::Service> origin_;
  std::optional<sertifika::Service> sertifika_;
  std::optional<dialects::origin::JobRunner> jobs_;
  WorkPool slow_work_{1};
  std::optional<edin::Service> edin_;
  http::Router router_;
  std::deque<std::string> explain_texts_;  // a Statement only views its text
  std::deque<store::Statement> explains_;
};

TEST_F(QueryPlanTest, BenchmarkScenariosReadThroughIndexes) {
  using http::Method;
  const std::string iaf = "/api/client/v1/cb/";

  // bench.py's preload, which is also the iaf_bulk scenario.
  Json batch = Json::array();
  for (int i = 0; i < 100; ++i) batch.push_back(iaf_record("BENCH-" + std::to_string(i)));
  call("iaf_bulk", Method::post, iaf + "bulk-upload-cert", kIaf, {{"certifications", batch}});
  Json items = Json::array();
  for (int i = 0; i < 20; ++i)
    items.push_back({{"locale", "en"},
                     {"externalId", "BENCH-ORIGIN-" + std::to_string(i)},
                     {"url", "https://certs.example.com/c.pdf"},
                     {"reportingBody", {{"name", "Veritas"}}},
                     {"standard", {{"code", "ISO 9001"}}},
                     {"brands", {{{"name", "Brand"}}}}});
  call("origin preload", Method::post, "/connect/v1/certifications/create", kOrigin,
       {{"certifications", items}});
  Json login = call("edin login", Method::post, "/Api/V1/User/Authorize", kJson,
                    {{"varLogin", "supplier1"}, {"varPassword", "s3cret"}});
  std::string token = login.at("varToken");
  Json cert = {{"varToken", token},
               {"cert_date", "05.06.2018"},
               {"cert_sub_type", "1"},
               {"cert_type", "8"},
               {"cert_start_date", "30.06.2018"},
               {"cert_end_date", "29.07.2028"},
               {"cert_gln_creator", "9864066822454"}};
  for (int i = 0; i < 20; ++i) {
    cert["cert_number"] = "BENCH-EDIN-" + std::to_string(i);
    EXPECT_EQ(
        call("edin_create", Method::post, "/Api/V1/Certificate/Create", kJson, cert).at("intCode"),
        200);
  }
  Json holders = Json::array();
  for (int i = 0; i < 20; ++i)
    holders.push_back({{"id", "64c9f080-2314-4f02-a43c-923d83e8e444"},
                       {"Name", "Ayse"},
                       {"Surname", "Yilmaz"},
                       {"Email", "bench." + std::to_string(i) + "@example.com"},
                       {"Properties", {{{"key", "alias_1434977880189"}, {"value", "C#"}}}}});
  Json issued = call("sertifika_issue", Method::post, "/api/v1.0/certificate/", kSertifika,
                     {{"certificateItem", holders}});
  EXPECT_EQ(issued.at("messageList").back(), "Error count :0");

  // The scenarios, one request of each (mix is iaf_get and iaf_upload).
  call("healthz", Method::get, "/healthz", {});
  Json uploaded =
      call("iaf_upload", Method::post, iaf + "upload-cert", kIaf, iaf_record("UPLOAD-1"));
  std::string id = uploaded.at("company_certifications_id");
  call("iaf_get", Method::get, iaf + "cert/" + id, kIaf);
  call("iaf_list", Method::get, iaf + "cert?limit=20&offset=2", kIaf);
  call("origin_search", Method::post, "/connect/v1/certifications/search", kOrigin,
       {{"locale", "en"},
        {"pageNumber", 1},
        {"pageSize", 10},
        {"searchCriteria", {{{"name", "EXTERNALID"}, {"value", "BENCH-ORIGIN-7"}}}}});
  call("origin_update", Method::post, "/connect/v1/certifications/update", kOrigin,
       origin_update("BENCH-ORIGIN-7", "ADD"));
  call("origin_update", Method::post, "/connect/v1/certifications/update", kOrigin,
       origin_update("BENCH-ORIGIN-7", "REMOVE"));
  Json found = call("edin_by_num", Method::post, "/Api/V1/GetCertUA/GetCertsByNum", kJson,
                    {{"varToken", token}, {"num", "BENCH-EDIN-7"}});
  EXPECT_EQ(found.at("certs").size(), 1u) << found;

  static const std::regex scan(R"(^SCAN (TABLE )?(\S+))");
  auto statements = recorder_.statements();
  ASSERT_GT(statements.size(), 20u);  // the recorder saw the scenarios' statements
  std::string failures;
  for (const auto& [sql, scenarios] : statements) {
    auto steps = plan(sql);
    for (const auto& step : steps) {
      std::smatch m;
      if (!std::regex_search(step, m, scan) || step == "SCAN CONSTANT ROW") continue;
      failures += "\n" + step + " in [";
      for (const auto& s : scenarios) failures += " " + s;
      failures += " ]: " + sql + "\n  plan:";
      for (const auto& s : steps) failures += "\n    " + s;
    }
  }
  EXPECT_TRUE(failures.empty()) << "statements that read a whole table:" << failures;
}

}  // namespace
