#include "dialects/sertifika/routes.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/text.hpp"
#include "dialects/sertifika/parse.hpp"
#include "dialects/sertifika/render.hpp"

namespace certreg::dialects::sertifika {
namespace {

using http::Reply;
using http::Request;

constexpr std::string_view kInternal = "An error has occurred.";

// The token of "Authorization: <token>"; "Bearer <token>" is accepted too.
std::string_view token_of(const Request& req) {
  std::string_view auth = text::trim(req.header("authorization"));
  if (text::starts_with_ci(auth, "bearer ")) auth = text::trim(auth.substr(7));
  return auth;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Path capture i, percent-decoded ('+' stays '+'); left raw when an escape is malformed.
std::string param(const Request& req, std::size_t i) {
  std::string_view raw = req.params.at(i);
  std::string out;
  out.reserve(raw.size());
  for (std::size_t k = 0; k < raw.size(); ++k) {
    if (raw[k] != '%') {
      out.push_back(raw[k]);
      continue;
    }
    int hi = k + 2 < raw.size() ? hex_digit(raw[k + 1]) : -1;
    int lo = k + 2 < raw.size() ? hex_digit(raw[k + 2]) : -1;
    if (hi < 0 || lo < 0) return std::string(raw);
    out.push_back(static_cast<char>(hi * 16 + lo));
    k += 2;
  }
  return out;
}

// The reply to a write that failed: an unknown template, or a logged server error.
http::Response write_failure(const Request& req, std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const cs::Undefined& u) {
    return error(404, undefined_message(u));
  } catch (const std::exception& ex) {
    spdlog::error("{} {}: {}", http::method_name(req.method), req.path(), ex.what());
  }
  return error(500, std::string(kInternal));
}

class Api {
 public:
  Api(cs::Service& svc, Options options) : svc_(svc), options_(options) {}

  using Authed = void (Api::*)(const cs::Company&, Request&, Reply);

  // Every endpoint needs the company's token; without a known one: 401. Whatever a handler
  // names that the company does not have is "undefined": 404.
  http::Handler authed(Authed f) {
    return [this, f](Request& req, Reply reply) {
      auto caller = svc_.authenticate(token_of(req));
      if (!caller) return reply.send(error(401, std::string(kDenied)));
      try {
        (this->*f)(*caller, req, reply);
      } catch (const cs::Undefined& u) {
        reply.send(error(404, undefined_message(u)));
      }
    };
  }

  void company_templates(const cs::Company& caller, Request& req, Reply reply) {
    reply.send(ok(templates_json(svc_.templates(caller, param(req, 0)))));
  }

  void company_people(const cs::Company& caller, Request& req, Reply reply) {
    reply.send(ok(people_json(svc_.people(caller, param(req, 0)))));
  }

  void company_person(const cs::Company& caller, Request& req, Reply reply) {
    reply.send(ok(people_json({svc_.person(caller, param(req, 0), param(req, 1))})));
  }

  void person_certificates(const cs::Company& caller, Request& req, Reply reply) {
    reply.send(ok(certificates_of_json(caller, svc_.certificates_of(caller, param(req, 0)))));
  }

  void template_detail(const cs::Company& caller, Request& req, Reply reply) {
    reply.send(ok(template_detail_json(svc_.template_detail(caller, param(req, 0)))));
  }

  void holders(const cs::Company& caller, Request& req, Reply reply) {
    reply.send(ok(holders_json(svc_.holders(caller, param(req, 0)))));
  }

  void holder(const cs::Company& caller, Request& req, Reply reply) {
    reply.send(ok(holder_json(svc_.holding(caller, param(req, 0), param(req, 1)))));
  }

  void issue(const cs::Company& caller, Request& req, Reply reply) {
    std::vector<cs::IssueItem> items;
    std::string problem;
    if (!parse_issue(req.body, options_.max_items, items, problem))
      return reply.send(error(400, std::move(problem)));
    svc_.issue(caller, std::move(items),
               [reply, req_copy = describe(req)](std::exception_ptr e,
                                                 std::vector<cs::ItemResult> results) {
                 if (e) return reply.send(write_failure(req_copy, e));
                 reply.send(envelope(200, "OK", issue_messages(results)));
               });
  }

