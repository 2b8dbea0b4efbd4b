// The store suite runs against every engine: SQLite always (a fresh file per test), PostgreSQL when
// CERTREG_TEST_PG_URL names a server (a fresh schema per test, dropped afterwards). The SQL written
// here is the dialect both engines share ($N placeholders, standard types).
#include "store/db.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "admin/provisioning.hpp"
#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/iaf_service.hpp"
#include "store/errors.hpp"
#include "store/iaf_repo.hpp"
#include "store/migrations.hpp"

using namespace certreg;
using store::Params;
using store::Statement;
using Json = nlohmann::json;

namespace {

// Makes a fresh, empty database for one test and removes it afterwards.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  virtual std::string url() const = 0;
};

class SqliteTestDatabase : public TestDatabase {
 public:
  SqliteTestDatabase()
      : dir_(std::filesystem::temp_directory_path() / ("certreg-store-" + crypto::random_hex(8))) {}
  ~SqliteTestDatabase() override { std::filesystem::remove_all(dir_); }
  std::string url() const override { return "sqlite:" + (dir_ / "test.db").string(); }

 private:
  std::filesystem::path dir_;
};

class PostgresTestDatabase : public TestDatabase {
 public:
  explicit PostgresTestDatabase(std::string base) : base_(std::move(base)) {
    schema_ = "certreg_test_" + crypto::random_hex(8);
    admin("CREATE SCHEMA " + schema_);
  }
  ~PostgresTestDatabase() override { admin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE"); }
  // libpq passes "options" to the server: every connection of the test works in its schema.
  std::string url() const override {
    return base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema_;
  }

 private:
  void admin(const std::string& sql) {
    PGconn* c = PQconnectdb(base_.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      std::string err = PQerrorMessage(c);
      PQfinish(c);
      throw std::runtime_error("CERTREG_TEST_PG_URL: " + err);
    }
    PGresult* r = PQexec(c, sql.c_str());
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string err = PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error(sql + ": " + err);
  }

  std::string base_;
  std::string schema_;
};

std::vector<std::string> engines() {
  std::vector<std::string> out{"sqlite"};
  if (const char* pg = std::getenv("CERTREG_TEST_PG_URL"); pg && *pg) out.push_back("postgresql");
  return out;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite")
      testdb_ = std::make_unique<SqliteTestDatabase>();
    else
      testdb_ = std::make_unique<PostgresTestDatabase>(std::getenv("CERTREG_TEST_PG_URL"));
    db_ = open();
  }
  void TearDown() override {
    db_.reset();
    testdb_.reset();
  }

  std::unique_ptr<store::Database> open() { return store::open_database(testdb_->url(), {}); }

  // A table for tests of the engine itself.
  void create_items() {
    db_->write([](store::Connection& c) {
      c.script(
          "CREATE TABLE items (id BIGINT PRIMARY KEY, label TEXT, num DOUBLE PRECISION, "
          "flag BIGINT)");
    });
  }

  std::int64_t scalar(const Statement& st, Params params = {}) {
    auto lease = db_->reader();
    auto rows = lease->query(st, params);
    EXPECT_TRUE(rows.next());
    return rows.integer(0);
  }

  std::vector<std::int64_t> item_ids() {
    static const Statement q{"SELECT id FROM items ORDER BY id"};
    auto lease = db_->reader();
    auto rows = lease->query(q);
    std::vector<std::int64_t> out;
    while (rows.next()) out.push_back(rows.integer(0));
    return out;
  }

  std::unique_ptr<TestDatabase> testdb_;
  std::unique_ptr<store::Database> db_;
};

const Statement kInsertItem{"INSERT INTO items (id, label) VALUES ($1, $2)"};
const Statement kCountItems{"SELECT COUNT(*) FROM items"};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::ValuesIn(engines()),
                         [](const auto& info) { return info.param; });

TEST_P(StoreTest, EngineName) {
  EXPECT_EQ(db_->engine(), GetParam());
  EXPECT_EQ(db_->reader()->engine(), GetParam());
}

TEST_P(StoreTest, MigrationsAppliedOnce) {
  static const Statement q{"SELECT name FROM schema_migrations ORDER BY name"};
  auto names = [&] {
    std::vector<std::string> out;
    auto lease = db_->reader();
    auto rows = lease->query(q);
    while (rows.next()) out.push_back(rows.str(0));
    return out;
  };
  std::vector<std::string> embedded;
  for (const auto& m : store::embedded_migrations()) embedded.push_back(m.name);
  ASSERT_FALSE(embedded.empty());
  EXPECT_EQ(embedded.front(), "0001_initial.sql");
  EXPECT_TRUE(std::is_sorted(embedded.begin(), embedded.end()));
  EXPECT_EQ(names(), embedded);

  // Opening the same database again applies nothing new.
  db_.reset();
  db_ = open();
  EXPECT_EQ(names(), embedded);
  auto lease = db_->reader();
  EXPECT_EQ(store::migrate(*lease), 0);
}

TEST_P(StoreTest, WriteCommitsAndReaderSees) {
  create_items();
  auto lease = db_->reader();  // opened before the write
  db_->write([](store::Connection& c) {
    EXPECT_EQ(c.execute(kInsertItem, {1, "one"}), 1);
    EXPECT_EQ(c.execute(kInsertItem, {2, "two"}), 1);
  });
  auto rows = lease->query(kCountItems);
  ASSERT_TRUE(rows.next());
  EXPECT_EQ(rows.integer(0), 2);
}

// Param views its data only for the call; the rows are read after it, when a temporary bound as a
// parameter is gone (IAF uploads bound formatted dates so: found by fuzz_http under ASan).
TEST_P(StoreTest, QueryKeepsTemporaryParametersForItsRows) {
  static const Statement echo{"SELECT CAST($1 AS TEXT)"};
  auto lease = db_->reader();
  auto rows = lease->query(echo, {std::string(100, 'a')});
  std::string reuse(100, 'b');  // likely to take the freed block
  ASSERT_TRUE(rows.next());
  EXPECT_EQ(rows.str(0), std::string(100, 'a'));
  EXPECT_EQ(reuse, std::string(100, 'b'));
}

TEST_P(StoreTest, ExecuteReturnsChangedRows) {
  create_items();
  static const Statement update{"UPDATE items SET label = $1 WHERE id >= $2"};
  db_->write([](store::Connection& c) {
    for (int i = 1; i <= 5; ++i) c.execute(kInsertItem, {i, "x"});
    EXPECT_EQ(c.execute(update, {"y", 4}), 2);
    EXPECT_EQ(c.execute(update, {"z", 100}), 0);
  });
}

