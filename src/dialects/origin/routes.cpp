#include "dialects/origin/routes.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/origin_reference.hpp"
#include "core/text.hpp"
#include "dialects/origin/parse.hpp"
#include "dialects/origin/render.hpp"
#include "json/writer.hpp"
#include "store/origin_repo.hpp"

namespace certreg::dialects::origin {
namespace {

namespace co = certreg::origin;
namespace repo = store::origin;
using http::Reply;
using http::Request;

// The token of "authorization: Bearer <token>"; empty without one.
std::string_view bearer_token(const Request& req) {
  std::string_view auth = text::trim(req.header("authorization"));
  return text::starts_with_ci(auth, "bearer ") ? text::trim(auth.substr(7)) : "";
}

std::string_view version_name(Version v) {
  return v == Version::v1 ? "v1" : "v2";
}

std::string_view command_name(Action a) {
  switch (a) {
    case Action::create:
      return "certifications_create";
    case Action::update:
      return "certifications_update";
    case Action::remove:
      return "certifications_delete";
  }
  return "certifications_update";
}

// connectRequest of a GET: its query parameters and path parameters, as an object.
std::string query_echo(
    const Request& req,
    std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
  json::Writer w;
  w.begin_object();
  for (const auto& [k, v] : extra) w.field(k, v);
  std::string_view q = req.query();
  std::string key, value;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    auto eq = pair.find('=');
    if (!text::url_decode(pair.substr(0, eq), key)) continue;
    if (!text::url_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), value)) continue;
    if (!key.empty()) w.field(key, value);
  }
  w.end_object();
  return w.take();
}

// {"searchInfo": {...}, "data": [...]} for a page of `total` elements.
template <class Items, class Write>
std::string paged_result(std::string_view entity, std::int64_t total, int page_size,
                         const Items& items, Write write) {
  json::Writer w;
  w.begin_object().field("entityType", entity).key("searchInfo").begin_object();
  // The docs' samples send these counts as strings.
  w.field("numberOfElements", std::to_string(total))
      .field("numberOfPages", std::to_string((total + page_size - 1) / page_size))
      .end_object();
  w.key("data").begin_array();
  for (const auto& item : items) write(w, item);
  w.end_array().end_object();
  return w.take();
}

// A page of an in-memory list filtered by keyword.
template <class T, class Name>
std::pair<std::vector<T>, std::int64_t> page_of(const std::vector<T>& all, const LookupQuery& q,
                                                Name name) {
  std::vector<T> matching;
  for (const auto& x : all)
    if (q.keyword.empty() || text::to_lower_ascii(name(x)).find(q.keyword) != std::string::npos)
      matching.push_back(x);
  std::vector<T> page;
  std::size_t start = static_cast<std::size_t>(q.page_number - 1) * q.page_size;
  for (std::size_t i = start; i < matching.size() && i < start + q.page_size; ++i)
    page.push_back(matching[i]);
  return {page, static_cast<std::int64_t>(matching.size())};
}

class Api {
 public:
  Api(co::Service& svc, JobRunner& jobs, Options options)
      : svc_(svc), jobs_(jobs), options_(std::move(options)) {}

  using Authed = void (Api::*)(const std::string& company, Version v, Request&, Reply);

  // authorization: Bearer <token>; without a known token: 401 with CE00002.
  http::Handler authed(Version v, Authed f) {
    return [this, v, f](Request& req, Reply reply) {
      auto company = svc_.authenticate(bearer_token(req));
      if (!company)
        return reply.send(failure(
            401, kCE00002, {"A valid access token is required: authorization: Bearer <token>."},
            req.method == http::Method::get ? query_echo(req) : echo_body(req)));
      (this->*f)(*company, v, req, reply);
    };
  }

  template <Action A>
  void mutate(const std::string& company, Version v, Request& req, Reply reply) {
    std::string echo;
    auto cmd = read_command(req, reply, A, v, echo);
    if (!cmd) return;
    svc_.run(company, std::move(*cmd), [reply, echo](std::exception_ptr e, co::Outcome outcome) {
      if (!e) return reply.send(success(outcome_result(outcome), echo));
      reply.send(error_reply(e, echo));
    });
  }

