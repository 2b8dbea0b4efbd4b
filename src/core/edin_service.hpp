// EDIN rules: logins and sessions, ownership by GLN, who may see a certificate (owner, public,
// shared with a GLN or a retail network), and the writes of the Certificate controller.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/edin.hpp"
#include "core/work_pool.hpp"
#include "store/db.hpp"
#include "store/edin_repo.hpp"

namespace certreg::edin {

struct User {
  std::string login;
  std::vector<std::string> glns;
};

// Why a write was refused, in the order EDIN checks.
enum class Refusal {
  number_taken,      // Create: the owner GLN already has a certificate with this number
  gln_not_linked,    // Create: the owner GLN is not one of the user's
  start_after_end,   // Create: cert_start_date after cert_end_date
  not_found,         // the certificate is not the user's (or not visible to them)
  unknown_glns,      // SetAccess: GLNs certreg does not know (in `glns`)
  not_networks,      // SetAccess: GLNs sent as retail networks that are not (in `glns`)
  complaint_exists,  // NotifyError: already sent for this certificate and type
};

struct Refused : std::runtime_error {
  explicit Refused(Refusal r, std::vector<std::string> g = {})
      : std::runtime_error("edin request refused"), why(r), glns(std::move(g)) {}
  Refusal why;
  std::vector<std::string> glns;
};

struct Grant {
  std::string gln;
  bool retail_network = false;
};

// The result of a read: allowed, refused (403), or nothing there (404).
enum class Access { ok, forbidden, missing };

class Service {
 public:
  Service(store::Database& db, WorkPool& slow_work) : db_(db), slow_(slow_work) {}

  // Checks the password (a slow hash, on the work pool) and opens a session; `done` gets the
  // new token, or nullopt for a wrong login or password.
  void login(std::string login, std::string password,
             std::function<void(std::exception_ptr, std::optional<std::string>)> done);
  // The user behind a token that has been used within the last 30 minutes.
  std::optional<User> authenticate(std::string_view token);

  bool owns(const User& u, std::int64_t cert_id);
  bool sees(const User& u, std::int64_t cert_id);

  void create(const User& u, Certificate cert,
              std::function<void(std::exception_ptr, std::int64_t)> done);
  // access_type 1 makes the certificate public. access_type 2 restricts it and, with action 1,
  // shares it with `grants`, or, with action 2, takes their access back.
  void set_access(const User& u, std::int64_t cert_id, int access_type, int access_action,
                  std::vector<Grant> grants, std::function<void(std::exception_ptr)> done);
  void set_bind(const User& u, std::int64_t cert_id, bool add, std::vector<Bind> binds,
                std::function<void(std::exception_ptr)> done);
  void attach_scan(const User& u, std::int64_t cert_id, ScanFile info, std::string body,
                   std::function<void(std::exception_ptr, std::int64_t)> done);
  void notify_error(const User& u, std::int64_t cert_id, int type, std::optional<std::string> text,
                    std::function<void(std::exception_ptr)> done);

  struct CertificateView {
    Certificate cert;
    std::vector<ScanFile> files;
  };
  Access certificate(const User& u, std::int64_t id, CertificateView& out);
  Access file(const User& u, std::int64_t file_id, store::edin::StoredFile& out);
  Access search(const User& u, SearchBy by, const std::string& value, Filter filter,
                std::vector<Certificate>& out);

 private:
  store::Database& db_;
  WorkPool& slow_;
};

}  // namespace certreg::edin