TEST_P(StoreTest, FailingJobRollsBackAloneWithinItsGroup) {
  create_items();
  constexpr int kThreads = 4, kPerThread = 12;
  auto throws = [](int id) { return id % 7 == 3; };

  // Hold the writer in a job until every other job is queued, so they form one group.
  std::promise<void> started, release;
  auto released = release.get_future().share();
  std::promise<void> blocker_done;
  db_->submit(
      [&started, released](store::Connection&) {
        started.set_value();
        released.wait_for(std::chrono::seconds(10));
      },
      [&](std::exception_ptr) { blocker_done.set_value(); });
  started.get_future().wait();

  std::vector<std::atomic<int>> calls(kThreads * kPerThread);
  std::vector<std::exception_ptr> errors(kThreads * kPerThread);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < kPerThread; ++k) {
        int id = t * kPerThread + k;
        db_->submit(
            [id, throws](store::Connection& c) {
              c.execute(kInsertItem, {id, "row"});
              if (throws(id)) throw std::runtime_error("job " + std::to_string(id));
            },
            [&calls, &errors, id](std::exception_ptr e) {
              errors[id] = e;
              ++calls[id];
            });
      }
    });
  for (auto& t : threads) t.join();
  release.set_value();
  blocker_done.get_future().wait();
  db_->write([](store::Connection&) {});  // every earlier job has completed after this one

  std::vector<std::int64_t> expected;
  for (int id = 0; id < kThreads * kPerThread; ++id) {
    EXPECT_EQ(calls[id].load(), 1) << "done called once for job " << id;
    if (throws(id)) {
      ASSERT_TRUE(errors[id]) << id;
      try {
        std::rethrow_exception(errors[id]);
      } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), "job " + std::to_string(id));
      }
    } else {
      EXPECT_FALSE(errors[id]) << id;
      expected.push_back(id);
    }
  }
  EXPECT_EQ(item_ids(), expected);
}

// Counter additions (Connection::add_to_counter) are summed over a write group and run once per
// key, before the commit: a job that fails loses its own, a job retried counts once, and a sum
// of nothing leaves no row.
TEST_P(StoreTest, CountersAddOncePerGroupWithoutTheFailedJobs) {
  db_->write([](store::Connection& c) {
    c.script(
        "CREATE TABLE counters (name TEXT NOT NULL, k BIGINT NOT NULL, n BIGINT NOT NULL, "
        "PRIMARY KEY (name, k))");
  });
  static const Statement add{
      "INSERT INTO counters (name, k, n) VALUES ($1, $2, $3) ON CONFLICT (name, k)"
      " DO UPDATE SET n = counters.n + excluded.n"};
  static const Statement counters{"SELECT name, k, n FROM counters ORDER BY name, k"};

  std::promise<void> started, release;
  auto released = release.get_future().share();
  db_->submit(
      [&started, released](store::Connection&) {
        started.set_value();
        released.wait_for(std::chrono::seconds(10));
      },
      [](std::exception_ptr) {});
  started.get_future().wait();
  std::vector<std::future<void>> done;
  auto submit = [&](store::WriteWork work) {
    auto p = std::make_shared<std::promise<void>>();
    done.push_back(p->get_future());
    db_->submit(std::move(work), [p](std::exception_ptr e) {
      if (e)
        p->set_exception(e);
      else
        p->set_value();
    });
  };
  submit([](store::Connection& c) {
    c.add_to_counter(add, "a", 1, 1);
    c.add_to_counter(add, "b", 7, 10);
  });
  submit([](store::Connection& c) {
    c.add_to_counter(add, "a", 1, 100);
    throw std::runtime_error("this job fails");
  });
  submit([](store::Connection& c) {
    c.add_to_counter(add, "a", 1, 4);
    c.add_to_counter(add, "a", 2, -3);
    c.add_to_counter(add, "b", 7, -10);  // sums to nothing: no statement
  });
  auto tries = std::make_shared<int>(0);
  submit([tries](store::Connection& c) {
    c.add_to_counter(add, "a", 1, 2);
    if (++*tries == 1) throw store::RetryableError("first try");
  });
  release.set_value();
  for (std::size_t i = 0; i < done.size(); ++i) {
    if (i == 1)
      EXPECT_THROW(done[i].get(), std::runtime_error);
    else
      EXPECT_NO_THROW(done[i].get()) << i;
  }
  EXPECT_EQ(*tries, 2);
  auto lease = db_->reader();
  auto rows = lease->query(counters);
  std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> got;
  while (rows.next()) got.emplace_back(rows.str(0), rows.integer(1), rows.integer(2));
  EXPECT_EQ(got, (std::vector<std::tuple<std::string, std::int64_t, std::int64_t>>{{"a", 1, 7},
                                                                                   {"a", 2, -3}}));
}

// A counter's upsert runs with the group's commit: when it fails, the whole group fails and
// nothing of it is kept, like a failed commit.
TEST_P(StoreTest, AFailingCounterFailsItsGroup) {
  create_items();
  db_->write([](store::Connection& c) {
    c.script(
        "CREATE TABLE counters (name TEXT NOT NULL, k BIGINT NOT NULL, "
        "n BIGINT NOT NULL CHECK (n >= 0), PRIMARY KEY (name, k))");
  });
  static const Statement add{
      "INSERT INTO counters (name, k, n) VALUES ($1, $2, $3) ON CONFLICT (name, k)"
      " DO UPDATE SET n = counters.n + excluded.n"};
  EXPECT_ANY_THROW(db_->write([](store::Connection& c) {
    c.execute(kInsertItem, {1, "row"});
    c.add_to_counter(add, "x", 1, -1);
  }));
  EXPECT_EQ(scalar(kCountItems), 0);
  db_->write([](store::Connection& c) {
    c.execute(kInsertItem, {2, "row"});
    c.add_to_counter(add, "x", 1, 5);
  });
  EXPECT_EQ(item_ids(), std::vector<std::int64_t>{2});
}

TEST_P(StoreTest, WriteRethrowsTheJobsException) {
  create_items();
  EXPECT_THROW(db_->write([](store::Connection& c) {
    c.execute(kInsertItem, {1, "x"});
    throw NotFound("thing");
  }),
               NotFound);
  EXPECT_EQ(scalar(kCountItems), 0);
}

TEST_P(StoreTest, UniqueViolation) {
  create_items();
  db_->write([](store::Connection& c) { c.execute(kInsertItem, {1, "first"}); });
  EXPECT_THROW(db_->write([](store::Connection& c) {
    c.execute(kInsertItem, {1, "again"});
  }),
               store::UniqueViolation);
  // Within one job: the job's earlier insert is rolled back with it.
  EXPECT_THROW(db_->write([](store::Connection& c) {
    c.execute(kInsertItem, {2, "two"});
    c.execute(kInsertItem, {2, "two again"});
  }),
               store::UniqueViolation);
  EXPECT_EQ(item_ids(), std::vector<std::int64_t>{1});
}

