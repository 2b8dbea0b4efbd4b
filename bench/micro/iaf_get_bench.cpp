// Where the time of an IAF GET cert/{id} goes, piece by piece: the store query, and rendering.
// Run: build/bench/micro/micro_bench --benchmark_filter=IafGet
#include <benchmark/benchmark.h>

#include <filesystem>
#include <future>

#include "admin/provisioning.hpp"
#include "core/crypto.hpp"
#include "core/iaf_service.hpp"
#include "dialects/iaf/render.hpp"
#include "store/iaf_repo.hpp"

using namespace certreg;

namespace {

struct Fixture {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("certreg-micro-" + crypto::random_hex(6));
  std::unique_ptr<store::Database> db;
  std::vector<std::string> ids;

  Fixture() {
    db = store::open_database("sqlite:" + (dir / "db").string(), {});
    admin::apply_provisioning(*db, admin::parse_provisioning(R"({
      "accreditation_bodies": [{"id": "ukas", "name": "UKAS", "acronym": "UKAS"}],
      "certification_bodies": [{"id": "bsi", "name": "BSI", "accreditation_body": "ukas",
                                "identity_number": "1"}]})"));
    iaf::Service svc(*db);
    iaf::Caller caller{"bsi", iaf::Role::cb, "active"};
    for (int batch = 0; batch < 100; ++batch) {
      std::vector<iaf::Upload> uploads;
      for (int i = 0; i < 100; ++i) {
        iaf::Upload u{};
        auto& in = u.input;
        in.certificate_number = "N-" + std::to_string(batch * 100 + i);
        in.status = "active";
        in.type = "Management System";
        in.issue_date = {2023, 1, 1};
        in.expiry_date = {2026, 1, 1};
        in.entity.unique_id = "u" + std::to_string(i);
        in.entity.name = "Company " + std::to_string(i);
        in.entity.country = "United Kingdom";
        in.schemes_json =
            R"([{"scheme_name":"ISO 9001","standard_list":[{"standards_name":"ISO 9001:2015"}]}])";
        in.sites_json =
            R"([{"street":null,"city":"London","state":null,"country":"UK","postcode":null,"scope_description":null}])";
        u.issuer = {"bsi", "ukas"};
        uploads.push_back(std::move(u));
      }
      std::promise<void> p;
      svc.upload(caller, std::move(uploads), [&](std::exception_ptr e, auto) {
        if (e)
          p.set_exception(e);
        else
          p.set_value();
      });
      p.get_future().get();
    }
    auto lease = db->reader();
    static const store::Statement q{"SELECT id FROM iaf_certifications"};
    auto rows = lease->query(q);
    while (rows.next()) ids.push_back(rows.str(0));
  }
  ~Fixture() {
    db.reset();
    std::filesystem::remove_all(dir);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void IafGetQuery(benchmark::State& state) {
  auto& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    auto lease = f.db->reader();
    auto v = store::iaf::get_certification(*lease, f.ids[i++ % f.ids.size()], "bsi");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(IafGetQuery);

void IafGetRender(benchmark::State& state) {
  auto& f = fixture();
  auto lease = f.db->reader();
  auto v = *store::iaf::get_certification(*lease, f.ids[0], "bsi");
  for (auto _ : state) {
    json::Writer w;
    w.begin_object().key("data");
    dialects::iaf::write_certification(w, v);
    w.end_object();
    benchmark::DoNotOptimize(w.str());
  }
}
BENCHMARK(IafGetRender);

void IafAuthenticate(benchmark::State& state) {
  auto& f = fixture();
  iaf::Service svc(*f.db);
  for (auto _ : state) benchmark::DoNotOptimize(svc.authenticate("no-such-key"));
}
BENCHMARK(IafAuthenticate);

// The writer's share of one upload-cert: every statement of Service::upload's job, without the
// commit (the jobs of a group share one).
void IafUploadJob(benchmark::State& state) {
  auto& f = fixture();
  iaf::Service svc(*f.db);
  iaf::Caller caller{"bsi", iaf::Role::cb, "active"};
  std::int64_t n = 1000000;
  const int per_group = 200;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::future<void>> waits;
    std::vector<std::shared_ptr<std::promise<void>>> promises;
    state.ResumeTiming();
    for (int k = 0; k < per_group; ++k) {
      iaf::Upload u{};
      auto& in = u.input;
      in.certificate_number = "U-" + std::to_string(n++);
      in.status = "active";
      in.type = "Management System";
      in.issue_date = {2023, 1, 1};
      in.expiry_date = {2026, 1, 1};
      in.entity.unique_id = "ue" + std::to_string(n);
      in.entity.name = "Company";
      in.entity.country = "United Kingdom";
      in.schemes_json = R"([{"scheme_name":"ISO 9001","standard_list":[]}])";
      u.issuer = {"bsi", "ukas"};
      auto p = std::make_shared<std::promise<void>>();
      waits.push_back(p->get_future());
      std::vector<iaf::Upload> one;
      one.push_back(std::move(u));
      svc.upload(caller, std::move(one), [p](std::exception_ptr, auto) { p->set_value(); });
    }
    for (auto& w : waits) w.get();
  }
  state.SetItemsProcessed(state.iterations() * per_group);
}
BENCHMARK(IafUploadJob)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
