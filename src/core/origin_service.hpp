// Origin Connect rules shared by v1 and v2: tenancy (a company reaches only its certifications),
// identification by originId or externalId, the checks that need stored data, and applying
// create / update / delete requests atomically.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/auth_cache.hpp"
#include "core/origin.hpp"
#include "store/db.hpp"

namespace certreg::origin {

enum class Action { create, update, remove };
enum class Version { v1, v2 };

struct Command {
  Action action = Action::update;
  Version version = Version::v1;
  std::vector<CertificationPatch> items;
};

// A problem found against stored data, for the item at `index` (0-based).
struct Problem {
  enum Kind {
    unknown_origin_id,       // no certification of the company has that originId
    unknown_external_id,     // ... or that externalId
    duplicate_external_id,   // create: the company already has it, or the request repeats it
    unknown_standard,        // v1: not a standard of the StandardsLookup
    unknown_reporting_body,  // v1: not a reporting body of the ReportingBodiesLookup
    expiry_before_issue,     // the certification would end before it starts
    density_min_above_max,   // its VOC emission densityMin would exceed densityMax
  };
  Kind kind;
  std::size_t index;
  std::string value;
};

// The request could not be applied; nothing was written.
struct Rejected : std::runtime_error {
  explicit Rejected(std::vector<Problem> p)
      : std::runtime_error("origin request rejected"), problems(std::move(p)) {}
  std::vector<Problem> problems;
};

// What an applied request did: for creates, (externalId, originId) of each item in order.
struct Outcome {
  Action action = Action::update;
  std::vector<std::pair<std::string, std::string>> correlations;
};

class Service {
 public:
  explicit Service(store::Database& db) : db_(db) {}

  std::optional<std::string> authenticate(std::string_view bearer_token);

  // The checks against stored data, on a read connection (to refuse an async request at once).
  std::vector<Problem> check(std::string_view company_id, const Command& cmd);
  // Checks and applies inside the caller's write transaction; throws Rejected.
  static Outcome execute(store::Connection& c, std::string_view company_id, const Command& cmd);
  // execute() on the writer; `done` runs after the commit.
  void run(std::string company_id, Command cmd,
           std::function<void(std::exception_ptr, Outcome)> done);

  SearchPage search(std::string_view company_id, const SearchCriteria& criteria, int page_number,
                    int page_size);

  store::Database& database() { return db_; }

 private:
  store::Database& db_;
  AuthCache<std::string> companies_;
};

}  // namespace certreg::origin