// execute_later statements run, in order, before the next statement, which reports their
// failure (PostgreSQL sends them together in one pipeline).
TEST_P(StoreTest, HeldStatementsRunBeforeTheNextAndReportTheirFailure) {
  create_items();
  static const Statement label_of{"SELECT label FROM items WHERE id = $1"};
  db_->write([](store::Connection& c) {
    std::string label = "three";
    c.execute_later(kInsertItem, {3, label});  // the values are copied
    label.assign("changed after execute_later");
    auto rows = c.query(label_of, {3});
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.str(0), "three");
  });
  EXPECT_THROW(db_->write([](store::Connection& c) {
    c.execute_later(kInsertItem, {3, "again"});
    c.execute(kInsertItem, {4, "four"});
  }),
               store::UniqueViolation);
  // A held failure before a script: the script still runs, then the failure is thrown.
  EXPECT_THROW(db_->write([](store::Connection& c) {
    c.execute_later(kInsertItem, {3, "again"});
    c.script("SELECT 1");
  }),
               store::UniqueViolation);
  EXPECT_EQ(item_ids(), std::vector<std::int64_t>{3});
  // The connections are usable afterwards.
  db_->write([](store::Connection& c) { c.execute(kInsertItem, {5, "five"}); });
  EXPECT_EQ(item_ids(), (std::vector<std::int64_t>{3, 5}));
}

// PostgreSQL: a connection the server drops while statements are held fails the write group
// that was using it (nothing of it is committed), and the next group runs on a new connection.
TEST_P(StoreTest, ConnectionLostInAPipelineFailsTheGroupAndTheNextReconnects) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "held statements are a PostgreSQL pipeline";
  create_items();
  static const Statement backend_pid{"SELECT pg_backend_pid()"};
  // Prepares both statements, so that the next time they go straight into a pipeline.
  db_->write([](store::Connection& c) {
    c.execute_later(kInsertItem, {1, "one"});
    c.execute(kInsertItem, {2, "two"});
  });
  EXPECT_THROW(db_->write([&](store::Connection& c) {
    auto rows = c.query(backend_pid);
    ASSERT_TRUE(rows.next());
    std::int64_t pid = rows.integer(0);
    PGconn* admin = PQconnectdb(std::getenv("CERTREG_TEST_PG_URL"));
    PQclear(PQexec(admin, fmt::format("SELECT pg_terminate_backend({})", pid).c_str()));
    for (int i = 0; i < 500; ++i) {  // until the server has let it go
      PGresult* r =
          PQexec(admin, fmt::format("SELECT 1 FROM pg_stat_activity WHERE pid = {}", pid).c_str());
      bool gone = PQntuples(r) == 0;
      PQclear(r);
      if (gone) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    PQfinish(admin);
    c.execute_later(kInsertItem, {3, "three"});
    c.execute(kInsertItem, {4, "four"});
  }),
               store::DbError);
  db_->write([](store::Connection& c) { c.execute(kInsertItem, {5, "five"}); });
  EXPECT_EQ(item_ids(), (std::vector<std::int64_t>{1, 2, 5}));
}

TEST_P(StoreTest, SqlErrorsAreDbErrors) {
  static const Statement bad{"SELECT no_such_column FROM schema_migrations"};
  auto lease = db_->reader();
  EXPECT_THROW(lease->query(bad), store::DbError);
  EXPECT_THROW(db_->write([](store::Connection& c) { c.script("NOT SQL AT ALL"); }),
               store::DbError);
}

TEST_P(StoreTest, ParamKindsRoundTrip) {
  create_items();
  static const Statement insert{"INSERT INTO items (id, label, num, flag) VALUES ($1, $2, $3, $4)"};
  static const Statement select{"SELECT id, label, num, flag FROM items WHERE id = $1"};
  const std::string utf8 = "Sertifikası · 인증서 · \xF0\x9F\x98\x80 · 'quoted' \"dq\" $1 ?";
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = std::numeric_limits<std::int64_t>::min();
  db_->write([&](store::Connection& c) {
    c.execute(insert, {1, nullptr, nullptr, nullptr});
    c.execute(insert, {2, std::string_view(utf8), 0.1, true});
    c.execute(insert, {big, "", -1.5e300, false});
    c.execute(insert, {small, std::optional<std::string>{}, 2.0, std::optional<std::int64_t>{7}});
  });
  auto lease = db_->reader();
  {
    auto r = lease->query(select, {1});
    ASSERT_TRUE(r.next());
    EXPECT_TRUE(r.is_null(1));
    EXPECT_TRUE(r.is_null(2));
    EXPECT_TRUE(r.is_null(3));
    EXPECT_EQ(r.opt_str(1), std::nullopt);
    EXPECT_EQ(r.opt_integer(3), std::nullopt);
    EXPECT_FALSE(r.next());
  }
  {
    auto r = lease->query(select, {2});
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.str(1), utf8);
    EXPECT_EQ(r.real(2), 0.1);
    EXPECT_EQ(r.integer(3), 1);
  }
  {
    auto r = lease->query(select, {big});
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.integer(0), big);
    EXPECT_FALSE(r.is_null(1));  // an empty string is not null
    EXPECT_EQ(r.opt_str(1), "");
    EXPECT_EQ(r.real(2), -1.5e300);
    EXPECT_EQ(r.integer(3), 0);
  }
  {
    auto r = lease->query(select, {small});
    ASSERT_TRUE(r.next());
    EXPECT_EQ(r.integer(0), small);
    EXPECT_TRUE(r.is_null(1));
    EXPECT_EQ(r.opt_integer(3), 7);
  }
  {
    auto r = lease->query(select, {12345});
    EXPECT_FALSE(r.next());
  }
}

TEST(StoreParam, Kinds) {
  EXPECT_EQ(store::Param(nullptr).kind(), store::Param::Kind::null);
  EXPECT_EQ(store::Param(5).kind(), store::Param::Kind::integer);
  EXPECT_EQ(store::Param(true).integer(), 1);
  EXPECT_EQ(store::Param(2.5).kind(), store::Param::Kind::real);
  EXPECT_EQ(store::Param("s").text(), "s");
  EXPECT_EQ(store::Param(std::optional<int>{}).kind(), store::Param::Kind::null);
  EXPECT_EQ(store::Param(std::optional<int>{4}).integer(), 4);
  EXPECT_EQ(store::Param::blob("b").kind(), store::Param::Kind::blob);
}

TEST_P(StoreTest, ReadSnapshotSeesOneState) {
  create_items();
  db_->write([](store::Connection& c) { c.execute(kInsertItem, {1, "a"}); });
  auto lease = db_->reader();
  auto count = [&] {
    auto rows = lease->query(kCountItems);
    EXPECT_TRUE(rows.next());
    return rows.integer(0);
  };
  {
    store::ReadSnapshot snapshot(*lease);
    EXPECT_EQ(count(), 1);
    db_->write([](store::Connection& c) { c.execute(kInsertItem, {2, "b"}); });
    EXPECT_EQ(count(), 1);  // the snapshot does not see the later commit
  }
  // A later lease does (within one lease, SQLite may keep reading one snapshot: lease_begin).
  auto later = db_->reader();
  auto rows = later->query(kCountItems);
  ASSERT_TRUE(rows.next());
  EXPECT_EQ(rows.integer(0), 2);
}

