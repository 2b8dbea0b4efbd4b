#include "dialects/iaf/routes.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/text.hpp"
#include "dialects/iaf/envelope.hpp"
#include "dialects/iaf/fields.hpp"
#include "dialects/iaf/parse.hpp"
#include "dialects/iaf/render.hpp"
#include "json/reader.hpp"
#include "json/writer.hpp"

namespace certreg::dialects::iaf {
namespace {

using certreg::iaf::Caller;
using certreg::iaf::Role;
using http::Reply;
using http::Request;

// Replies to a failed write: the outcomes the service raises, or a 500 that is logged.
http::Response failure(const Request& req, std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const ValidationFailed& v) {
    Problems problems;
    for (const auto& [field, message] : v.errors.items())
      problems.push_back({field, message, "null"});
    return validation_error(req, problems);
  } catch (const NotFound&) {
    return not_found(req);
  } catch (const std::exception& ex) {
    spdlog::error("{} {}: {}", http::method_name(req.method), req.path(), ex.what());
  }
  return http_error(req, http::HttpError::internal);
}

// Parses the JSON body or replies 400. The content type, when sent, must be JSON.
bool read_json(const Request& req, const Reply& reply, json::Element& root) {
  std::string_view type = text::trim(req.header("content-type"));
  if (!type.empty() && !text::starts_with_ci(type, "application/json") &&
      type.find("+json") == std::string_view::npos) {
    reply.send(validation_error(req, "content_type",
                                "The request must be sent with Content-Type: application/json."));
    return false;
  }
  switch (json::parse(req.body, root)) {
    case json::ParseStatus::ok:
      return true;
    case json::ParseStatus::empty:
      reply.send(validation_error(req, "body", "The request body must be a JSON object."));
      return false;
    case json::ParseStatus::too_deep:
      reply.send(validation_error(req, "body", "The request body is nested too deeply."));
      return false;
    case json::ParseStatus::malformed:
      break;
  }
  reply.send(validation_error(req, "body", "The request body is not valid JSON."));
  return false;
}

std::string_view issuer_field(certreg::iaf::IssuerProblem p, Role role) {
  if (p == certreg::iaf::IssuerProblem::unknown_accreditation_body)
    return "accreditation_body_name";
  return role == Role::ab ? "certification_body_identity_number" : "certification_body_name";
}

std::string issuer_message(certreg::iaf::IssuerProblem p, Role role) {
  using certreg::iaf::IssuerProblem;
  switch (p) {
    case IssuerProblem::unknown_accreditation_body:
      return "The accreditation_body_name and accreditation_body_acronym_name do not name the "
             "accreditation body of this certification body.";
    case IssuerProblem::ambiguous_certification_body:
      return "The certification_body_name and certification_body_acronym_name match more than "
             "one certification body; send both.";
    case IssuerProblem::withdrawn_certification_body:
      return "The accreditation of this certification body is withdrawn; certifications can no "
             "longer be uploaded for it.";
    case IssuerProblem::unknown_certification_body:
      break;
  }
  return role == Role::ab
             ? "The certification_body_identity_number does not name a certification body of "
               "this accreditation body."
             : "The certification_body_name and certification_body_acronym_name do not name a "
               "certification body linked to this account.";
}

// Parses one record and checks its issuer; adds to problems.
bool prepare(certreg::iaf::Service& svc, const Caller& caller, const json::Element& record,
             certreg::iaf::Upload& out, Problems& problems) {
  parse_certification(record, caller.role, out.input, problems);
  bool issuer_fields_ok = true;
  for (const auto& p : problems)
    if (p.field.find("_body_") != std::string::npos || p.field == "body") issuer_fields_ok = false;
  if (issuer_fields_ok) {
    auto r = svc.resolve_issuer(caller, out.input.issuer);
    if (auto* problem = std::get_if<certreg::iaf::IssuerProblem>(&r)) {
      std::string_view field = issuer_field(*problem, caller.role);
      json::Object obj;
      std::string input = "null";
      if (record.get(obj) == simdjson::SUCCESS)
        if (auto e = json::find(obj, field)) input = json::to_string(*e);
      problems.push_back({std::string(field), issuer_message(*problem, caller.role), input});
    } else {
      out.issuer = std::get<certreg::iaf::Issuer>(std::move(r));
    }
  }
  return problems.empty();
}

class Api {
 public:
  Api(certreg::iaf::Service& svc, Options options) : svc_(svc), options_(options) {}