  template <Action A>
  void mutate_async(const std::string& company, Version v, Request& req, Reply reply) {
    std::string echo;
    auto cmd = read_command(req, reply, A, v, echo);
    if (!cmd) return;
    // Checked now against stored data too, so that a request that cannot run is refused at once.
    auto problems = svc_.check(company, *cmd);
    if (!problems.empty())
      return reply.send(failure(400, kCE00001, problem_messages(problems), echo));
    repo::Job job{crypto::new_uuid(),
                  company,
                  std::string(version_name(v)),
                  std::string(command_name(A)),
                  echo,
                  "PENDING",
                  std::nullopt};
    std::string callback = fmt::format("{}/connect/{}/result/{}/batch/{}", base_url(req),
                                       job.version, job.command, job.id);
    svc_.database().submit(
        [job](store::Connection& c) { repo::insert_job(c, job, clock::unix_seconds()); },
        [this, reply, echo, callback](std::exception_ptr e) {
          if (e) return reply.send(error_reply(e, echo));
          jobs_.notify();
          json::Writer w;
          w.begin_object().field("poolingCallback", callback).end_object();
          reply.send(success(w.str(), echo));
        });
  }

  void result(const std::string& company, Version, Request& req, Reply reply) {
    std::string_view command = req.params.at(0), batch = req.params.at(1);
    std::string echo = query_echo(req, {{"command", command}, {"batchId", batch}});
    std::optional<repo::Job> job;
    {
      auto lease = svc_.database().reader();
      job = repo::get_job(*lease, batch, company);
    }
    if (!job || job->command != command)
      return reply.send(failure(
          400, kCE00001,
          {fmt::format("batchId ''{}'' not found for command ''{}''.", batch, command)}, echo));
    if (job->state == "PENDING") {
      json::Writer w;
      w.begin_object().field("executionStatus", "PENDING").field("batchId", job->id).end_object();
      return reply.send(success(w.str(), echo));
    }
    reply.send(success(job->result.value_or("{}"), echo));
  }

  void search(const std::string& company, Version, Request& req, Reply reply) {
    Messages messages;
    json::Element root;
    std::string echo;
    if (!read_body(req, reply, root, echo)) return;
    auto sr = parse_search(root, messages);
    if (!sr) return reply.send(failure(400, kCE00001, messages, echo));
    auto page = svc_.search(company, sr->criteria, sr->page_number, sr->page_size);
    reply.send(success(paged_result("CERTIFICATION", page.total, sr->page_size, page.items,
                                    [&](json::Writer& w, const co::Certification& c) {
                                      write_certification(w, c, sr->locale);
                                    }),
                       echo));
  }

  void check(const std::string&, Version, Request& req, Reply reply) {
    reply.send(success(R"({"result":"Check completed."})", query_echo(req)));
  }

  void standards(const std::string&, Version v, Request& req, Reply reply) {
    auto q = lookup_query(req, reply, true, v == Version::v2);
    if (!q) return;
    std::vector<repo::Standard> all;
    {
      auto lease = svc_.database().reader();
      for (auto& s : repo::standards(*lease))
        if (!q->standard_type || s.type == *q->standard_type) all.push_back(std::move(s));
    }
    auto [page, total] =
        page_of(all, *q, [](const repo::Standard& s) { return s.name + " " + s.code; });
    reply.send(success(paged_result("STANDARD", total, q->page_size, page,
                                    [&](json::Writer& w, const repo::Standard& s) {
                                      w.begin_object()
                                          .field("locale", q->locale)
                                          .field("code", s.code)
                                          .field("name", s.name)
                                          .field("standardType", s.type)
                                          .key("standardProperties")
                                          .begin_array()
                                          .end_array()
                                          .end_object();
                                    }),
                       query_echo(req)));
  }