TEST_P(StoreTest, StopDrainsQueuedWritesThenRefuses) {
  create_items();
  std::atomic<bool> go{false};
  db_->submit(
      [&go](store::Connection&) {
        for (int i = 0; i < 2000 && !go; ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
      },
      [](std::exception_ptr) {});
  constexpr int kJobs = 20;
  std::vector<int> calls(kJobs, 0);
  std::vector<std::exception_ptr> errors(kJobs);
  for (int i = 0; i < kJobs; ++i)
    db_->submit(
        [i](store::Connection& c) {
          c.execute(kInsertItem, {i, "queued"});
        },
        [&, i](std::exception_ptr e) {
          errors[i] = e;
          ++calls[i];
        });
  // Let the first job go a little after stop() has begun waiting for the queue to drain.
  std::thread releaser([&go] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    go = true;
  });
  db_->stop();
  releaser.join();
  for (int i = 0; i < kJobs; ++i) {
    EXPECT_EQ(calls[i], 1) << i;
    EXPECT_FALSE(errors[i]) << i;
  }
  EXPECT_EQ(item_ids().size(), static_cast<std::size_t>(kJobs));

  bool ran = false;
  int done_calls = 0;
  std::exception_ptr refused;
  db_->submit([&ran](store::Connection&) { ran = true; },
              [&](std::exception_ptr e) {
                ++done_calls;
                refused = e;
              });
  EXPECT_FALSE(ran);
  EXPECT_EQ(done_calls, 1);
  ASSERT_TRUE(refused);
  EXPECT_THROW(std::rethrow_exception(refused), store::DbError);
  EXPECT_THROW(db_->write([](store::Connection&) {}), store::DbError);
  db_->stop();  // a second stop is harmless
}

// SqliteConnection::lease_begin keeps snapshots once this process has committed nothing for this
// long (Checkpointer::kQuietBeforeKeeping), plus a margin.
constexpr std::chrono::milliseconds kQuietBeforeKeeping{150};

