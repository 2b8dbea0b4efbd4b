#include "core/origin_storage.hpp"

#include <simdjson.h>

#include "json/writer.hpp"

namespace certreg::origin {
namespace {

void write_opt(json::Writer& w, std::string_view key, const std::optional<std::string>& v) {
  if (v) w.field(key, *v);
}

void write_localized(json::Writer& w, std::string_view key, const Localized& text) {
  w.key(key).begin_object();
  for (const auto& [locale, value] : text) w.field(locale, value);
  w.end_object();
}

template <class T, class F>
void write_list(json::Writer& w, std::string_view key, const std::vector<T>& items, F item) {
  w.key(key).begin_array();
  for (const auto& x : items) item(x);
  w.end_array();
}

using Obj = simdjson::dom::object;
using Elem = simdjson::dom::element;

std::optional<std::string> opt(const Obj& o, std::string_view key) {
  std::string_view s;
  if (o[key].get(s) != simdjson::SUCCESS) return std::nullopt;
  return std::string(s);
}

std::string str(const Obj& o, std::string_view key) {
  return opt(o, key).value_or("");
}

Localized read_localized(const Obj& o, std::string_view key) {
  Localized out;
  Obj m;
  if (o[key].get(m) != simdjson::SUCCESS) return out;
  for (auto field : m) {
    std::string_view v;
    if (field.value.get(v) == simdjson::SUCCESS)
      out.emplace_back(std::string(field.key), std::string(v));
  }
  return out;
}

template <class F>
void read_list(const Obj& o, std::string_view key, F item) {
  simdjson::dom::array a;
  if (o[key].get(a) != simdjson::SUCCESS) return;
  for (Elem e : a) item(e);
}

std::string as_str(const Elem& e) {
  std::string_view s;
  return e.get(s) == simdjson::SUCCESS ? std::string(s) : std::string();
}

}  // namespace

std::string to_storage_json(const Certification& c) {
  json::Writer w;
  w.begin_object().field("originId", c.origin_id).field("externalId", c.external_id);
  write_opt(w, "certificateNumber", c.certificate_number);
  write_opt(w, "url", c.url);
  write_opt(w, "reportingBody", c.reporting_body);
  w.field("selfReported", c.self_reported);
  write_opt(w, "standardCode", c.standard_code);
  write_opt(w, "issueDate", c.issue_date);
  write_opt(w, "expiryDate", c.expiry_date);
  write_list(w, "documents", c.documents, [&](const Document& d) { w.value(d.original_url); });
  write_list(w, "brands", c.brands, [&](const Brand& b) {
    w.begin_object().field("name", b.name);
    write_opt(w, "website", b.website);
    w.end_object();
  });
  write_list(w, "contacts", c.contacts, [&](const Contact& k) {
    w.begin_object().field("externalId", k.external_id);
    write_opt(w, "type", k.type);
    write_opt(w, "companyName", k.company_name);
    write_opt(w, "phone", k.phone);
    write_opt(w, "email", k.email);
    write_opt(w, "name", k.name);
    write_opt(w, "website", k.website);
    write_opt(w, "postalAddress", k.postal_address);
    w.end_object();
  });
  write_list(w, "channels", c.channels, [&](const Channel& ch) { w.value(ch.name); });
  write_list(w, "compliances", c.compliances, [&](const Compliance& x) { w.value(x.code); });
  write_list(w, "customs", c.customs, [&](const CustomFeature& f) {
    w.begin_object();
    write_localized(w, "names", f.names);
    write_opt(w, "code", f.code);
    write_localized(w, "values", f.values);
    w.end_object();
  });
  write_list(w, "properties", c.properties, [&](const PropertyFeature& f) {
    w.begin_object().field("code", f.code);
    write_localized(w, "values", f.values);
    w.end_object();
  });
  if (c.voc_content) {
    const auto& v = *c.voc_content;
    w.key("vocContent").begin_object();
    write_opt(w, "densityLimitGL", v.density_limit_gl);
    if (v.contains_added_mcpce) w.field("containsAddedMCPCE", *v.contains_added_mcpce);
    write_list(w, "compliances", v.compliances, [&](const VocCompliance& x) {
      w.begin_object().field("standardCode", x.standard_code);
      write_opt(w, "productTypeCode", x.product_type);
      w.end_object();
    });
    write_list(w, "customs", v.customs, [&](const StandardRef& x) { w.value(x.code); });
    write_list(w, "testMethods", v.test_methods, [&](const StandardRef& x) { w.value(x.code); });
    write_list(w, "exemptCompounds", v.exempt_compounds, [&](const ExemptCompound& x) {
      w.begin_object().field("CAS", x.cas);
      write_opt(w, "name", x.name);
      write_opt(w, "percentByWeight", x.percent_by_weight);
      w.end_object();
    });
    w.end_object();
  }
  if (c.voc_emission) {
    const auto& v = *c.voc_emission;
    w.key("vocEmission").begin_object();
    write_opt(w, "densityMin", v.density_min);
    write_opt(w, "densityMax", v.density_max);
    write_list(w, "compliances", v.compliances, [&](const StandardRef& x) { w.value(x.code); });
    w.end_object();
  }
  w.end_object();
  return w.take();
}

std::optional<Certification> from_storage_json(std::string_view json) {
  // Its own parser: the thread's request parser may still hold the request being handled.
  thread_local simdjson::dom::parser parser;
  Obj o;
  if (parser.parse(json.data(), json.size()).get(o) != simdjson::SUCCESS) return std::nullopt;
  Certification c;
  c.origin_id = str(o, "originId");
  c.external_id = str(o, "externalId");
  c.certificate_number = opt(o, "certificateNumber");
  c.url = opt(o, "url");
  c.reporting_body = opt(o, "reportingBody");
  bool self = false;
  if (o["selfReported"].get(self) == simdjson::SUCCESS) c.self_reported = self;
  c.standard_code = opt(o, "standardCode");
  c.issue_date = opt(o, "issueDate");
  c.expiry_date = opt(o, "expiryDate");
  read_list(o, "documents", [&](const Elem& e) { c.documents.push_back({as_str(e)}); });
  read_list(o, "brands", [&](const Elem& e) {
    Obj b;
    if (e.get(b) == simdjson::SUCCESS) c.brands.push_back({str(b, "name"), opt(b, "website")});
  });
  read_list(o, "contacts", [&](const Elem& e) {
    Obj k;
    if (e.get(k) != simdjson::SUCCESS) return;
    c.contacts.push_back({str(k, "externalId"), opt(k, "type"), opt(k, "companyName"),
                          opt(k, "phone"), opt(k, "email"), opt(k, "name"), opt(k, "website"),
                          opt(k, "postalAddress")});
  });
  read_list(o, "channels", [&](const Elem& e) { c.channels.push_back({as_str(e)}); });
  read_list(o, "compliances", [&](const Elem& e) { c.compliances.push_back({as_str(e)}); });
  read_list(o, "customs", [&](const Elem& e) {
    Obj f;
    if (e.get(f) != simdjson::SUCCESS) return;
    c.customs.push_back({read_localized(f, "names"), opt(f, "code"), read_localized(f, "values")});
  });
  read_list(o, "properties", [&](const Elem& e) {
    Obj f;
    if (e.get(f) == simdjson::SUCCESS)
      c.properties.push_back({str(f, "code"), read_localized(f, "values")});
  });
  Obj v;
  if (o["vocContent"].get(v) == simdjson::SUCCESS) {
    VocContent vc;
    vc.density_limit_gl = opt(v, "densityLimitGL");
    bool b;
    if (v["containsAddedMCPCE"].get(b) == simdjson::SUCCESS) vc.contains_added_mcpce = b;
    read_list(v, "compliances", [&](const Elem& e) {
      Obj x;
      if (e.get(x) == simdjson::SUCCESS)
        vc.compliances.push_back({str(x, "standardCode"), opt(x, "productTypeCode")});
    });
    read_list(v, "customs", [&](const Elem& e) { vc.customs.push_back({as_str(e)}); });
    read_list(v, "testMethods", [&](const Elem& e) { vc.test_methods.push_back({as_str(e)}); });
    read_list(v, "exemptCompounds", [&](const Elem& e) {
      Obj x;
      if (e.get(x) == simdjson::SUCCESS)
        vc.exempt_compounds.push_back({str(x, "CAS"), opt(x, "name"), opt(x, "percentByWeight")});
    });
    c.voc_content = std::move(vc);
  }
  if (o["vocEmission"].get(v) == simdjson::SUCCESS) {
    VocEmission ve;
    ve.density_min = opt(v, "densityMin");
    ve.density_max = opt(v, "densityMax");
    read_list(v, "compliances", [&](const Elem& e) { ve.compliances.push_back({as_str(e)}); });
    c.voc_emission = std::move(ve);
  }
  return c;
}

}  // namespace certreg::origin
