// SQL for EDIN: sessions, users' GLNs, certificates and what hangs off them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/edin.hpp"
#include "store/db.hpp"

namespace certreg::store::edin {

using certreg::edin::Bind;
using certreg::edin::Certificate;
using certreg::edin::ScanFile;

std::optional<std::string> password_hash(Connection& c, std::string_view login);
std::vector<std::string> user_glns(Connection& c, std::string_view login);

void insert_token(Connection& c, std::string_view token_hash, std::string_view login,
                  std::int64_t now);
struct Session {
  std::string login;
  std::int64_t last_used_at;
};
std::optional<Session> session(Connection& c, std::string_view token_hash);
void touch_token(Connection& c, std::string_view token_hash, std::int64_t now);
void delete_tokens_idle_since(Connection& c, std::int64_t cutoff);

// Of `glns`, those certreg knows (provisioned, or linked to some user), and those that are
// retail networks.
std::vector<std::string> known_glns(Connection& c, const std::vector<std::string>& glns);
std::vector<std::string> network_glns(Connection& c, const std::vector<std::string>& glns);

bool number_taken(Connection& c, std::string_view owner_gln, std::string_view system_number);
std::int64_t insert_certificate(Connection& c, const Certificate& cert, std::string_view login);
std::optional<Certificate> get_certificate(Connection& c, std::int64_t id);
// Owned: its owner GLN is one of the user's. Visible: owned, public, or shared with one of the
// user's GLNs or with a retail network one of them belongs to.
bool owned(Connection& c, std::int64_t id, std::string_view login);
bool visible(Connection& c, std::int64_t id, std::string_view login);
void set_access_type(Connection& c, std::int64_t id, int access_type, std::int64_t now);
void grant(Connection& c, std::int64_t id, std::string_view gln, bool retail_network);
void revoke(Connection& c, std::int64_t id, std::string_view gln, bool retail_network);
void touch_certificate(Connection& c, std::int64_t id, std::int64_t now);

void add_bind(Connection& c, std::int64_t id, const Bind& b);
// Removes the bindings that match every non-empty field of `b`.
void remove_binds(Connection& c, std::int64_t id, const Bind& b);

std::int64_t insert_file(Connection& c, std::int64_t cert_id, const ScanFile& f,
                         std::string_view body, std::int64_t now);
std::vector<ScanFile> files_of(Connection& c, std::int64_t cert_id);
struct StoredFile {
  ScanFile info;
  std::int64_t cert_id;
  std::string body;
};
std::optional<StoredFile> get_file(Connection& c, std::int64_t file_id);

bool complaint_exists(Connection& c, std::string_view login, std::int64_t cert_id, int type);
void insert_complaint(Connection& c, std::string_view login, std::int64_t cert_id, int type,
                      const std::optional<std::string>& text, std::int64_t now);

// The certificate with its grants, bindings and files (metadata), as JSON, for the history.
std::string certificate_state(Connection& c, std::int64_t id);

struct SearchResult {
  std::int64_t matching = 0;         // every certificate the search finds
  std::vector<Certificate> visible;  // those the user may see (at most `limit`)
};
SearchResult search(Connection& c, std::string_view login, certreg::edin::SearchBy by,
                    std::string_view value, certreg::edin::Filter filter, int limit);

}  // namespace certreg::store::edin