// The writer leaves checkpoints to a thread of its own (sqlite_database.cpp). Until a checkpoint
// runs, committed pages live only in the WAL and the database file stays as small as the
// migrations left it; once the WAL passes 1,000 pages, the checkpointer must copy them back.
TEST(SqliteStore, CheckpointsOnAThreadOfItsOwn) {
  SqliteTestDatabase testdb;
  auto db = store::open_database(testdb.url(), {});
  const std::string path = testdb.url().substr(std::string("sqlite:").size());
  auto before = std::filesystem::file_size(path);
  db->write([](store::Connection& c) {
    c.script("CREATE TABLE blobs (id BIGINT PRIMARY KEY, body TEXT)");
    static const Statement insert{"INSERT INTO blobs (id, body) VALUES ($1, $2)"};
    const std::string body(3000, 'x');  // one row per 4 KiB page
    for (int i = 0; i < 1200; ++i) c.execute(insert, {i, body});
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::filesystem::file_size(path) < before + 1200 * 3000 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(std::filesystem::file_size(path), before + 1200 * 3000);
}

// Under a writer that never pauses, the background checkpoint never catches up with it, and the
// WAL, started over only when every frame has been copied back, grew without bound (485 MB in a
// 15 s upload benchmark). Past 4,000 pages the writer checkpoints itself and the WAL starts
// over: its file (about 16 to 40 MB here, depending on how often the writer finds the background
// checkpoint busy; up to 72 MB in 15 runs beside two busy loops on the two cores) stays well
// under half of what went through it (256 MB: with 128 MB a half was too close to that tail).
TEST(SqliteStore, WalStaysBoundedUnderAWriterThatNeverPauses) {
  SqliteTestDatabase testdb;
  store::DatabaseOptions options;
  options.sync_full = false;  // the WAL's size does not depend on fsyncs; the test gets faster
  auto db = store::open_database(testdb.url(), options);
  const std::string wal = testdb.url().substr(std::string("sqlite:").size()) + "-wal";
  db->write([](store::Connection& c) {
    c.script("CREATE TABLE blobs (id BIGINT PRIMARY KEY, body TEXT)");
  });
  // A reader that served two requests of a quiet database and went idle, keeping its snapshot
  // (SqliteConnection::lease_begin).
  static const Statement read{"SELECT COUNT(*) FROM blobs"};
  std::this_thread::sleep_for(kQuietBeforeKeeping);
  for (int i = 0; i < 2; ++i) db->reader()->query(read).next();
  static const Statement insert{"INSERT INTO blobs (id, body) VALUES ($1, $2)"};
  constexpr int kJobs = 64000;  // one 4 KiB page each: 256 MB through the WAL
  std::atomic<int> done{0};
  std::promise<void> all_done;
  for (int i = 0; i < kJobs; ++i)
    db->submit(
        [i](store::Connection& c) {
          c.execute(insert, {i, std::string(3000, 'x')});
        },
        [&](std::exception_ptr e) {
          EXPECT_FALSE(e);
          if (++done == kJobs) all_done.set_value();
        });
  all_done.get_future().wait();
  EXPECT_LT(std::filesystem::file_size(wal), 128u << 20);
}

// Readers keep their read transaction from one lease to the next while nothing is committed
// (SqliteConnection::lease_begin). A lease must still see every commit made before it began, by
// this process's writer or by another process's (here a second Database on the same file).
TEST(SqliteStore, AKeptSnapshotGivesWayToEveryEarlierCommit) {
  SqliteTestDatabase testdb;
  auto db = store::open_database(testdb.url(), {});
  auto other = store::open_database(testdb.url(), {});
  db->write([](store::Connection& c) { c.script("CREATE TABLE items (id BIGINT PRIMARY KEY)"); });
  static const Statement insert{"INSERT INTO items (id) VALUES ($1)"};
  auto count = [&db] {
    static const Statement q{"SELECT COUNT(*) FROM items"};
    auto lease = db->reader();  // one thread: the same connection every time
    auto rows = lease->query(q);
    rows.next();
    return rows.integer(0);
  };
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(count(), 0);
  for (int i = 1; i <= 6; ++i) {
    auto& writer = i % 2 ? db : other;
    writer->write([i](store::Connection& c) { c.execute(insert, {i}); });
    EXPECT_EQ(count(), i) << "after a commit through " << (i % 2 ? "this" : "another") << " pool";
    EXPECT_EQ(count(), i);
  }
}

// Whether a checkpoint that must start the WAL over (RESTART) is kept from finishing by a reader:
// an outside connection's view of the snapshots certreg's readers keep.
class OutsideCheckpoint {
 public:
  explicit OutsideCheckpoint(const std::string& url) {
    const std::string path = url.substr(std::string("sqlite:").size());
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~OutsideCheckpoint() { sqlite3_close(db_); }
  bool blocked() {
    int busy = -1;  // the first column of wal_checkpoint
    sqlite3_exec(
        db_, "PRAGMA wal_checkpoint(RESTART)",
        [](void* out, int, char** values, char**) {
          *static_cast<int*>(out) = std::atoi(values[0]);
          return 0;
        },
        &busy, nullptr);
    return busy == 1;
  }

 private:
  sqlite3* db_ = nullptr;
};

// An idle reader keeps its snapshot while the database is quiet (nothing committed for 100 ms by
// this process, nor since that reader's previous lease), and once a commit has made it
// stale the checkpointer's thread ends it: a stale snapshot keeps the frames committed after it
// in the WAL, which would then grow without end.
TEST(SqliteStore, AnIdleReadersStaleSnapshotIsEnded) {
  SqliteTestDatabase testdb;
  auto db = store::open_database(testdb.url(), {});
  db->write([](store::Connection& c) { c.script("CREATE TABLE items (id BIGINT PRIMARY KEY)"); });
  static const Statement read{"SELECT COUNT(*) FROM items"};
  std::this_thread::sleep_for(kQuietBeforeKeeping);
  for (int i = 0; i < 2; ++i) db->reader()->query(read).next();  // the second keeps it
  OutsideCheckpoint outside(testdb.url());
  EXPECT_TRUE(outside.blocked()) << "no snapshot kept by the idle reader";
  static const Statement insert{"INSERT INTO items (id) VALUES (1)"};
  db->write([](store::Connection& c) { c.execute(insert); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool blocked = true;
  while (blocked && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    blocked = outside.blocked();
  }
  EXPECT_FALSE(blocked) << "the stale snapshot of an idle reader was not ended";
}

// Under writes a reader keeps nothing between leases: a snapshot kept then would be stale before
// its next use and hold the checkpoint back meanwhile (uploads, which read before they write,
// lost 12-15% and doubled their p99 when every lease kept one).
TEST(SqliteStore, AReaderKeepsNoSnapshotWhileWritesCome) {
  SqliteTestDatabase testdb;
  auto db = store::open_database(testdb.url(), {});
  db->write([](store::Connection& c) { c.script("CREATE TABLE items (id BIGINT PRIMARY KEY)"); });
  static const Statement read{"SELECT COUNT(*) FROM items"};
  static const Statement insert{"INSERT INTO items (id) VALUES ($1)"};
  OutsideCheckpoint outside(testdb.url());
  std::this_thread::sleep_for(kQuietBeforeKeeping);
  for (int i = 0; i < 2; ++i) db->reader()->query(read).next();
  for (int i = 1; i <= 3; ++i) {
    db->write([i](store::Connection& c) { c.execute(insert, {i}); });
    db->reader()->query(read).next();  // found a commit since its previous lease
    db->reader()->query(read).next();  // found none since then, but one less than 100 ms ago
    EXPECT_FALSE(outside.blocked()) << "a snapshot kept by a reader right after a commit";
  }
}

TEST(StoreOpen, RejectsUnknownUrls) {
  EXPECT_THROW(store::open_database("mysql://x", {}), std::invalid_argument);
  EXPECT_THROW(store::open_database("sqlite:", {}), std::invalid_argument);
  EXPECT_THROW(store::open_database("", {}), std::invalid_argument);
}

// ---- IAF repository and service ----

namespace {

const std::string kIafBodies = R"({
  "accreditation_bodies": [
    {"id": "ukas", "name": "United Kingdom Accreditation Service", "acronym": "UKAS",
     "country": "United Kingdom", "api_keys": ["ab-ukas-key"]}],
  "certification_bodies": [
    {"id": "bsi", "name": "BSI Assurance UK Ltd", "acronym": "BSI", "country": "United Kingdom",
     "accreditation_body": "ukas", "identity_number": "CB-0001", "api_keys": ["cb-bsi-key"]}],
  "mncbs": [
    {"id": "sgs", "name": "SGS Group", "acronym": "SGS", "country": "Switzerland",
     "certification_bodies": ["bsi"], "api_keys": ["mncb-sgs-key"]}]
})";

iaf::CertificationInput certification(std::string number, std::string entity_name,
                                      std::string unique_id = "ACME-1") {
  iaf::CertificationInput in;
  in.certificate_number = std::move(number);
  in.status = "active";
  in.type = "Management system";
  in.issue_date = {2023, 1, 15};
  in.expiry_date = {2026, 1, 14};
  in.entity.unique_id = std::move(unique_id);
  in.entity.name = std::move(entity_name);
  in.entity.country = "United Kingdom";
  in.schemes_json = R"([{"scheme_name":"ISO 9001","standard_list":[]}])";
  return in;
}

struct HistoryRow {
  std::string action, actor;
  std::optional<std::string> state;
};

class IafStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_GT(admin::apply_provisioning(*db_, admin::parse_provisioning(kIafBodies)), 0);
    svc_ = std::make_unique<iaf::Service>(*db_);
    bsi_ = *svc_->authenticate("cb-bsi-key");
    sgs_ = *svc_->authenticate("mncb-sgs-key");
    ukas_ = *svc_->authenticate("ab-ukas-key");
  }
  void TearDown() override {
    svc_.reset();
    StoreTest::TearDown();
  }

  iaf::Issuer issuer(const iaf::Caller& caller, const iaf::IssuerRef& ref) {
    auto r = svc_->resolve_issuer(caller, ref);
    EXPECT_TRUE(std::holds_alternative<iaf::Issuer>(r));
    return std::get<iaf::Issuer>(r);
  }

  std::vector<iaf::UploadResult> upload(const iaf::Caller& caller,
                                        std::vector<iaf::CertificationInput> inputs) {
    std::vector<iaf::Upload> uploads;
    for (auto& in : inputs) uploads.push_back({std::move(in), {"bsi", "ukas"}});
    std::promise<std::vector<iaf::UploadResult>> p;
    svc_->upload(caller, std::move(uploads),
                 [&](std::exception_ptr e, std::vector<iaf::UploadResult> r) {
                   if (e)
                     p.set_exception(e);
                   else
                     p.set_value(std::move(r));
                 });
    return p.get_future().get();
  }

  iaf::UploadResult upload_one(const iaf::Caller& caller, iaf::CertificationInput in) {
    auto r = upload(caller, {std::move(in)});
    EXPECT_EQ(r.size(), 1u);
    return r.at(0);
  }

  template <class Call>
  void wait(Call call) {
    std::promise<void> p;
    call([&](std::exception_ptr e) {
      if (e)
        p.set_exception(e);
      else
        p.set_value();
    });
    p.get_future().get();
  }

  iaf::EntityView patch(const iaf::Caller& caller, std::string guid, iaf::EntityPatch patch) {
    std::promise<iaf::EntityView> p;
    svc_->patch_entity(caller, std::move(guid), std::move(patch),
                       [&](std::exception_ptr e, iaf::EntityView v) {
                         if (e)
                           p.set_exception(e);
                         else
                           p.set_value(std::move(v));
                       });
    return p.get_future().get();
  }

  std::vector<HistoryRow> history(std::string_view type, std::string_view id) {
    static const Statement q{
        "SELECT action, actor, state FROM history WHERE object_type = $1 AND object_id = $2"
        " ORDER BY seq"};
    auto lease = db_->reader();
    auto rows = lease->query(q, {type, id});
    std::vector<HistoryRow> out;
    while (rows.next()) out.push_back({rows.str(0), rows.str(1), rows.opt_str(2)});
    return out;
  }

  // Moves the sequence of certification numbers on, so that the next one is past `to`.
  void jump_sequence(std::int64_t to) {
    db_->write([&](store::Connection& c) {
      if (c.engine() == "postgresql") {
        static const Statement q{
            "SELECT setval(pg_get_serial_sequence('iaf_certifications', 'seq'), $1)"};
        c.query(q, {to}).next();
        return;
      }
      // SQLite numbers a row one past the largest: a row of nobody's list moves it.
      static const Statement q{
          "INSERT INTO iaf_certifications (seq, id, uploader_id, uploader_role, cb_id, ab_id,"
          " entity_id, cert_key, certificate_number, status, type, issue_date, expiry_date,"
          " schemes, created_at, updated_at) VALUES ($1, $2, 'nobody', 'cb', 'none', 'none',"
          " 'none', $2, $2, 'active', 'x', '2020-01-01', '2021-01-01', '[]', 0, 0)"};
      c.execute(q, {to, "jump-" + std::to_string(to)});
    });
  }

  std::unique_ptr<iaf::Service> svc_;
  iaf::Caller bsi_, sgs_, ukas_;
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Engines, IafStoreTest, ::testing::ValuesIn(engines()),
                         [](const auto& info) { return info.param; });

TEST_P(IafStoreTest, Authenticate) {
  EXPECT_EQ(bsi_.id, "bsi");
  EXPECT_EQ(bsi_.role, iaf::Role::cb);
  EXPECT_EQ(bsi_.accreditation_status, "active");
  EXPECT_EQ(sgs_.role, iaf::Role::mncb);
  EXPECT_EQ(ukas_.role, iaf::Role::ab);
  EXPECT_FALSE(svc_->authenticate("cb-bsi-key "));
  EXPECT_FALSE(svc_->authenticate(""));
  EXPECT_FALSE(svc_->authenticate("unknown"));
}

TEST_P(IafStoreTest, ResolveIssuer) {
  iaf::IssuerRef ref;
  ref.ab_name = " united kingdom accreditation service ";
  auto cb = issuer(bsi_, ref);
  EXPECT_EQ(cb.cb_id, "bsi");
  EXPECT_EQ(cb.ab_id, "ukas");
  ref = {};
  ref.ab_acronym = "ukas";
  EXPECT_EQ(issuer(bsi_, ref).ab_id, "ukas");
  ref.ab_acronym = "DAkkS";
  EXPECT_EQ(std::get<iaf::IssuerProblem>(svc_->resolve_issuer(bsi_, ref)),
            iaf::IssuerProblem::unknown_accreditation_body);

  ref = {};
  ref.ab_acronym = "UKAS";
  ref.cb_name = "BSI Assurance UK Ltd";
  EXPECT_EQ(issuer(sgs_, ref).cb_id, "bsi");
  ref.cb_name = "Another CB";
  EXPECT_EQ(std::get<iaf::IssuerProblem>(svc_->resolve_issuer(sgs_, ref)),
            iaf::IssuerProblem::unknown_certification_body);

  ref = {};
  ref.cb_identity_number = "CB-0001";
  EXPECT_EQ(issuer(ukas_, ref).cb_id, "bsi");
  ref.cb_identity_number = "CB-9999";
  EXPECT_EQ(std::get<iaf::IssuerProblem>(svc_->resolve_issuer(ukas_, ref)),
            iaf::IssuerProblem::unknown_certification_body);
}

TEST_P(IafStoreTest, UploadGetListDelete) {
  auto first = upload_one(bsi_, certification("CERT-1", "ACME Ltd"));
  EXPECT_EQ(first.id.size(), 36u);
  EXPECT_TRUE(first.is_primary);

  auto view = svc_->get(bsi_, first.id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->certificate_number, "CERT-1");
  EXPECT_EQ(view->status, "active");
  EXPECT_EQ(view->uploader_role, "cb");
  EXPECT_EQ(view->cb_id, "bsi");
  EXPECT_EQ(view->cb_name, "BSI Assurance UK Ltd");
  EXPECT_EQ(view->ab_name, "United Kingdom Accreditation Service");
  EXPECT_EQ(view->issue_date, "2023-01-15");
  EXPECT_EQ(view->expiry_date, "2026-01-14");
  EXPECT_EQ(view->schemes_json, R"([{"scheme_name":"ISO 9001","standard_list":[]}])");
  EXPECT_EQ(view->sites_json, "[]");
  EXPECT_EQ(view->entity.name, "ACME Ltd");
  EXPECT_EQ(view->entity.unique_id, "ACME-1");
  EXPECT_EQ(view->entity.former_names_json, "[]");

  // Another tenant sees nothing.
  EXPECT_FALSE(svc_->get(sgs_, first.id));
  EXPECT_FALSE(svc_->get(bsi_, "no-such-id"));

  auto second = upload_one(bsi_, certification("CERT-2", "Other Ltd", "OTHER-1"));
  EXPECT_NE(second.id, first.id);
  auto page = svc_->list(bsi_, 10, 0);
  EXPECT_EQ(page.total, 2);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, second.id);  // newest first
  EXPECT_EQ(page.items[1].id, first.id);
  page = svc_->list(bsi_, 1, 1);
  EXPECT_EQ(page.total, 2);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, first.id);
  EXPECT_EQ(svc_->list(sgs_, 10, 0).total, 0);

  wait([&](auto done) { svc_->delete_certification(bsi_, first.id, done); });
  EXPECT_FALSE(svc_->get(bsi_, first.id));
  EXPECT_EQ(svc_->list(bsi_, 10, 0).total, 1);
  EXPECT_THROW(wait([&](auto done) { svc_->delete_certification(bsi_, first.id, done); }),
               NotFound);
  EXPECT_THROW(wait([&](auto done) { svc_->delete_certification(sgs_, second.id, done); }),
               NotFound);
  EXPECT_TRUE(svc_->get(bsi_, second.id));
}