  void reporting_bodies(const std::string&, Version, Request& req, Reply reply) {
    auto q = lookup_query(req, reply, true, false);
    if (!q) return;
    std::vector<repo::ReportingBody> all;
    {
      auto lease = svc_.database().reader();
      all = repo::reporting_bodies(*lease);
    }
    auto [page, total] = page_of(all, *q, [](const repo::ReportingBody& r) { return r.name; });
    reply.send(success(paged_result("REPORTING_BODY", total, q->page_size, page,
                                    [&](json::Writer& w, const repo::ReportingBody& r) {
                                      w.begin_object()
                                          .field("locale", q->locale)
                                          .field("originId", r.origin_id)
                                          .field("name", r.name)
                                          .end_object();
                                    }),
                       query_echo(req)));
  }

  void properties(const std::string&, Version, Request& req, Reply reply) {
    auto q = lookup_query(req, reply, true, false);
    if (!q) return;
    std::vector<co::PropertyDefinition> all(co::properties().begin(), co::properties().end());
    auto [page, total] = page_of(all, *q, [](const co::PropertyDefinition& p) {
      return std::string(p.name) + " " + std::string(p.code);
    });
    reply.send(success(paged_result("PROPERTY", total, q->page_size, page,
                                    [&](json::Writer& w, const co::PropertyDefinition& p) {
                                      w.begin_object()
                                          .field("locale", q->locale)
                                          .field("name", p.name)
                                          .field("code", p.code)
                                          .end_object();
                                    }),
                       query_echo(req)));
  }

  void property(const std::string&, Version v, Request& req, Reply reply) {
    std::string_view code = req.params.at(0);
    auto q = lookup_query(req, reply, false, false);
    if (!q) return;
    std::string echo = query_echo(req, {{"code", code}});
    const auto* p = co::find_property(code);
    if (!p)
      return reply.send(
          failure(400, kCE00001, {fmt::format("property ''{}'' not found.", code)}, echo));
    json::Writer w;
    w.begin_object().field("entityType", "PROPERTY").key("propertyResource").begin_object();
    w.field("locale", q->locale).field("name", p->name).field("code", p->code);
    auto list = [&](std::string_view key, std::span<const co::NamedCode> items) {
      w.key(key).begin_array();
      for (const auto& x : items)
        w.begin_object().field("name", x.name).field("code", x.code).end_object();
      w.end_array();
    };
    list("possibleValues", p->possible_values);
    list("possibleUnits", p->possible_units);
    if (v == Version::v2)
      w.field("isCustom", p->is_custom ? "true" : "false")
          .field("isMultiple", p->is_multiple ? "true" : "false")
          .field("isTranslatable", p->is_translatable ? "true" : "false");
    w.end_object().end_object();
    reply.send(success(w.str(), echo));
  }

  void categories(const std::string&, Version, Request& req, Reply reply) {
    auto q = lookup_query(req, reply, true, false);
    if (!q) return;
    std::vector<co::NamedCode> all(co::categories().begin(), co::categories().end());
    auto [page, total] =
        page_of(all, *q, [](const co::NamedCode& c) { return std::string(c.name); });
    reply.send(success(paged_result("CATEGORY", total, q->page_size, page,
                                    [&](json::Writer& w, const co::NamedCode& c) {
                                      w.begin_object()
                                          .field("locale", q->locale)
                                          .field("name", c.name)
                                          .field("code", c.code)
                                          .end_object();
                                    }),
                       query_echo(req)));
  }

 private:
  // The body as JSON, or a 400 reply; `echo` gets what connectRequest echoes.
  static bool read_body(const Request& req, const Reply& reply, json::Element& root,
                        std::string& echo) {
    Messages messages;
    bool ok = parse_body(req.body, root, messages);
    // The echo is the document as parsed, also when it is not an object; null when not JSON.
    echo = ok || messages.back() == "The request body must be a JSON object."
               ? json::to_string(root)
               : "null";
    if (!ok) reply.send(failure(400, kCE00001, messages, echo));
    return ok;
  }

  std::string echo_body(const Request& req) {
    json::Element root;
    Messages ignored;
    return parse_body(req.body, root, ignored) ? json::to_string(root) : "null";
  }

