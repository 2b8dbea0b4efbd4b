// PooledDatabase's durability stage (an engine whose commits do not wait for the disk): jobs hear
// of their commit only after a sync that began after it. The engine is a fake connection that
// counts COMMITs, so the test controls when the "disk" answers; the real engines run the
// StoreTest suite (store_test.cpp) through the same code.
#include "store/pooled_database.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "store/errors.hpp"

namespace certreg::store {
namespace {

using namespace std::chrono_literals;

class NoRows final : public RowsImpl {
 public:
  bool next() override { return false; }
  int columns() const override { return 0; }
  std::string_view name(int) const override { return {}; }
  Param::Kind kind(int) const override { return Param::Kind::null; }
  bool is_null(int) const override { return true; }
  std::int64_t integer(int) const override { return 0; }
  double real(int) const override { return 0; }
  std::string_view text(int) const override { return {}; }
};

// What the test observes and controls, shared by the fake connection and the fake sync.
struct Disk {
  std::mutex mu;
  std::condition_variable cv;
  int commits = 0;        // group commits made by the writer
  int syncs_begun = 0;    // make_durable() calls, the migrations' one included
  int syncs_allowed = 1;  // calls that may return; the others wait
  bool fail = false;      // the next allowed sync throws

  template <class Pred>
  bool wait_for(Pred pred) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, 5s, pred);
  }
  void allow_syncs(int n) {
    std::lock_guard lock(mu);
    syncs_allowed = n;
    cv.notify_all();
  }
  void sync() {
    std::unique_lock lock(mu);
    int mine = ++syncs_begun;
    cv.notify_all();
    cv.wait(lock, [&] { return mine <= syncs_allowed; });
    if (fail) throw DbError("the disk said no");
  }
};

class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(Disk& disk) : disk_(disk) {}
  void script(std::string_view) override {}
  std::string_view engine() const override { return "fake"; }
  void begin_read() override {}
  void end_read() override {}

 protected:
  Rows run_query(const Statement&, ParamSpan) override { return Rows(std::make_unique<NoRows>()); }
  std::int64_t run_execute(const Statement& st, ParamSpan) override {
    if (st.sql() == "COMMIT") {
      std::lock_guard lock(disk_.mu);
      ++disk_.commits;
      disk_.cv.notify_all();
    }
    return 0;
  }

 private:
  Disk& disk_;
};

class PooledDatabaseTest : public ::testing::Test {
 protected:
  PooledDatabaseTest()
      : db_(
            "fake", [this] { return std::make_unique<FakeConnection>(disk_); }, "BEGIN",
            [this] { disk_.sync(); }) {}
  ~PooledDatabaseTest() override {
    disk_.allow_syncs(1 << 30);
    db_.stop();
  }

  // Submits a job that succeeds (or throws `failure`); returns where its outcome lands, which
  // the fixture owns so that it outlives the writer's threads even when an assertion fails.
  struct Outcome {
    std::mutex mu;
    bool done = false;
    std::exception_ptr error;
  };
  Outcome& submit(const char* failure = nullptr) {
    Outcome& out = outcomes_.emplace_back();
    db_.submit(
        [failure](Connection&) {
          if (failure) throw DbError(failure);
        },
        [this, &out](std::exception_ptr e) {
          {
            std::lock_guard lock(out.mu);
            out.done = true;
            out.error = e;
          }
          std::lock_guard lock(disk_.mu);
          disk_.cv.notify_all();
        });
    return out;
  }
  bool is_done(Outcome& out) {
    std::lock_guard lock(out.mu);
    return out.done;
  }
  bool wait_done(Outcome& out) {
    return disk_.wait_for([&] { return is_done(out); });
  }
  static std::string message(const std::exception_ptr& e) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      return x.what();
    }
  }

  Disk disk_;
  std::deque<Outcome> outcomes_;
  PooledDatabase db_;
};

TEST_F(PooledDatabaseTest, TheMigrationsAreMadeDurableBeforeAnyWrite) {
  EXPECT_EQ(disk_.syncs_begun, 1);
}

TEST_F(PooledDatabaseTest, AJobHearsOfItsCommitOnlyOnceTheSyncAfterItReturned) {
  Outcome& out = submit();
  ASSERT_TRUE(disk_.wait_for([&] { return disk_.syncs_begun == 2; }));
  EXPECT_EQ(disk_.commits, 1);
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(is_done(out)) << "acknowledged while its sync was still running";
  disk_.allow_syncs(2);
  ASSERT_TRUE(wait_done(out));
  EXPECT_FALSE(out.error);
}

TEST_F(PooledDatabaseTest, TheWriterCommitsTheNextGroupsWhileASyncRuns) {
  Outcome& first = submit();
  ASSERT_TRUE(disk_.wait_for([&] { return disk_.syncs_begun == 2; }));
  // The sync of the first group is held; later jobs, one group each, are still committed.
  constexpr int kLater = 5;
  std::vector<Outcome*> later;
  for (int i = 0; i < kLater; ++i) {
    later.push_back(&submit());
    ASSERT_TRUE(disk_.wait_for([&] { return disk_.commits == 2 + i; }));
  }
  for (auto* o : later) EXPECT_FALSE(is_done(*o));
  disk_.allow_syncs(1 << 30);
  ASSERT_TRUE(wait_done(first));
  for (auto* o : later) ASSERT_TRUE(wait_done(*o));
  // One sync per group would make 7 (the migrations', the first group's, 5). The groups
  // committed while the first sync was held share one; the last may have reached the durability
  // thread only after that one began, and have one of its own.
  EXPECT_LE(disk_.syncs_begun, 4);
}

TEST_F(PooledDatabaseTest, AFailedSyncFailsTheJobsItCoveredAndAFailedJobKeepsItsOwnError) {
  {
    std::lock_guard lock(disk_.mu);
    disk_.fail = true;
  }
  Outcome& ok = submit();
  Outcome& refused = submit("the job's own failure");
  disk_.allow_syncs(1 << 30);
  ASSERT_TRUE(wait_done(ok));
  ASSERT_TRUE(wait_done(refused));
  ASSERT_TRUE(ok.error);
  EXPECT_NE(message(ok.error).find("durable commit failed: the disk said no"), std::string::npos)
      << message(ok.error);
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(message(refused.error), "the job's own failure");
}

TEST_F(PooledDatabaseTest, StopWaitsForTheLastSyncAndItsAcknowledgements) {
  Outcome& out = submit();
  ASSERT_TRUE(disk_.wait_for([&] { return disk_.syncs_begun == 2; }));
  std::thread releaser([this] {
    std::this_thread::sleep_for(20ms);
    disk_.allow_syncs(2);
  });
  db_.stop();
  EXPECT_TRUE(is_done(out));
  releaser.join();
}

}  // namespace
}  // namespace certreg::store