// meta.total comes from a per-uploader counter kept by every insert and delete, not COUNT(*).
TEST_P(IafStoreTest, ListTotalFollowsInsertsUpdatesAndDeletes) {
  auto count = [&](std::string_view uploader) {
    static const Statement q{"SELECT COUNT(*) FROM iaf_certifications WHERE uploader_id = $1"};
    auto lease = db_->reader();
    auto rows = lease->query(q, {uploader});
    rows.next();
    return rows.integer(0);
  };
  auto a = upload_one(bsi_, certification("A", "ACME", "ACME-1"));
  upload_one(bsi_, certification("B", "ACME", "ACME-1"));
  upload_one(bsi_, certification("C", "Other", "OTHER-1"));
  upload_one(bsi_, certification("C", "Other", "OTHER-1"));  // an update, not a new one
  upload_one(sgs_, certification("D", "Third", "THIRD-1"));
  EXPECT_EQ(svc_->list(bsi_, 10, 0).total, 3);
  EXPECT_EQ(svc_->list(sgs_, 10, 0).total, 1);
  wait([&](auto done) { svc_->delete_certification(bsi_, a.id, done); });
  EXPECT_EQ(svc_->list(bsi_, 10, 0).total, 2);
  auto entity = svc_->get(bsi_, svc_->list(bsi_, 1, 1).items.at(0).id)->entity.id;
  wait([&](auto done) { svc_->delete_entity(bsi_, entity, done); });
  for (const auto* who : {&bsi_, &sgs_})
    EXPECT_EQ(svc_->list(*who, 10, 0).total, count(who->id)) << who->id;
  // Pages past the end are empty, not an error.
  EXPECT_TRUE(svc_->list(bsi_, 10, 5).items.empty());
}

