#include "admin/routes.hpp"

#include <spdlog/spdlog.h>

#include "admin/provisioning.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "json/writer.hpp"

namespace certreg::admin {
namespace {

http::Response error(int status, std::string_view code, std::string_view message,
                     std::string_view path = {}) {
  json::Writer w;
  w.begin_object().field("error", code).field("message", message);
  if (!path.empty()) w.field("path", path);
  w.end_object();
  return http::Response::json(status, w.take());
}

bool admin_authorized(const http::Request& req, const std::string& token) {
  std::string_view auth = text::trim(req.header("authorization"));
  std::string_view given = text::starts_with_ci(auth, "bearer ") ? text::trim(auth.substr(7)) : "";
  return !given.empty() && crypto::constant_time_equals(given, token);
}

http::Response unauthorized() {
  return error(401, "unauthorized", "a valid admin token is required");
}

}  // namespace

void register_routes(http::Router& router, store::Database& db, std::string admin_token) {
  router.add(http::Method::get, "/healthz", [&db](http::Request&, http::Reply reply) {
    static const store::Statement ping{"SELECT 1"};
    try {
      auto lease = db.reader();
      lease->query(ping).next();
    } catch (const std::exception& e) {
      spdlog::error("healthz: database check failed: {}", e.what());
      return reply.send(error(503, "unavailable", "the database is not reachable"));
    }
    json::Writer w;
    w.begin_object().field("status", "ok").field("engine", db.engine()).end_object();
    reply.send(http::Response::json(200, w.take()));
  });

  if (admin_token.empty()) return;
  router.add(http::Method::post, "/admin/v1/provision",
             [&db, token = admin_token](http::Request& req, http::Reply reply) {
               if (!admin_authorized(req, token)) return reply.send(unauthorized());
               Provisioning doc;
               try {
                 doc = parse_provisioning(req.body);
               } catch (const ProvisionError& e) {
                 return reply.send(error(400, "invalid_provisioning", e.what(), e.path));
               }
               submit_provisioning(db, std::move(doc), [reply](std::exception_ptr e, int changed) {
                 if (!e) {
                   json::Writer w;
                   w.begin_object().field("changes", changed).end_object();
                   return reply.send(http::Response::json(200, w.take()));
                 }
                 try {
                   std::rethrow_exception(e);
                 } catch (const ProvisionError& pe) {
                   reply.send(error(400, "invalid_provisioning", pe.what(), pe.path));
                 } catch (const std::exception& ex) {
                   spdlog::error("provisioning failed: {}", ex.what());
                   reply.send(error(500, "internal_error", "provisioning failed"));
                 }
               });
             });

  // The route table itself, read when asked, so it lists the routes registered after these.
  router.add(http::Method::get, "/admin/v1/routes",
             [&router, token = std::move(admin_token)](http::Request& req, http::Reply reply) {
               if (!admin_authorized(req, token)) return reply.send(unauthorized());
               json::Writer w;
               w.begin_object().key("routes").begin_array();
               for (const auto& r : router.routes())
                 w.begin_object()
                     .field("method", http::method_name(r.method))
                     .field("path", r.pattern)
                     .end_object();
               w.end_array().end_object();
               reply.send(http::Response::json(200, w.take()));
             });
}

}  // namespace certreg::admin