  // Wraps a handler with the API-key check: 401 without a valid key, 403 for another role's key,
  // and 403 for a write by a CB whose accreditation is withdrawn.
  template <class F>
  http::Handler authed(Role role, F f) {
    return [this, role, f](Request& req, Reply reply) {
      auto caller = svc_.authenticate(req.header("x-http-authorization"));
      if (!caller) return reply.send(unauthorized(req));
      if (caller->role != role)
        return reply.send(error(req, 403, "forbidden",
                                fmt::format("This API key may not be used with the {} API.",
                                            certreg::iaf::role_name(role))));
      if (caller->accreditation_status == "withdrawn" && req.method != http::Method::get)
        return reply.send(error(req, 403, "forbidden",
                                "The accreditation of this certification body is withdrawn; it "
                                "can no longer upload or change data."));
      (this->*f)(*caller, req, reply);
    };
  }

  void upload(const Caller& caller, Request& req, Reply reply) {
    json::Element root;
    if (!read_json(req, reply, root)) return;
    certreg::iaf::Upload u;
    Problems problems;
    if (!prepare(svc_, caller, root, u, problems))
      return reply.send(validation_error(req, problems));
    Role role = caller.role;
    std::vector<certreg::iaf::Upload> uploads;
    uploads.push_back(std::move(u));
    svc_.upload(
        caller, std::move(uploads),
        [&req, reply, role](std::exception_ptr e, std::vector<certreg::iaf::UploadResult> results) {
          if (e) return reply.send(failure(req, e));
          const auto& r = results.front();
          // The guide's shapes (nested for ABs), plus whether this version is primary.
          auto fields = [&r](json::Writer& w) {
            w.field("company_certifications_id", r.id).field("is_primary", r.is_primary);
            if (!r.is_primary) w.field("primary_contributor", r.primary_role);
          };
          json::Writer w;
          w.begin_object();
          if (role == Role::ab) {
            w.key("data").begin_object();
            fields(w);
            w.end_object();
          } else {
            w.field("data", true);
            fields(w);
          }
          w.end_object();
          reply.send(http::Response::json(200, w.take()));
        });
  }

  void bulk_upload(const Caller& caller, Request& req, Reply reply) {
    json::Element root;
    if (!read_json(req, reply, root)) return;
    json::Object obj;
    if (root.get(obj) != simdjson::SUCCESS)
      return reply.send(validation_error(req, "body", "The request body must be a JSON object."));
    auto list = json::find(obj, "certifications");
    json::Array records;
    if (!list || json::type_of(*list) == json::Type::null)
      return reply.send(
          validation_error(req, "certifications", "The certifications field is required."));
    if (list->get(records) != simdjson::SUCCESS)
      return reply.send(
          validation_error(req, "certifications", "The certifications must be an array."));
    if (records.size() == 0)
      return reply.send(validation_error(req, "certifications",
                                         "The certifications must have at least 1 items."));
    if (records.size() > options_.bulk_max_records)
      return reply.send(
          validation_error(req, "certifications",
                           fmt::format("The certifications may not have more than {} items.",
                                       options_.bulk_max_records)));
    std::vector<certreg::iaf::Upload> uploads;
    uploads.reserve(records.size());
    std::size_t index = 0;
    for (auto record : records) {
      Problems problems;
      certreg::iaf::Upload u;
      if (!prepare(svc_, caller, record, u, problems))
        return reply.send(bulk_record_error(req, index, problems));
      uploads.push_back(std::move(u));
      ++index;
    }
    svc_.upload(caller, std::move(uploads),
                [&req, reply](std::exception_ptr e, std::vector<certreg::iaf::UploadResult>) {
                  if (e) return reply.send(failure(req, e));
                  reply.send(http::Response::json(200, R"({"data":{"success":true}})"));
                });
  }

  void list(const Caller& caller, Request& req, Reply reply) {
    auto paging = read_paging(req, reply);
    if (!paging) return;
    auto page = svc_.list(caller, paging->limit, paging->offset);
    reply.send(paged(*paging, page.total, page.items, write_certification));
  }

  void list_cbs(const Caller& caller, Request& req, Reply reply) {
    auto paging = read_paging(req, reply);
    if (!paging) return;
    auto page = svc_.list_cbs(caller, paging->limit, paging->offset);
    reply.send(paged(*paging, page.total, page.items, write_cb));
  }

  void get_cb(const Caller& caller, Request& req, Reply reply) {
    auto v = svc_.get_cb(caller, req.params.at(0));
    if (!v) return reply.send(not_found(req));
    json::Writer w;
    w.begin_object().key("data");
    write_cb(w, *v);
    w.end_object();
    reply.send(http::Response::json(200, w.take()));
  }