// A page finds its first row through the span counts (16,384 sequence numbers each), then that
// span's bucket counts (1,024 each), then the index. The sequence is moved forward between
// uploads so that one uploader's rows lie in several spans, with spans and buckets left empty
// between them, another uploader's rows among them and deletes in the middle; every page of
// every size must be the right slice of the newest-first order, with the spans kept by the
// writes and with the spans migration 0007 makes from the buckets.
TEST_P(IafStoreTest, ListPagesAcrossSpansAndBuckets) {
  std::vector<std::string> newest_first;
  std::vector<std::string> to_delete;
  int n = 0;
  auto upload_some = [&](int count) {
    std::vector<iaf::CertificationInput> in;
    for (int i = 0; i < count; ++i) in.push_back(certification("S-" + std::to_string(n++), "ACME"));
    for (auto& r : upload(bsi_, std::move(in))) newest_first.insert(newest_first.begin(), r.id);
    upload_one(sgs_, certification("OTHER-" + std::to_string(n), "Other", "O"));
  };
  upload_some(5);                // span 0
  jump_sequence(4 * 16384 - 4);  // the end of span 3
  upload_some(6);                // span 3's last three numbers and span 4's first three
  to_delete.push_back(newest_first.at(2));
  jump_sequence(7 * 16384 + 5000);  // span 7
  upload_some(4);
  to_delete.push_back(newest_first.at(1));
  jump_sequence(10 * 16384);  // span 10
  upload_some(3);
  for (const auto& id : to_delete) {
    wait([&](auto done) { svc_->delete_certification(bsi_, id, done); });
    std::erase(newest_first, id);
  }
  const auto total = static_cast<std::int64_t>(newest_first.size());
  auto check_every_page = [&](std::string_view when) {
    for (int limit : {1, 2, 3, 5, 7, 20}) {
      for (std::int64_t page = 0; page * limit <= total; ++page) {
        auto got = svc_->list(bsi_, limit, page);
        EXPECT_EQ(got.total, total) << when;
        std::vector<std::string> ids;
        for (const auto& v : got.items) ids.push_back(v.id);
        auto from = std::min<std::int64_t>(page * limit, total);
        auto to = std::min<std::int64_t>(from + limit, total);
        EXPECT_EQ(ids,
                  std::vector<std::string>(newest_first.begin() + from, newest_first.begin() + to))
            << when << ": limit " << limit << ", page " << page;
      }
    }
  };
  check_every_page("kept by the uploads");

  // Migration 0007 made the spans from the buckets of a database that had only buckets: run it
  // again on this one, its table gone, and every page must be the same.
  db_->write([](store::Connection& c) {
    c.script("DROP TABLE iaf_list_spans");
    c.script("DELETE FROM schema_migrations WHERE name = '0007_list_spans.sql'");
  });
  {
    auto lease = db_->reader();
    ASSERT_EQ(store::migrate(*lease), 1);
  }
  check_every_page("made by migration 0007");
}

// On a table PostgreSQL has not analyzed yet (loaded faster than autovacuum runs), the skip
// inside a page's bucket was planned as a bitmap scan of every row of the uploader below the
// bucket: a page of 120,000 rows read them all (42 ms). Bounded by the bucket's first number,
// a page reads at most a bucket's index entries, whatever the plan; counted here by the
// server's own statistics of index entries read.
TEST_P(IafStoreTest, ListPageReadsOneBucketOfTheIndexWithoutStatistics) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "a PostgreSQL plan";
  // As after a load that autovacuum has not caught up with: no statistics.
  db_->write([](store::Connection& c) {
    c.script("ALTER TABLE iaf_certifications SET (autovacuum_enabled = false)");
  });
  for (int job = 0; job < 40; ++job) {
    std::vector<iaf::CertificationInput> in;
    for (int i = 0; i < 100; ++i)
      in.push_back(certification("N-" + std::to_string(job * 100 + i), "ACME"));
    upload(bsi_, std::move(in));
  }
  auto lease = db_->reader();
  static const Statement analyzed{
      "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'iaf_certifications'"
      " AND schemaname = current_schema()"
      " AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)"};
  {
    auto rows = lease->query(analyzed);
    ASSERT_TRUE(rows.next());
    ASSERT_EQ(rows.integer(0), 0) << "the table has statistics: the plan is not the one tested";
  }
  static const Statement entries_read{
      "SELECT SUM(idx_tup_read) FROM pg_stat_user_indexes WHERE relname = 'iaf_certifications'"
      " AND schemaname = current_schema()"};
  auto index_entries_read = [&] {
    // This backend's counts reach the shared statistics when it next goes idle.
    lease->script("SELECT pg_stat_force_next_flush()");
    lease->script("SELECT pg_stat_clear_snapshot()");
    auto rows = lease->query(entries_read);
    rows.next();
    return rows.integer(0);
  };
  auto before = index_entries_read();
  auto page = store::iaf::list_certifications(*lease, "bsi", 20, 100);
  ASSERT_EQ(page.items.size(), 20u);
  EXPECT_EQ(page.total, 4000);
  EXPECT_LT(index_entries_read() - before, 1024 + 100);
}