  void revoke(const cs::Company& caller, Request& req, Reply reply) {
    std::string code = param(req, 1);
    svc_.revoke(caller, param(req, 0), code,
                [reply, code, req_copy = describe(req)](std::exception_ptr e, bool revoked) {
                  if (e) return reply.send(write_failure(req_copy, e));
                  reply.send(revoked ? json_string(200, deleted_message(code))
                                     : json_string(404, not_deleted_message(code)));
                });
  }

  void revoke_many(const cs::Company& caller, Request& req, Reply reply) {
    std::optional<std::vector<std::string>> emails;
    std::string problem;
    if (!parse_revoke(req.body, options_.max_items, emails, problem))
      return reply.send(error(400, std::move(problem)));
    svc_.revoke_many(caller, param(req, 0), std::move(emails),
                     [reply, req_copy = describe(req)](std::exception_ptr e,
                                                       std::vector<cs::Revocation> results) {
                       if (e) return reply.send(write_failure(req_copy, e));
                       reply.send(envelope(200, "OK", revocation_messages(results)));
                     });
  }

 private:
  // What a completion needs of the request after the handler returned: method and path.
  static Request describe(const Request& req) {
    Request r;
    r.method = req.method;
    r.target = std::string(req.path());
    return r;
  }

  cs::Service& svc_;
  Options options_;
};

http::Response router_error(const Request& req, http::HttpError e) {
  switch (e) {
    case http::HttpError::too_many_requests:
      return error(429, "Too many requests for this token; retry after Retry-After.");
    case http::HttpError::not_found:
      return error(404, fmt::format("No HTTP resource was found that matches the request URI '{}'.",
                                    req.path()));
    case http::HttpError::method_not_allowed:
      return error(405, fmt::format("The requested resource does not support http method '{}'.",
                                    http::method_name(req.method)));
    case http::HttpError::payload_too_large:
      return error(413, "The request body is too large.");
    case http::HttpError::header_too_large:
      return error(431, "The request headers are too large.");
    case http::HttpError::bad_request:
      return error(400, "The request is not valid HTTP.");
    case http::HttpError::unavailable:
      return error(503, "The server is shutting down.");
    case http::HttpError::internal:
      break;
  }
  return error(500, std::string(kInternal));
}

}  // namespace

void register_routes(http::Router& router, cs::Service& service, Options options) {
  auto api = std::make_shared<Api>(service, options);
  router.set_dialect("/api/v1.0/",
                     {router_error, [](const Request& r) { return std::string(token_of(r)); }});
  using M = http::Method;
  // The router ignores a trailing slash: "company/{id}/user/" and "company/{id}/user" are one.
  auto route = [&](M m, std::string_view path, Api::Authed f, http::RouteOptions o = {}) {
    router.add(
        m, "/api/v1.0/" + std::string(path),
        [api, h = api->authed(f)](Request& r, Reply rep) { h(r, std::move(rep)); }, o);
  };
  route(M::get, "company/{companyID}/certificate", &Api::company_templates);
  route(M::get, "company/{companyID}/user", &Api::company_people);
  route(M::get, "company/{companyID}/user/{userCode}", &Api::company_person);
  route(M::get, "user/{userCode}/certificate", &Api::person_certificates);
  route(M::get, "certificate/{id}", &Api::template_detail);
  route(M::get, "certificate/{id}/user", &Api::holders);
  route(M::get, "certificate/{id}/user/{userCode}", &Api::holder);
  route(M::post, "certificate", &Api::issue, {limits::kSertifikaBodyBytes});
  route(M::del, "certificate/{id}/user/{userCode}", &Api::revoke);
  route(M::del, "certificate/{id}/user", &Api::revoke_many);
}

}  // namespace certreg::dialects::sertifika