  void upload_cb(const Caller& caller, Request& req, Reply reply) {
    json::Element root;
    if (!read_json(req, reply, root)) return;
    certreg::iaf::CbInput in;
    Problems problems;
    parse_cb(root, true, in, problems);
    if (!problems.empty()) return reply.send(validation_error(req, problems));
    svc_.upload_cb(caller, std::move(in), [&req, reply](std::exception_ptr e, std::string id) {
      if (e) return reply.send(failure(req, e));
      json::Writer w;
      w.begin_object().key("data").begin_object().field("certification_bodies_id", id);
      w.end_object().end_object();
      reply.send(http::Response::json(200, w.take()));
    });
  }

  // PUT cb: a partial update of the CB named by certification_bodies_id.
  void update_cb(const Caller& caller, Request& req, Reply reply) {
    json::Element root;
    if (!read_json(req, reply, root)) return;
    certreg::iaf::CbInput patch;
    certreg::iaf::CbRef ref;
    Problems problems;
    parse_cb(root, false, patch, problems);
    json::Object obj;
    if (root.get(obj) == simdjson::SUCCESS) {
      Fields f(obj, problems);
      ref.id = f.text("certification_bodies_id", true, limits::kIafShortText);
    }
    if (!problems.empty()) return reply.send(validation_error(req, problems));
    send_cb_update(caller, req, reply, std::move(ref), std::move(patch));
  }

  // PUT cb/update-accreditation-status: by certification_bodies_id or
  // certification_bodies_guid_in_ab.
  void update_cb_status(const Caller& caller, Request& req, Reply reply) {
    json::Element root;
    if (!read_json(req, reply, root)) return;
    certreg::iaf::CbInput patch;
    certreg::iaf::CbRef ref;
    Problems problems;
    json::Object obj;
    if (root.get(obj) != simdjson::SUCCESS)
      return reply.send(validation_error(req, "body", "The request body must be a JSON object."));
    parse_cb_ref(root, ref, problems);
    Fields f(obj, problems);
    patch.accreditation_status = f.choice("accreditation_status", true, canonical_cb_status,
                                          "Active (valid), Withdrawn (expired), Suspended");
    if (!problems.empty()) return reply.send(validation_error(req, problems));
    send_cb_update(caller, req, reply, std::move(ref), std::move(patch));
  }

  void get(const Caller& caller, Request& req, Reply reply) {
    auto v = svc_.get(caller, req.params.at(0));
    if (!v) return reply.send(not_found(req));
    json::Writer w;
    w.begin_object().key("data");
    write_certification(w, *v);
    w.end_object();
    reply.send(http::Response::json(200, w.take()));
  }

  void delete_certification(const Caller& caller, Request& req, Reply reply) {
    svc_.delete_certification(caller, std::string(req.params.at(0)),
                              [&req, reply](std::exception_ptr e) {
                                if (e) return reply.send(failure(req, e));
                                reply.send(http::Response::json(200, R"({"data":1})"));
                              });
  }

  void delete_entity(const Caller& caller, Request& req, Reply reply) {
    svc_.delete_entity(caller, std::string(req.params.at(0)), [&req, reply](std::exception_ptr e) {
      if (e) return reply.send(failure(req, e));
      reply.send(http::Response::json(200, R"({"data":1})"));
    });
  }

  void entity_name(const Caller& caller, Request& req, Reply reply) {
    patch(caller, req, reply, parse_entity_name);
  }
  void entity_details(const Caller& caller, Request& req, Reply reply) {
    patch(caller, req, reply, parse_entity_details);
  }

 private:
  struct Paging {
    int limit;
    std::int64_t offset;  // a page index
  };

  // limit (1-100, default 20) and offset (a page index, default 0), or a 400 reply.
  static std::optional<Paging> read_paging(const Request& req, const Reply& reply) {
    auto number = [&](std::string_view name, std::int64_t fallback, std::int64_t min,
                      std::int64_t max) -> std::optional<std::int64_t> {
      auto v = req.query_param(name);
      if (!v) return fallback;
      std::string_view s = text::trim(*v);
      if (s.empty() || s.size() > 12) return std::nullopt;
      std::int64_t n = 0;
      for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
      }
      if (n < min || n > max) return std::nullopt;
      return n;
    };
    Problems problems;
    auto limit = number("limit", limits::kIafDefaultPageSize, 1, limits::kIafMaxPageSize);
    if (!limit)
      problems.push_back(
          {"limit",
           fmt::format("The limit must be an integer between 1 and {}.", limits::kIafMaxPageSize),
           "null"});
    auto offset = number("offset", 0, 0, 1'000'000'000);
    if (!offset)
      problems.push_back(
          {"offset", "The offset must be a page number: an integer of 0 or more.", "null"});
    if (!problems.empty()) {
      reply.send(validation_error(req, problems));
      return std::nullopt;
    }
    return Paging{static_cast<int>(*limit), *offset};
  }

