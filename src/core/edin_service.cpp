#include "core/edin_service.hpp"

#include <algorithm>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/password.hpp"
#include "store/history.hpp"

namespace certreg::edin {
namespace repo = store::edin;
using store::history::Action;

namespace {

constexpr int kSearchLimit = 1000;
// Sessions are touched at most this often, so reads do not each cost a write.
constexpr std::int64_t kTouchEverySeconds = 60;

std::string actor_of(const User& u) {
  return "edin:" + u.login;
}

void record(store::Connection& c, const User& u, std::int64_t id, Action action) {
  store::history::record(c, "edin_certificate", std::to_string(id), action, actor_of(u),
                         repo::certificate_state(c, id));
}

void require_owned(store::Connection& c, const User& u, std::int64_t id) {
  if (!repo::owned(c, id, u.login)) throw Refused(Refusal::not_found);
}

}  // namespace

void Service::login(std::string login, std::string password,
                    std::function<void(std::exception_ptr, std::optional<std::string>)> done) {
  slow_.post(
      [this, login = std::move(login), password = std::move(password), done = std::move(done)]() {
        try {
          std::optional<std::string> stored;
          {
            auto lease = db_.reader();
            stored = repo::password_hash(*lease, login);
          }
          // Unknown logins cost the same hash, so timing does not tell which logins exist.
          static const std::string kDummy = password::hash("certreg", password::kDefaultIterations);
          bool ok = password::verify(password, stored ? *stored : kDummy) && stored.has_value();
          if (!ok) return done(nullptr, std::nullopt);
          auto token = std::make_shared<std::string>(new_token());
          std::int64_t now = clock::unix_seconds();
          db_.submit(
              [token, login, now](store::Connection& c) {
                repo::delete_tokens_idle_since(c, now - kSessionIdleSeconds);
                repo::insert_token(c, crypto::sha256_hex(*token), login, now);
              },
              [token, done](std::exception_ptr e) {
                done(e, e ? std::nullopt : std::optional(*token));
              });
        } catch (...) {
          done(std::current_exception(), std::nullopt);
        }
      });
}

std::optional<User> Service::authenticate(std::string_view token) {
  if (token.empty()) return std::nullopt;
  std::string hash = crypto::sha256_hex(token);
  std::int64_t now = clock::unix_seconds();
  User u;
  {
    auto lease = db_.reader();
    auto s = repo::session(*lease, hash);
    if (!s || now - s->last_used_at > kSessionIdleSeconds) return std::nullopt;
    u.login = s->login;
    u.glns = repo::user_glns(*lease, u.login);
    if (now - s->last_used_at < kTouchEverySeconds) return u;
  }
  db_.submit([hash, now](store::Connection& c) { repo::touch_token(c, hash, now); },
             [](std::exception_ptr) {});
  return u;
}

bool Service::owns(const User& u, std::int64_t cert_id) {
  auto lease = db_.reader();
  return repo::owned(*lease, cert_id, u.login);
}

bool Service::sees(const User& u, std::int64_t cert_id) {
  auto lease = db_.reader();
  return repo::visible(*lease, cert_id, u.login);
}

void Service::create(const User& u, Certificate cert,
                     std::function<void(std::exception_ptr, std::int64_t)> done) {
  auto id = std::make_shared<std::int64_t>(0);
  db_.submit(
      [u, cert = std::move(cert), id](store::Connection& c) mutable {
        // The documented order: the number, then the GLN, then the dates.
        if (repo::number_taken(c, cert.owner_gln, cert.system_number))
          throw Refused(Refusal::number_taken);
        if (std::find(u.glns.begin(), u.glns.end(), cert.owner_gln) == u.glns.end())
          throw Refused(Refusal::gln_not_linked);
        if (cert.end_date && cert.start_date > *cert.end_date)
          throw Refused(Refusal::start_after_end);
        cert.created_at = clock::unix_seconds();
        *id = repo::insert_certificate(c, cert, u.login);
        record(c, u, *id, Action::create);
      },
      [id, done = std::move(done)](std::exception_ptr e) { done(e, *id); });
}

void Service::set_access(const User& u, std::int64_t cert_id, int access_type, int access_action,
                         std::vector<Grant> grants, std::function<void(std::exception_ptr)> done) {
  db_.submit(
      [u, cert_id, access_type, access_action, grants = std::move(grants)](store::Connection& c) {
        require_owned(c, u, cert_id);
        if (access_type == 2) {
          std::vector<std::string> all, networks;
          for (const auto& g : grants) {
            all.push_back(g.gln);
            if (g.retail_network) networks.push_back(g.gln);
          }
          auto known = repo::known_glns(c, all);
          std::vector<std::string> unknown;
          for (const auto& g : all)
            if (std::find(known.begin(), known.end(), g) == known.end() &&
                std::find(unknown.begin(), unknown.end(), g) == unknown.end())
              unknown.push_back(g);
          if (!unknown.empty()) throw Refused(Refusal::unknown_glns, unknown);
          auto real = repo::network_glns(c, networks);
          std::vector<std::string> fake;
          for (const auto& g : networks)
            if (std::find(real.begin(), real.end(), g) == real.end()) fake.push_back(g);
          if (!fake.empty()) throw Refused(Refusal::not_networks, fake);
          for (const auto& g : grants) {
            if (access_action == 1)
              repo::grant(c, cert_id, g.gln, g.retail_network);
            else
              repo::revoke(c, cert_id, g.gln, g.retail_network);
          }
        }
        repo::set_access_type(c, cert_id, access_type, clock::unix_seconds());
        record(c, u, cert_id, Action::update);
      },
      std::move(done));
}

void Service::set_bind(const User& u, std::int64_t cert_id, bool add, std::vector<Bind> binds,
                       std::function<void(std::exception_ptr)> done) {
  db_.submit(
      [u, cert_id, add, binds = std::move(binds)](store::Connection& c) {
        require_owned(c, u, cert_id);
        for (const auto& b : binds) {
          if (add)
            repo::add_bind(c, cert_id, b);
          else
            repo::remove_binds(c, cert_id, b);
        }
        repo::touch_certificate(c, cert_id, clock::unix_seconds());
        record(c, u, cert_id, Action::update);
      },
      std::move(done));
}

void Service::attach_scan(const User& u, std::int64_t cert_id, ScanFile info, std::string body,
                          std::function<void(std::exception_ptr, std::int64_t)> done) {
  auto id = std::make_shared<std::int64_t>(0);
  info.hash = crypto::md5_hex(body);
  db_.submit(
      [u, cert_id, info, body = std::move(body), id](store::Connection& c) {
        require_owned(c, u, cert_id);
        std::int64_t now = clock::unix_seconds();
        *id = repo::insert_file(c, cert_id, info, body, now);
        repo::touch_certificate(c, cert_id, now);
        record(c, u, cert_id, Action::update);
      },
      [id, done = std::move(done)](std::exception_ptr e) { done(e, *id); });
}

void Service::notify_error(const User& u, std::int64_t cert_id, int type,
                           std::optional<std::string> text,
                           std::function<void(std::exception_ptr)> done) {
  db_.submit(
      [u, cert_id, type, text = std::move(text)](store::Connection& c) {
        if (!repo::visible(c, cert_id, u.login)) throw Refused(Refusal::not_found);
        if (repo::complaint_exists(c, u.login, cert_id, type))
          throw Refused(Refusal::complaint_exists);
        repo::insert_complaint(c, u.login, cert_id, type, text, clock::unix_seconds());
      },
      std::move(done));
}

Access Service::certificate(const User& u, std::int64_t id, CertificateView& out) {
  auto lease = db_.reader();
  store::ReadSnapshot snapshot(*lease);
  auto cert = repo::get_certificate(*lease, id);
  if (!cert) return Access::missing;
  if (!repo::visible(*lease, id, u.login)) return Access::forbidden;
  out.cert = std::move(*cert);
  out.files = repo::files_of(*lease, id);
  return Access::ok;
}

Access Service::file(const User& u, std::int64_t file_id, store::edin::StoredFile& out) {
  auto lease = db_.reader();
  store::ReadSnapshot snapshot(*lease);
  auto f = repo::get_file(*lease, file_id);
  if (!f) return Access::missing;
  if (!repo::visible(*lease, f->cert_id, u.login)) return Access::forbidden;
  out = std::move(*f);
  return Access::ok;
}

Access Service::search(const User& u, SearchBy by, const std::string& value, Filter filter,
                       std::vector<Certificate>& out) {
  auto lease = db_.reader();
  auto r = repo::search(*lease, u.login, by, value, filter, kSearchLimit);
  if (r.matching == 0) return Access::missing;
  if (r.visible.empty()) return Access::forbidden;
  out = std::move(r.visible);
  return Access::ok;
}

}  // namespace certreg::edin