  std::optional<co::Command> read_command(const Request& req, const Reply& reply, Action a,
                                          Version v, std::string& echo) {
    json::Element root;
    if (!read_body(req, reply, root, echo)) return std::nullopt;
    Messages messages;
    auto cmd = parse_command(root, a, v, options_.max_items, messages);
    if (!cmd) reply.send(failure(400, kCE00001, messages, echo));
    return cmd;
  }

  std::optional<LookupQuery> lookup_query(const Request& req, const Reply& reply, bool paged,
                                          bool standard_type_required) {
    Messages messages;
    auto q = parse_lookup(req, paged, standard_type_required, messages);
    if (!q) reply.send(failure(400, kCE00001, messages, query_echo(req)));
    return q;
  }

  std::string base_url(const Request& req) const {
    if (!options_.public_url.empty()) return options_.public_url;
    std::string_view host = text::trim(req.header("host"));
    return "http://" + std::string(host.empty() ? "localhost" : host);
  }

  static http::Response error_reply(std::exception_ptr e, const std::string& echo) {
    try {
      std::rethrow_exception(e);
    } catch (const co::Rejected& r) {
      return failure(400, kCE00001, problem_messages(r.problems), echo);
    } catch (const std::exception& ex) {
      spdlog::error("origin: {}", ex.what());
    }
    return failure(500, kCE00000, {"The request was not processed."}, echo);
  }

  co::Service& svc_;
  JobRunner& jobs_;
  Options options_;
};

http::Response router_error(const Request& req, http::HttpError e) {
  std::string echo = "null";
  switch (e) {
    case http::HttpError::too_many_requests:
      return failure(429, kCE00000, {"Too many requests for this token; retry after Retry-After."},
                     echo);
    case http::HttpError::not_found:
      return failure(404, kCE00001, {fmt::format("No service at {}.", req.path())}, echo);
    case http::HttpError::method_not_allowed:
      return failure(405, kCE00001,
                     {fmt::format("The {} method is not allowed for {}.",
                                  http::method_name(req.method), req.path())},
                     echo);
    case http::HttpError::payload_too_large:
      return failure(413, kCE00001, {"The request body is too large."}, echo);
    case http::HttpError::header_too_large:
      return failure(431, kCE00001, {"The request headers are too large."}, echo);
    case http::HttpError::bad_request:
      return failure(400, kCE00001, {"The request is not valid HTTP."}, echo);
    case http::HttpError::unavailable:
      return failure(503, kCE00000, {"The server is shutting down."}, echo);
    case http::HttpError::internal:
      break;
  }
  return failure(500, kCE00000, {"The request was not processed."}, echo);
}

}  // namespace

void register_routes(http::Router& router, co::Service& service, JobRunner& jobs, Options options) {
  auto api = std::make_shared<Api>(service, jobs, std::move(options));
  router.set_dialect("/connect/",
                     {router_error, [](const Request& r) { return std::string(bearer_token(r)); }});
  using M = http::Method;
  for (Version v : {Version::v1, Version::v2}) {
    std::string base = fmt::format("/connect/{}/", version_name(v));
    auto route = [&](M m, std::string_view path, Api::Authed f) {
      router.add(m, base + std::string(path),
                 [api, h = api->authed(v, f)](Request& r, Reply rep) { h(r, std::move(rep)); });
    };
    route(M::post, "certifications/create", &Api::mutate<Action::create>);
    route(M::post, "certifications/update", &Api::mutate<Action::update>);
    route(M::post, "certifications/delete", &Api::mutate<Action::remove>);
    route(M::post, "async/certifications/create", &Api::mutate_async<Action::create>);
    route(M::post, "async/certifications/update", &Api::mutate_async<Action::update>);
    route(M::post, "async/certifications/delete", &Api::mutate_async<Action::remove>);
    route(M::post, "certifications/search", &Api::search);
    route(M::get, "result/{command}/batch/{batchId}", &Api::result);
    route(M::get, "check", &Api::check);
    route(M::get, "standards", &Api::standards);
    route(M::get, "reporting-bodies", &Api::reporting_bodies);
    route(M::get, "properties", &Api::properties);
    route(M::get, "properties/{code}", &Api::property);
    route(M::get, "categories", &Api::categories);
  }
}

}  // namespace certreg::dialects::origin
