#include "dialects/origin/render.hpp"

#include <fmt/format.h>

namespace certreg::dialects::origin {
namespace co = certreg::origin;

http::Response success(std::string_view result_json, std::string_view connect_request_json) {
  json::Writer w;
  w.begin_object().key("status").begin_object().field("state", "SUCCESS").end_object();
  w.field_raw("result", result_json).field_raw("connectRequest", connect_request_json);
  w.end_object();
  return http::Response::json(200, w.take());
}

http::Response failure(int http_status, std::string_view code,
                       const std::vector<std::string>& messages,
                       std::string_view connect_request_json) {
  json::Writer w;
  w.begin_object().key("status").begin_object().field("state", "ERROR").field("code", code);
  w.key("messages").begin_array();
  for (const auto& m : messages) w.value(m);
  w.end_array().end_object().field_raw("connectRequest", connect_request_json).end_object();
  return http::Response::json(http_status, w.take());
}

std::string outcome_result(const co::Outcome& outcome) {
  json::Writer w;
  w.begin_object().field("entityType", "CERTIFICATION");
  switch (outcome.action) {
    case co::Action::create:
      w.key("correlations").begin_array();
      for (const auto& [external_id, origin_id] : outcome.correlations)
        w.begin_object().field("externalId", external_id).field("originId", origin_id).end_object();
      w.end_array();
      break;
    case co::Action::update:
      w.field("result", "Update completed.");
      break;
    case co::Action::remove:
      w.field("result", "Delete completed.");
      break;
  }
  w.end_object();
  return w.take();
}

std::vector<std::string> problem_messages(const std::vector<co::Problem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) {
    std::string item = fmt::format("certifications[{}]", p.index + 1);
    switch (p.kind) {
      case co::Problem::unknown_origin_id:
      case co::Problem::unknown_external_id:
        out.push_back(fmt::format(
            "{} has invalid value ''{}'' for field {}. No certification of your company has it.",
            item, p.value, p.kind == co::Problem::unknown_origin_id ? "originId" : "externalId"));
        break;
      case co::Problem::duplicate_external_id:
        out.push_back(
            fmt::format("{} has invalid value ''{}'' for field externalId. A "
                        "certification of your company already has it.",
                        item, p.value));
        break;
      case co::Problem::unknown_standard:
        out.push_back(
            fmt::format("{} has invalid value ''{}'' for field standard.code. See "
                        "StandardsLookup for a list of possible values.",
                        item, p.value));
        break;
      case co::Problem::expiry_before_issue:
        out.push_back(item + " has an expiryDate before its issueDate.");
        break;
      case co::Problem::density_min_above_max:
        out.push_back(item + " has a densityMin greater than its densityMax.");
        break;
      case co::Problem::unknown_reporting_body:
        out.push_back(
            fmt::format("{} has invalid value ''{}'' for field reportingBody.name. See "
                        "ReportingBodiesLookup for a list of possible values.",
                        item, p.value));
        break;
    }
  }
  return out;
}

namespace {

void opt(json::Writer& w, std::string_view key, const std::optional<std::string>& v) {
  if (v) w.field(key, *v);
}

void standard(json::Writer& w, std::string_view code) {
  w.key("standard").begin_object().field("code", code).end_object();
}

}  // namespace

void write_certification(json::Writer& w, const co::Certification& c, std::string_view locale) {
  w.begin_object()
      .field("locale", locale)
      .field("originId", c.origin_id)
      .field("externalId", c.external_id);
  opt(w, "certificateNumber", c.certificate_number);
  opt(w, "url", c.url);
  opt(w, "issueDate", c.issue_date);
  opt(w, "expiryDate", c.expiry_date);
  w.key("additionalsDocuments").begin_array();
  for (const auto& d : c.documents)
    w.begin_object().field("originalUrl", d.original_url).end_object();
  w.end_array();
  if (c.reporting_body)
    w.key("reportingBody").begin_object().field("name", *c.reporting_body).end_object();
  else if (c.self_reported)
    w.key("reportingBody").begin_object().field("selfReported", "TRUE").end_object();
  if (c.standard_code)
    w.key("standard").begin_object().field("code", *c.standard_code).end_object();
  w.key("brands").begin_array();
  for (const auto& b : c.brands) {
    w.begin_object().field("name", b.name);
    opt(w, "website", b.website);
    w.end_object();
  }
  w.end_array().key("contacts").begin_array();
  for (const auto& k : c.contacts) {
    w.begin_object().field("externalId", k.external_id);
    opt(w, "type", k.type);
    opt(w, "companyName", k.company_name);
    opt(w, "name", k.name);
    opt(w, "website", k.website);
    opt(w, "postalAddress", k.postal_address);
    opt(w, "phone", k.phone);
    opt(w, "email", k.email);
    w.end_object();
  }
  w.end_array().key("channels").begin_array();
  for (const auto& ch : c.channels) w.begin_object().field("name", ch.name).end_object();
  w.end_array().key("regulatoryStandardCompliances").begin_array();
  for (const auto& x : c.compliances) w.begin_object().field("code", x.code).end_object();
  w.end_array().key("featuresCustoms").begin_array();
  for (const auto& f : c.customs) {
    w.begin_object();
    opt(w, "name", co::localized(f.names, locale));
    opt(w, "code", f.code);
    opt(w, "value", co::localized(f.values, locale));
    w.end_object();
  }
  w.end_array().key("featuresProperties").begin_array();
  for (const auto& f : c.properties) {
    w.begin_object().field("code", f.code);
    opt(w, "value", co::localized(f.values, locale));
    w.end_object();
  }
  w.end_array();
  if (c.voc_content || c.voc_emission) {
    w.key("voc").begin_object();
    if (c.voc_content) {
      const auto& v = *c.voc_content;
      w.key("content").begin_object();
      opt(w, "densityLimitGL", v.density_limit_gl);
      if (v.contains_added_mcpce)
        w.field("containsAddedMCPCE", *v.contains_added_mcpce ? "true" : "false");
      w.key("regulatoryStandardCompliances").begin_array();
      for (const auto& x : v.compliances) {
        w.begin_object();
        standard(w, x.standard_code);
        opt(w, "productTypeCode", x.product_type);
        w.end_object();
      }
      w.end_array().key("regulatoryStandardCustoms").begin_array();
      for (const auto& x : v.customs) {
        w.begin_object();
        standard(w, x.code);
        w.end_object();
      }
      w.end_array().key("testMethods").begin_array();
      for (const auto& x : v.test_methods) {
        w.begin_object();
        standard(w, x.code);
        w.end_object();
      }
      w.end_array().key("exemptCompounds").begin_array();
      for (const auto& x : v.exempt_compounds) {
        w.begin_object().field("CAS", x.cas);
        opt(w, "name", x.name);
        opt(w, "percentByWeight", x.percent_by_weight);
        w.end_object();
      }
      w.end_array().end_object();
    }
    if (c.voc_emission) {
      const auto& v = *c.voc_emission;
      w.key("emission").begin_object();
      opt(w, "densityMin", v.density_min);
      opt(w, "densityMax", v.density_max);
      w.key("regulatoryStandardCompliances").begin_array();
      for (const auto& x : v.compliances) {
        w.begin_object();
        standard(w, x.code);
        w.end_object();
      }
      w.end_array().end_object();
    }
    w.end_object();
  }
  w.end_object();
}

}  // namespace certreg::dialects::origin
