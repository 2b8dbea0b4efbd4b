#include "dialects/sertifika/render.hpp"

#include <fmt/format.h>

#include "json/writer.hpp"

namespace certreg::dialects::sertifika {

http::Response envelope(int http_status, std::string_view status,
                        const std::vector<std::string>& messages) {
  json::Writer w;
  w.begin_object().field("status", status).key("messageList").begin_array();
  for (const auto& m : messages) w.value(m);
  w.end_array().end_object();
  return http::Response::json(http_status, w.take());
}

http::Response error(int http_status, std::string message) {
  return envelope(http_status, "ERROR", {std::move(message)});
}

http::Response json_string(int http_status, std::string_view s) {
  std::string body;
  json::append_quoted(body, s);
  return http::Response::json(http_status, std::move(body));
}

http::Response ok(std::string body) {
  return http::Response::json(200, std::move(body));
}

std::string undefined_message(const cs::Undefined& u) {
  std::string_view what = u.what == cs::Undefined::company       ? "company"
                          : u.what == cs::Undefined::certificate ? "certificate"
                                                                 : "userCode";
  return fmt::format("{} : '{}' is undefined", what, u.value);
}

std::string reason(const cs::ItemProblem& p) {
  using F = cs::Field;
  switch (p.field) {
    case F::item:
      return "item";
    case F::id:
      return "id";
    case F::name:
      return "name";
    case F::surname:
      return "surname";
    case F::email:
      return "email";
    case F::properties:
      return "properties";
    case F::property:
      return "property " + p.key;
    case F::hour:
      return "hour";
    case F::point:
      return "point";
    case F::educator:
      return "educator";
    case F::meta_tag:
      return "metaTag";
    case F::is_private:
      return "isPrivate";
  }
  return "item";
}

std::vector<std::string> issue_messages(const std::vector<cs::ItemResult>& results) {
  std::vector<std::string> out;
  out.reserve(results.size() + 2);
  std::size_t success = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (r.problem) {
      out.push_back(fmt::format("{}-error-{}", i + 1, reason(*r.problem)));
    } else {
      ++success;
      out.push_back(fmt::format("{}-success-{}", i + 1, r.email));
    }
  }
  out.push_back(fmt::format("Success count :{}", success));
  out.push_back(fmt::format("Error count :{}", results.size() - success));
  return out;
}

std::string deleted_message(std::string_view user_code) {
  return fmt::format("userCode : '{}' is deleted", user_code);
}

std::string not_deleted_message(std::string_view user_code) {
  return fmt::format("userCode : '{}' is undefined or is deleted", user_code);
}

std::vector<std::string> revocation_messages(const std::vector<cs::Revocation>& results) {
  std::vector<std::string> out;
  out.reserve(results.size());
  for (const auto& r : results)
    out.push_back(r.revoked ? fmt::format("email : '{}' is deleted", r.email)
                            : fmt::format("email : '{}' is undefined or is deleted", r.email));
  return out;
}

std::string templates_json(const std::vector<cs::Template>& templates) {
  json::Writer w;
  w.begin_array();
  for (const auto& t : templates)
    w.begin_object().field("certificateName", t.name).field("id", t.id).end_object();
  w.end_array();
  return w.take();
}

std::string people_json(const std::vector<cs::Person>& people) {
  json::Writer w;
  w.begin_array();
  for (const auto& p : people)
    w.begin_object()
        .field("name", p.name)
        .field("surname", p.surname)
        .field("email", p.email)
        .end_object();
  w.end_array();
  return w.take();
}

std::string certificates_of_json(const cs::Company& company, const std::vector<cs::Holding>& hs) {
  json::Writer w;
  w.begin_array();
  for (const auto& h : hs)
    w.begin_object()
        .field("certificateName", h.template_name)
        .field("companyName", company.name)
        .field("isPrivate", h.is_private)
        .field("connectionId", h.id)
        .field("verificationCode", h.verification_code)
        .end_object();
  w.end_array();
  return w.take();
}

std::string template_detail_json(const cs::Template& t) {
  json::Writer w;
  w.begin_object().key("certificateItem").begin_array().begin_object();
  w.field("id", t.id)
      .field_null("name")
      .field_null("surname")
      .field_null("email")
      .field_null("duration")
      .field_null("grade")
      .field_null("educator")
      // certreg sends no e-mail.
      .field("sendEmail", false)
      .field("isInUse", t.in_use ? 1 : 0);
  w.key("Properties").begin_array();
  for (const auto& p : t.properties)
    w.begin_object().field("key", p.key).field("value", p.title).end_object();
  w.end_array();
  w.key("metaTag").begin_array().begin_object().field_null("value").end_object().end_array();
  w.end_object().end_array().end_object();
  return w.take();
}

namespace {

void write_holder(json::Writer& w, const cs::Holding& h) {
  w.begin_object()
      .field("certificateName", h.template_name)
      .field("connectionId", h.id)
      .field("name", h.name)
      .field("surname", h.surname)
      .field("email", h.email)
      .field("id", h.user_id)
      .field("createdDate", cs::format_created_date(h.created_at))
      .field("isPrivate", h.is_private)
      .field("verificationCode", h.verification_code)
      .end_object();
}

}  // namespace

std::string holders_json(const std::vector<cs::Holding>& hs) {
  json::Writer w;
  w.begin_array();
  for (const auto& h : hs) write_holder(w, h);
  w.end_array();
  return w.take();
}

std::string holder_json(const cs::Holding& h) {
  json::Writer w;
  write_holder(w, h);
  return w.take();
}

}  // namespace certreg::dialects::sertifika
