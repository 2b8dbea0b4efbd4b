#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "admin/provisioning.hpp"
#include "core/gln.hpp"
#include "core/text.hpp"
#include "json/reader.hpp"

namespace certreg::admin {
namespace {

void require_unique(const std::vector<std::string>& values, const std::string& path) {
  for (std::size_t i = 0; i < values.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (values[i] == values[j])
        throw ProvisionError(fmt::format("{}[{}]", path, i), "is listed twice");
}

// Reads one JSON object of the document, failing on the first problem with its path.
class Obj {
 public:
  Obj(const json::Element& e, std::string path) : path_(std::move(path)) {
    if (json::type_of(e) != json::Type::object) throw ProvisionError(path_, "must be an object");
    if (e.get(obj_)) throw ProvisionError(path_, "must be an object");
  }

  void allow(std::initializer_list<std::string_view> keys) const {
    for (auto field : obj_) {
      std::string_view k = field.key;
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        throw ProvisionError(at(k), "unknown key");
    }
  }

  std::string req_string(std::string_view key) const {
    auto v = opt_string(key);
    if (!v) throw ProvisionError(at(key), "is required");
    return *v;
  }

  std::optional<std::string> opt_string(std::string_view key) const {
    auto e = json::find(obj_, key);
    if (!e) return std::nullopt;
    return string_at(*e, at(key));
  }

  std::optional<bool> opt_bool(std::string_view key) const {
    auto e = json::find(obj_, key);
    if (!e) return std::nullopt;
    auto b = json::as_bool(*e);
    if (!b) throw ProvisionError(at(key), "must be a boolean");
    return b;
  }

  // A list of distinct strings (every list in the document is a set).
  OptList opt_strings(std::string_view key) const {
    auto e = json::find(obj_, key);
    if (!e) return std::nullopt;
    std::vector<std::string> out;
    each(*e, at(key), [&](const json::Element& item, const std::string& p) {
      out.push_back(string_at(item, p));
    });
    require_unique(out, at(key));
    return out;
  }

  // Calls fn for each element of the array at key; false when the key is absent.
  bool each_object(std::string_view key, const std::function<void(const Obj&)>& fn) const {
    auto e = json::find(obj_, key);
    if (!e) return false;
    each(*e, at(key), [&](const json::Element& item, const std::string& p) { fn(Obj(item, p)); });
    return true;
  }

  std::string at(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

 private:
  static std::string string_at(const json::Element& e, const std::string& path) {
    auto s = json::as_string(e);
    if (!s) throw ProvisionError(path, "must be a string");
    if (text::trim(*s).empty()) throw ProvisionError(path, "must not be empty");
    if (text::has_control_chars(*s))
      throw ProvisionError(path, "must not contain control characters");
    return std::string(*s);
  }

  static void each(const json::Element& e, const std::string& path,
                   const std::function<void(const json::Element&, const std::string&)>& fn) {
    if (json::type_of(e) != json::Type::array) throw ProvisionError(path, "must be an array");
    std::size_t i = 0;
    json::Array array;
    if (e.get(array)) throw ProvisionError(path, "must be an array");
    for (auto item : array) fn(item, fmt::format("{}[{}]", path, i++));
  }

  json::Object obj_;
  std::string path_;
};

void check_gln(const std::string& value, const std::string& path) {
  if (!gln::well_formed(value)) throw ProvisionError(path, "must be a GLN of 13 digits");
}

}  // namespace

Provisioning parse_provisioning(const std::string& document) {
  json::Element root;
  switch (json::parse(document, root)) {
    case json::ParseStatus::ok:
      break;
    case json::ParseStatus::empty:
      throw ProvisionError("", "the document is empty");
    case json::ParseStatus::too_deep:
      throw ProvisionError("", "the document is nested too deeply");
    case json::ParseStatus::malformed:
      throw ProvisionError("", "the document is not valid JSON");
  }
  Obj doc(root, "");
  doc.allow({"accreditation_bodies", "certification_bodies", "mncbs", "origin_companies",
             "origin_reporting_bodies", "origin_standards", "sertifika_companies", "edin_users",
             "edin_glns"});
  Provisioning p;

  doc.each_object("accreditation_bodies", [&](const Obj& o) {
    o.allow({"id", "name", "acronym", "country", "api_keys"});
    p.accreditation_bodies.push_back({o.req_string("id"), o.req_string("name"),
                                      o.opt_string("acronym"), o.opt_string("country"),
                                      o.opt_strings("api_keys")});
  });

  doc.each_object("certification_bodies", [&](const Obj& o) {
    o.allow(
        {"id", "name", "acronym", "country", "accreditation_body", "identity_number", "api_keys"});
    CertificationBody cb{o.opt_string("id"),
                         o.req_string("accreditation_body"),
                         o.opt_string("identity_number"),
                         o.opt_string("name"),
                         o.opt_string("acronym"),
                         o.opt_string("country"),
                         o.opt_strings("api_keys")};
    if (!cb.id && !cb.identity_number)
      throw ProvisionError(o.at("id"), "is required unless identity_number names the body");
    p.certification_bodies.push_back(std::move(cb));
  });

  doc.each_object("mncbs", [&](const Obj& o) {
    o.allow({"id", "name", "acronym", "country", "certification_bodies", "api_keys"});
    p.mncbs.push_back({o.req_string("id"), o.req_string("name"), o.opt_string("acronym"),
                       o.opt_string("country"), o.opt_strings("certification_bodies"),
                       o.opt_strings("api_keys")});
  });

  doc.each_object("origin_companies", [&](const Obj& o) {
    o.allow({"id", "name", "tokens"});
    p.origin_companies.push_back(
        {o.req_string("id"), o.req_string("name"), o.opt_strings("tokens")});
  });

  doc.each_object("origin_reporting_bodies", [&](const Obj& o) {
    o.allow({"name"});
    p.origin_reporting_bodies.push_back(o.req_string("name"));
  });

  doc.each_object("origin_standards", [&](const Obj& o) {
    o.allow({"code", "name", "type"});
    OriginStandard s{o.req_string("code"), o.req_string("name"),
                     o.opt_string("type").value_or("STANDARD")};
    if (s.type != "STANDARD" && s.type != "LABEL" && s.type != "TESTREPORT")
      throw ProvisionError(o.at("type"), "must be STANDARD, LABEL or TESTREPORT");
    p.origin_standards.push_back(std::move(s));
  });

  doc.each_object("sertifika_companies", [&](const Obj& o) {
    o.allow({"id", "name", "tokens", "templates"});
    SertifikaCompany c{o.req_string("id"), o.req_string("name"), o.opt_strings("tokens"), {}};
    std::vector<SertifikaTemplate> templates;
    bool has_templates = o.each_object("templates", [&](const Obj& t) {
      t.allow({"id", "name", "properties"});
      SertifikaTemplate tpl{t.req_string("id"), t.req_string("name"), {}};
      t.each_object("properties", [&](const Obj& prop) {
        prop.allow({"key", "title"});
        tpl.properties.push_back({prop.req_string("key"), prop.req_string("title")});
      });
      templates.push_back(std::move(tpl));
    });
    if (has_templates) c.templates = std::move(templates);
    p.sertifika_companies.push_back(std::move(c));
  });

  doc.each_object("edin_users", [&](const Obj& o) {
    o.allow({"login", "password", "glns"});
    EdinUser u{o.req_string("login"), o.req_string("password"), o.opt_strings("glns")};
    if (u.glns) {
      for (std::size_t i = 0; i < u.glns->size(); ++i)
        check_gln((*u.glns)[i], fmt::format("{}[{}]", o.at("glns"), i));
    }
    p.edin_users.push_back(std::move(u));
  });

  doc.each_object("edin_glns", [&](const Obj& o) {
    o.allow({"gln", "name", "retail_network", "network", "inn", "edrpou"});
    EdinGln g{o.req_string("gln"),     o.opt_string("name"), o.opt_bool("retail_network"),
              o.opt_string("network"), o.opt_string("inn"),  o.opt_string("edrpou")};
    check_gln(g.gln, o.at("gln"));
    if (g.network) check_gln(*g.network, o.at("network"));
    p.edin_glns.push_back(std::move(g));
  });

  // Within one document an id may appear once per section; a CB also once per identity number.
  std::vector<std::string> cb_ids, cb_identities;
  for (const auto& cb : p.certification_bodies) {
    cb_ids.push_back(cb.id.value_or(""));
    cb_identities.push_back(cb.identity_number ? cb.accreditation_body + "\n" + *cb.identity_number
                                               : "");
  }
  for (std::size_t i = 0; i < cb_ids.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      if (!cb_ids[i].empty() && cb_ids[i] == cb_ids[j])
        throw ProvisionError(fmt::format("certification_bodies[{}].id", i), "is listed twice");
      if (!cb_identities[i].empty() && cb_identities[i] == cb_identities[j])
        throw ProvisionError(fmt::format("certification_bodies[{}].identity_number", i),
                             "is listed twice for this accreditation body");
    }
  auto unique_ids = [](const auto& items, auto key, const char* section) {
    std::vector<std::string> ids;
    for (const auto& i : items) ids.push_back(key(i));
    require_unique(ids, section);
  };
  unique_ids(
      p.accreditation_bodies, [](auto& x) { return x.id; }, "accreditation_bodies");
  unique_ids(
      p.mncbs, [](auto& x) { return x.id; }, "mncbs");
  unique_ids(
      p.origin_companies, [](auto& x) { return x.id; }, "origin_companies");
  unique_ids(
      p.origin_reporting_bodies, [](auto& x) { return x; }, "origin_reporting_bodies");
  unique_ids(
      p.origin_standards, [](auto& x) { return x.code; }, "origin_standards");
  unique_ids(
      p.sertifika_companies, [](auto& x) { return x.id; }, "sertifika_companies");
  unique_ids(
      p.edin_users, [](auto& x) { return x.login; }, "edin_users");
  unique_ids(
      p.edin_glns, [](auto& x) { return x.gln; }, "edin_glns");
  return p;
}

Provisioning parse_provisioning_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return parse_provisioning(s.str());
}

}  // namespace certreg::admin