  // {"data": [...], "meta": {...}} as the guide's Responses page shows it.
  template <class Item, class Write>
  static http::Response paged(const Paging& p, std::int64_t total, const std::vector<Item>& items,
                              Write write) {
    json::Writer w;
    w.begin_object().key("data").begin_array();
    for (const auto& item : items) write(w, item);
    w.end_array()
        .key("meta")
        .begin_object()
        .field("total_pages", (total + p.limit - 1) / p.limit)
        .field("total_rows", total)
        .field("order", "DESC")
        .field("order_by", "created_at")
        .field("limit", p.limit)
        .field("offset", p.offset)
        .field("next_key", "")
        .end_object()
        .end_object();
    return http::Response::json(200, w.take());
  }

  void send_cb_update(const Caller& caller, Request& req, const Reply& reply,
                      certreg::iaf::CbRef ref, certreg::iaf::CbInput patch) {
    svc_.update_cb(caller, std::move(ref), std::move(patch),
                   [&req, reply](std::exception_ptr e, certreg::iaf::CbView v) {
                     if (e) return reply.send(failure(req, e));
                     json::Writer w;
                     w.begin_object().key("data");
                     write_cb(w, v);
                     w.end_object();
                     reply.send(http::Response::json(200, w.take()));
                   });
  }

  void patch(const Caller& caller, Request& req, Reply reply,
             void (*parse)(const json::Element&, std::string&, certreg::iaf::EntityPatch&,
                           Problems&)) {
    json::Element root;
    if (!read_json(req, reply, root)) return;
    std::string guid;
    certreg::iaf::EntityPatch p;
    Problems problems;
    parse(root, guid, p, problems);
    if (!problems.empty()) return reply.send(validation_error(req, problems));
    svc_.patch_entity(caller, std::move(guid), std::move(p),
                      [&req, reply](std::exception_ptr e, certreg::iaf::EntityView v) {
                        if (e) return reply.send(failure(req, e));
                        json::Writer w;
                        w.begin_object().key("data");
                        write_entity(w, v);
                        w.end_object();
                        reply.send(http::Response::json(200, w.take()));
                      });
  }

  certreg::iaf::Service& svc_;
  Options options_;
};

}  // namespace

void register_routes(http::Router& router, certreg::iaf::Service& service, Options options) {
  auto api = std::make_shared<Api>(service, options);
  router.set_dialect("/api/client/",
                     {http_error, [](const Request& r) {
                        return std::string(text::trim(r.header("x-http-authorization")));
                      }});
  using M = http::Method;
  using Fn = void (Api::*)(const Caller&, Request&, Reply);
  for (Role role : {Role::ab, Role::cb, Role::mncb}) {
    std::string base = fmt::format("/api/client/v1/{}/", certreg::iaf::role_name(role));
    auto route = [&](M m, std::string_view path, Fn f, http::RouteOptions o = {}) {
      router.add(
          m, base + std::string(path),
          [api, h = api->authed(role, f)](Request& r, Reply rep) { h(r, std::move(rep)); }, o);
    };
    route(M::post, "upload-cert", &Api::upload);
    route(M::post, "bulk-upload-cert", &Api::bulk_upload, {.body_limit = limits::kBulkBodyBytes});
    route(M::get, "cert", &Api::list);
    route(M::get, "cert/{company_certifications_id}", &Api::get);
    route(M::del, "cert/{company_certifications_id}", &Api::delete_certification);
    route(M::del, "ce/{company_id}", &Api::delete_entity);
    if (role == Role::ab) {
      route(M::post, "upload-cb", &Api::upload_cb);
      route(M::get, "cb", &Api::list_cbs);
      route(M::get, "cb/{certification_bodies_id}", &Api::get_cb);
      route(M::put, "cb", &Api::update_cb);
      route(M::put, "cb/update-accreditation-status", &Api::update_cb_status);
    } else {
      route(M::put, "ce-name-by-guid", &Api::entity_name);
      route(M::put, "ce-by-guid", &Api::entity_details);
    }
  }
}

}  // namespace certreg::dialects::iaf