TEST_P(IafStoreTest, ReuploadUpdatesAndKeepsFormerNames) {
  auto first = upload_one(bsi_, certification("CERT-1", "ACME Ltd"));
  auto in = certification("CERT-1", "ACME Group", "ACME-1");
  in.status = "suspended";
  in.sites_json = R"([{"city":"Leeds"}])";
  auto again = upload_one(bsi_, in);
  EXPECT_EQ(again.id, first.id);
  auto view = svc_->get(bsi_, first.id);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->status, "suspended");
  EXPECT_EQ(view->sites_json, R"([{"city":"Leeds"}])");
  EXPECT_EQ(view->entity.name, "ACME Group");
  EXPECT_EQ(view->entity.former_names_json, R"(["ACME Ltd"])");
  // Absent sites keep the stored ones.
  upload_one(bsi_, certification("CERT-1", "ACME Group"));
  EXPECT_EQ(svc_->get(bsi_, first.id)->sites_json, R"([{"city":"Leeds"}])");
  EXPECT_EQ(svc_->get(bsi_, first.id)->entity.former_names_json, R"(["ACME Ltd"])");
  EXPECT_EQ(svc_->list(bsi_, 10, 0).total, 1);
}

TEST_P(IafStoreTest, UploadBatchSharesEntity) {
  auto results = upload(bsi_, {certification("A", "ACME"), certification("B", "ACME")});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_NE(results[0].id, results[1].id);
  EXPECT_EQ(svc_->get(bsi_, results[0].id)->entity.id, svc_->get(bsi_, results[1].id)->entity.id);
}

TEST_P(IafStoreTest, HistoryOfCreateUpdateDelete) {
  auto id = upload_one(bsi_, certification("CERT-1", "ACME Ltd")).id;
  auto in = certification("CERT-1", "ACME Ltd");
  in.status = "withdrawn";
  upload_one(bsi_, in);
  wait([&](auto done) { svc_->delete_certification(bsi_, id, done); });

  auto rows = history("iaf_certification", id);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].action, "create");
  EXPECT_EQ(rows[1].action, "update");
  EXPECT_EQ(rows[2].action, "delete");
  for (const auto& r : rows) EXPECT_EQ(r.actor, "iaf:bsi");
  ASSERT_TRUE(rows[0].state);
  ASSERT_TRUE(rows[1].state);
  EXPECT_FALSE(rows[2].state);
  Json created = Json::parse(*rows[0].state);
  Json updated = Json::parse(*rows[1].state);
  EXPECT_EQ(created["id"], id);
  EXPECT_EQ(created["certificate_number"], "CERT-1");
  EXPECT_EQ(created["status"], "active");
  EXPECT_EQ(updated["status"], "withdrawn");
  EXPECT_EQ(created["entity"]["name"], "ACME Ltd");
}

TEST_P(IafStoreTest, DeleteEntityRemovesItsCertifications) {
  auto a = upload_one(bsi_, certification("A", "ACME")).id;
  auto b = upload_one(bsi_, certification("B", "ACME")).id;
  auto other = upload_one(bsi_, certification("C", "Other", "OTHER-1")).id;
  auto entity_id = svc_->get(bsi_, a)->entity.id;

  EXPECT_THROW(wait([&](auto done) { svc_->delete_entity(sgs_, entity_id, done); }), NotFound);
  wait([&](auto done) { svc_->delete_entity(bsi_, entity_id, done); });
  EXPECT_FALSE(svc_->get(bsi_, a));
  EXPECT_FALSE(svc_->get(bsi_, b));
  EXPECT_TRUE(svc_->get(bsi_, other));
  auto rows = history("iaf_entity", entity_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].action, "delete");
  EXPECT_EQ(rows[0].actor, "iaf:bsi");
  EXPECT_EQ(history("iaf_certification", a).back().action, "delete");
  EXPECT_EQ(history("iaf_certification", b).back().action, "delete");
  EXPECT_THROW(wait([&](auto done) { svc_->delete_entity(bsi_, entity_id, done); }), NotFound);
}

TEST_P(IafStoreTest, PatchEntity) {
  auto id = upload_one(bsi_, certification("A", "ACME Ltd")).id;
  auto entity_id = svc_->get(bsi_, id)->entity.id;

  iaf::EntityPatch p;
  p.name = "ACME Holdings";
  p.vat = "GB123";
  p.system_information_json = R"({"company_name":"N"})";
  auto v = patch(bsi_, "ACME-1", p);  // by the uploader's unique id
  EXPECT_EQ(v.id, entity_id);
  EXPECT_EQ(v.name, "ACME Holdings");
  EXPECT_EQ(v.vat, "GB123");
  EXPECT_EQ(v.system_information_json, R"({"company_name":"N"})");
  EXPECT_EQ(v.former_names_json, R"(["ACME Ltd"])");

  iaf::EntityPatch p2;
  p2.name = "ACME Ltd";  // back to an old name: both stay in the list once
  v = patch(bsi_, entity_id, p2);
  EXPECT_EQ(v.former_names_json, R"(["ACME Ltd","ACME Holdings"])");
  EXPECT_EQ(v.vat, "GB123");  // absent fields keep their values

  EXPECT_THROW(patch(sgs_, entity_id, p2), NotFound);
  EXPECT_THROW(patch(bsi_, "nobody", p2), NotFound);
  auto rows = history("iaf_entity", entity_id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].action, "update");
  EXPECT_EQ(rows[0].actor, "iaf:bsi");
  EXPECT_EQ(Json::parse(*rows[0].state)["name"], "ACME Holdings");
}

TEST_P(IafStoreTest, DataPriority) {
  // The CB's own version is primary; the AB's version of the same certificate is kept beside it.
  auto cb_version = upload_one(bsi_, certification("CERT-1", "ACME"));
  EXPECT_TRUE(cb_version.is_primary);
  auto ab_version = upload_one(ukas_, certification("CERT-1", "ACME"));
  EXPECT_NE(ab_version.id, cb_version.id);
  EXPECT_FALSE(ab_version.is_primary);
  EXPECT_EQ(ab_version.primary_role, "cb");
  auto ab_view = svc_->get(ukas_, ab_version.id);
  EXPECT_FALSE(ab_view->is_primary);
  EXPECT_EQ(ab_view->primary_role, "cb");  // read from the primary version's row
  EXPECT_EQ(svc_->get(bsi_, cb_version.id)->primary_role, "cb");

  wait([&](auto done) { svc_->delete_certification(bsi_, cb_version.id, done); });
  auto view = svc_->get(ukas_, ab_version.id);
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->is_primary);
  EXPECT_EQ(view->primary_role, "ab");
}

TEST(IafFormerNames, AddFormerName) {
  EXPECT_EQ(iaf::add_former_name("[]", "Old", "New"), R"(["Old"])");
  EXPECT_EQ(iaf::add_former_name(R"(["Old"])", "Old", "New"), R"(["Old"])");
  EXPECT_EQ(iaf::add_former_name(R"(["A"])", "B", "C"), R"(["A","B"])");
  EXPECT_EQ(iaf::add_former_name(R"(["A"])", "Same", "Same"), R"(["A"])");
  EXPECT_EQ(iaf::add_former_name("not json", "Old", "New"), R"(["Old"])");
  EXPECT_EQ(iaf::add_former_name(R"(["A",1,null])", "\"q\"", "New"), R"(["A","\"q\""])");
}
