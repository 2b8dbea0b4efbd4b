#include "dialects/edin/routes.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>

#include "core/crypto.hpp"
#include "core/dates.hpp"
#include "core/gln.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"
#include "dialects/edin/messages.hpp"
#include "json/reader.hpp"
#include "json/writer.hpp"

namespace certreg::dialects::edin {
namespace {

namespace ce = certreg::edin;
using http::Reply;
using http::Request;

// The fields of a request: the JSON body (GET or POST), or else the query string. Keys are
// matched trimmed (EDIN's examples pad them: " varToken "); numbers may come as strings.
class Fields {
 public:
  explicit Fields(const Request& req) : req_(req) {
    json::Element root;
    json::Object obj;
    if (json::parse(req.body, root) == json::ParseStatus::ok &&
        root.get(obj) == simdjson::SUCCESS) {
      for (auto f : obj) fields_.emplace_back(std::string(text::trim(f.key)), f.value);
      json_ = true;
    } else {
      malformed_ = !text::trim(req.body).empty();
    }
  }

  bool malformed() const { return malformed_; }

  std::optional<json::Element> element(std::string_view name) const {
    for (const auto& [k, v] : fields_)
      if (k == name && json::type_of(v) != json::Type::null) return v;
    return std::nullopt;
  }

  // A scalar as text (strings trimmed, numbers as written); nullopt when absent or empty.
  std::optional<std::string> text(std::string_view name) const {
    if (json_) {
      auto e = element(name);
      if (!e) return std::nullopt;
      return scalar(*e);
    }
    auto v = req_.query_param(name);
    if (!v || text::trim(*v).empty()) return std::nullopt;
    return std::string(text::trim(*v));
  }

  // A string (trimmed) or number as text; nullopt for null, "", and arrays or objects.
  static std::optional<std::string> scalar(const json::Element& e) {
    switch (json::type_of(e)) {
      case json::Type::string: {
        auto s = text::trim(*json::as_string(e));
        if (s.empty()) return std::nullopt;
        return std::string(s);
      }
      case json::Type::integer:
      case json::Type::number:
      case json::Type::boolean:
        return json::to_string(e);
      default:
        return std::nullopt;
    }
  }

  // A field sent as an array or an object where a value belongs, as JSON text.
  std::optional<std::string> structured(std::string_view name) const {
    auto e = element(name);
    if (!e || (json::type_of(*e) != json::Type::array && json::type_of(*e) != json::Type::object))
      return std::nullopt;
    return json::to_string(*e);
  }

  // A member of an object inside the body (amigos_info, product_binds), keys matched trimmed.
  static std::optional<json::Element> member(const json::Object& o, std::string_view name) {
    for (auto f : o)
      if (text::trim(f.key) == name && json::type_of(f.value) != json::Type::null) return f.value;
    return std::nullopt;
  }

 private:
  const Request& req_;
  std::vector<std::pair<std::string, json::Element>> fields_;
  bool json_ = false, malformed_ = false;
};

std::optional<std::int64_t> integer(const std::optional<std::string>& s) {
  if (!s || s->empty() || s->size() > 15) return std::nullopt;
  std::int64_t v = 0;
  for (char c : *s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string datetime(std::int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// Stored ISO dates go out as "YYYY-MM-DD 00:00:00".
std::string date_out(const std::string& iso) {
  return iso + " 00:00:00";
}

std::int64_t gln_number(const std::string& gln) {
  return std::stoll(gln);
}

class Api {
 public:
  Api(ce::Service& svc, Options o) : svc_(svc), options_(o) {}

  http::Response reply(int code, std::string_view message,
                       const std::function<void(json::Writer&)>& payload = {}) const {
    json::Writer w;
    w.begin_object();
    if (payload) payload(w);
    w.field("varMessage", message).field("intCode", code).end_object();
    return http::Response::json(options_.mirror_http_status ? code : 200, w.take());
  }

  using Authed = void (Api::*)(const ce::User&, const Fields&, Request&, Reply);

  http::Handler authed(Authed f) {
    return [this, f](Request& req, Reply rep) {
      Fields fields(req);
      if (fields.malformed()) return rep.send(reply(400, msg::kBadParams));
      auto token = fields.text("varToken");
      auto user = token ? svc_.authenticate(*token) : std::nullopt;
      if (!user) return rep.send(reply(401, msg::kAuthFailed));
      (this->*f)(*user, fields, req, rep);
    };
  }

  void authorize(Request& req, Reply rep) {
    Fields fields(req);
    if (fields.malformed()) return rep.send(reply(400, msg::kBadParams));
    auto login = fields.text("varLogin");
    auto password = fields.text("varPassword");
    if (!login || !password) return rep.send(reply(401, msg::kLoginFailed));
    svc_.login(
        *login, *password, [this, rep](std::exception_ptr e, std::optional<std::string> token) {
          if (e) return rep.send(internal(e));
          if (!token) return rep.send(reply(401, msg::kLoginFailed));
          rep.send(
              reply(200, msg::kSuccess, [&](json::Writer& w) { w.field("varToken", *token); }));
        });
  }

  // -------------------------------------------------------------------------------------------
  // Certificate controller

  void create(const ce::User& u, const Fields& f, Request&, Reply rep) {
    auto number = f.text("cert_number");
    auto date = f.text("cert_date");
    auto sub_type = f.text("cert_sub_type");
    auto type = f.text("cert_type");
    auto start = f.text("cert_start_date");
    auto end = f.text("cert_end_date");
    auto part = f.text("cert_part_number");
    auto gln = f.text("cert_gln_creator");
    auto lot = f.text("cert_lot_number");
    auto gtd = f.text("cert_gtd");
    // 1. Required fields, in the documented order; end date and part number by sub type.
    std::pair<const char*, const std::optional<std::string>*> required[] = {
        {"cert_number", &number},
        {"cert_date", &date},
        {"cert_sub_type", &sub_type},
        {"cert_type", &type},
        {"cert_start_date", &start}};
    // A value sent as an array or object is there, if malformed: it is reported at step 2.
    auto missing = [&](const char* name, const std::optional<std::string>& value) {
      return !value && !f.structured(name);
    };
    for (auto [name, value] : required)
      if (missing(name, *value)) return rep.send(reply(400, msg::required(name)));
    if (sub_type == "1" && missing("cert_end_date", end))
      return rep.send(reply(400, msg::required("cert_end_date")));
    if (sub_type == "2" && missing("cert_part_number", part))
      return rep.send(reply(400, msg::required("cert_part_number")));
    if (missing("cert_gln_creator", gln))
      return rep.send(reply(400, msg::required("cert_gln_creator")));
    // 2. Formats: an array or object where text belongs, then lengths.
    for (auto name :
         {"cert_number", "cert_date", "cert_sub_type", "cert_type", "cert_start_date",
          "cert_end_date", "cert_part_number", "cert_gln_creator", "cert_lot_number", "cert_gtd"})
      if (auto s = f.structured(name)) return rep.send(reply(400, msg::bad_format(name, *s)));
    std::tuple<const char*, const std::optional<std::string>*, std::size_t> lengths[] = {
        {"cert_number", &number, limits::kEdinNumber},
        {"cert_part_number", &part, limits::kEdinPartNumber},
        {"cert_lot_number", &lot, limits::kEdinLotNumber},
        {"cert_gtd", &gtd, limits::kEdinGtd}};
    for (auto [name, value, max] : lengths)
      if (*value && text::utf8_length(**value) > max)
        return rep.send(reply(400, msg::too_long(name, **value, max)));
    // 3. GLN. 4-5. Directory codes. 6. Dates.
    if (!valid_gln(*gln)) return rep.send(reply(400, msg::bad_format("cert_gln_creator", *gln)));
    auto sub = integer(sub_type);
    if (!sub || (*sub != 1 && *sub != 2))
      return rep.send(reply(400, msg::unknown_sub_type(*sub_type)));
    auto t = integer(type);
    if (!t || !ce::is_certificate_type(static_cast<int>(*t)))
      return rep.send(reply(400, msg::unknown_type(*type)));
    std::pair<const char*, const std::optional<std::string>*> date_fields[] = {
        {"cert_date", &date}, {"cert_start_date", &start}, {"cert_end_date", &end}};
    std::optional<dates::Date> parsed[3];
    for (int i = 0; i < 3; ++i) {
      auto [name, value] = date_fields[i];
      if (!*value) continue;
      parsed[i] = dates::parse_dd_mm_yyyy(**value);
      if (!parsed[i]) return rep.send(reply(400, msg::bad_date(name, **value)));
    }
    ce::Certificate c;
    c.owner_gln = *gln;
    c.number = *number;
    c.system_number = ce::system_number(*number);
    c.type = static_cast<int>(*t);
    c.sub_type = static_cast<int>(*sub);
    c.cert_date = dates::format_iso(*parsed[0]);
    c.start_date = dates::format_iso(*parsed[1]);
    if (parsed[2]) c.end_date = dates::format_iso(*parsed[2]);
    c.part_number = part;
    c.lot_number = lot;
    c.gtd = gtd;
    // 7-9 need stored data: checked in that order by the service.
    std::string shown_number = *number, shown_gln = *gln, shown_start = *start,
                shown_end = end.value_or("");
    svc_.create(u, std::move(c),
                [this, rep, shown_number, shown_gln, shown_start, shown_end](std::exception_ptr e,
                                                                             std::int64_t id) {
                  if (!e)
                    return rep.send(reply(200, msg::kSuccess, [&](json::Writer& w) {
                      w.field("certificate_id", std::to_string(id));
                    }));
                  try {
                    std::rethrow_exception(e);
                  } catch (const ce::Refused& r) {
                    if (r.why == ce::Refusal::number_taken)
                      return rep.send(reply(404, msg::number_taken(shown_number)));
                    if (r.why == ce::Refusal::gln_not_linked)
                      return rep.send(reply(404, msg::gln_not_found(shown_gln)));
                    if (r.why == ce::Refusal::start_after_end)
                      return rep.send(reply(400, msg::start_after_end(shown_start, shown_end)));
                  } catch (...) {
                  }
                  rep.send(internal(e));
                });
  }

  void set_access(const ce::User& u, const Fields& f, Request&, Reply rep) {
    auto cert = owned_cert(u, f, rep);
    if (!cert) return;
    auto type = integer(f.text("access_type"));
    if (!type || (*type != 1 && *type != 2))
      return rep.send(reply(400, msg::required("access_type")));
    int action = 0;
    std::vector<ce::Grant> grants;
    if (*type == 2) {
      auto action_text = f.text("access_action");
      if (!action_text) return rep.send(reply(400, msg::required("access_action")));
      auto a = integer(action_text);
      if (!a || (*a != 1 && *a != 2))
        return rep.send(reply(400, msg::bad_format("access_action", *action_text)));
      action = static_cast<int>(*a);
      auto amigos = f.element("amigos_info");
      json::Array list;
      if (!amigos || amigos->get(list) != simdjson::SUCCESS || list.size() == 0)
        return rep.send(reply(400, msg::required("amigos_info")));
      for (auto item : list) {
        json::Object o;
        if (item.get(o) != simdjson::SUCCESS)
          return rep.send(reply(400, msg::required_in_amigos("gln")));
        auto g = Fields::member(o, "gln");
        auto gln = g ? Fields::scalar(*g) : std::nullopt;
        if (!gln) return rep.send(reply(400, msg::required_in_amigos("gln")));
        if (!valid_gln(*gln)) return rep.send(reply(400, msg::bad_in_amigos("gln", *gln)));
        bool retailer = false;
        if (auto r = Fields::member(o, "isRetailer")) {
          auto v = Fields::scalar(*r).value_or(json::to_string(*r));
          if (v == "true" || v == "1")
            retailer = true;
          else if (v != "false" && v != "0")
            return rep.send(reply(400, msg::bad_in_amigos("isRetailer", v)));
        }
        grants.push_back({*gln, retailer});
      }
    }
    svc_.set_access(u, *cert, static_cast<int>(*type), action, std::move(grants),
                    [this, rep](std::exception_ptr e) {
                      if (!e) return rep.send(reply(200, msg::kSuccess));
                      try {
                        std::rethrow_exception(e);
                      } catch (const ce::Refused& r) {
                        if (r.why == ce::Refusal::unknown_glns)
                          return rep.send(reply(404, msg::unknown_glns(r.glns)));
                        if (r.why == ce::Refusal::not_networks)
                          return rep.send(reply(404, msg::not_networks(r.glns)));
                        if (r.why == ce::Refusal::not_found)
                          return rep.send(reply(404, msg::kCertNotFound));
                      } catch (...) {
                      }
                      rep.send(internal(e));
                    });
  }

  void set_bind(const ce::User& u, const Fields& f, Request&, Reply rep) {
    auto cert = owned_cert(u, f, rep);
    if (!cert) return;
    auto action_text = f.text("bind_action");
    if (!action_text) return rep.send(reply(400, msg::required("bind_action")));
    auto action = integer(action_text);
    if (!action || (*action != 1 && *action != 2))
      return rep.send(reply(400, msg::bad_format("bind_action", *action_text)));
    auto binds_e = f.element("product_binds");
    json::Array list;
    if (!binds_e || binds_e->get(list) != simdjson::SUCCESS || list.size() == 0)
      return rep.send(reply(400, msg::required("product_binds")));
    std::vector<ce::Bind> binds;
    for (auto item : list) {
      json::Object o;
      if (item.get(o) != simdjson::SUCCESS) return rep.send(reply(400, msg::kBindsEmpty));
      auto field = [&](std::initializer_list<std::string_view> names) -> std::string {
        for (auto n : names)
          if (auto e = Fields::member(o, n))
            if (auto v = Fields::scalar(*e)) return *v;
        return {};
      };
      ce::Bind b{field({"gtin"}), field({"article_supplier"}), field({"article_buyer"}),
                 field({"uktved", "uktzed"}), field({"dkpp"})};
      if (b.gtin.empty() && b.article_supplier.empty() && b.article_buyer.empty() &&
          b.uktzed.empty() && b.dkpp.empty())
        return rep.send(reply(400, msg::kBindsEmpty));
      if (text::utf8_length(b.gtin) > limits::kEdinGtin)
        return rep.send(reply(400, msg::too_long("gtin", b.gtin, limits::kEdinGtin)));
      if (text::utf8_length(b.article_supplier) > limits::kEdinArticle)
        return rep.send(reply(
            400, msg::too_long("article_supplier", b.article_supplier, limits::kEdinArticle)));
      if (text::utf8_length(b.article_buyer) > limits::kEdinArticle)
        return rep.send(
            reply(400, msg::too_long("article_buyer", b.article_buyer, limits::kEdinArticle)));
      if (!b.uktzed.empty() && !valid_uktzed(b.uktzed))
        return rep.send(reply(400, msg::bad_uktzed(b.uktzed)));
      if (!b.dkpp.empty() && !valid_dkpp(b.dkpp))
        return rep.send(reply(400, msg::bad_dkpp(b.dkpp)));
      binds.push_back(std::move(b));
    }
    svc_.set_bind(u, *cert, *action == 1, std::move(binds), [this, rep](std::exception_ptr e) {
      if (!e) return rep.send(reply(200, msg::kSuccess));
      rep.send(refused_or_internal(e));
    });
  }

  void attach_scan(const ce::User& u, const Fields& f, Request&, Reply rep) {
    auto cert = owned_cert(u, f, rep);
    if (!cert) return;
    auto body = f.text("file_body");
    if (!body) return rep.send(reply(400, msg::required("file_body")));
    auto name = f.text("file_name");
    if (!name) return rep.send(reply(400, msg::required("file_name")));
    auto bytes = crypto::base64_decode(*body);
    std::string_view type = bytes ? scan_type(*bytes) : "";
    if (!bytes || bytes->size() > limits::kEdinScanBytes || type.empty())
      return rep.send(reply(400, msg::bad_format("file_body", "")));
    if (text::utf8_length(*name) > limits::kEdinFileName || text::has_control_chars(*name))
      return rep.send(reply(400, msg::bad_format("file_name", *name)));
    ce::ScanFile info{0, 0, *name, std::string(type), ""};
    svc_.attach_scan(u, *cert, std::move(info), std::move(*bytes),
                     [this, rep](std::exception_ptr e, std::int64_t id) {
                       if (!e)
                         return rep.send(reply(200, msg::kSuccess, [&](json::Writer& w) {
                           w.field("file_id", std::to_string(id));
                         }));
                       rep.send(refused_or_internal(e));
                     });
  }

  void notify_error(const ce::User& u, const Fields& f, Request&, Reply rep) {
    auto id = integer(f.text("cert_id"));
    if (!id || !svc_.sees(u, *id)) return rep.send(reply(404, msg::kCertNotFound));
    auto type_text = f.text("type_error");
    auto type = integer(type_text);
    if (!type || *type < 1 || *type > 5) {
      // The documented reply echoes the field, between a message that names none and the code.
      json::Writer w;
      w.begin_object()
          .field("varMessage", "Недопустимый формат поля ")
          .field("type_error", type_text.value_or(""))
          .field("intCode", 400)
          .end_object();
      return rep.send(http::Response::json(options_.mirror_http_status ? 400 : 200, w.take()));
    }
    auto note = f.text("text");
    if (note && text::utf8_length(*note) > limits::kEdinComplaintText)
      return rep.send(reply(400, msg::too_long("text", *note, limits::kEdinComplaintText)));
    svc_.notify_error(u, *id, static_cast<int>(*type), note, [this, rep](std::exception_ptr e) {
      if (!e) return rep.send(reply(200, msg::kSuccess));
      try {
        std::rethrow_exception(e);
      } catch (const ce::Refused& r) {
        if (r.why == ce::Refusal::complaint_exists)
          return rep.send(reply(400, msg::kComplaintExists));
      } catch (...) {
      }
      rep.send(refused_or_internal(e));
    });
  }

  // The directories: {"<key>": [{"code": 1, "name": "..."}], "varMessage", "intCode"}.
  template <std::span<const ce::Code> (*Directory)()>
  void directory(const ce::User&, const Fields&, Request& req, Reply rep) {
    std::string_view key = directory_key(req.path());
    rep.send(reply(200, msg::kSuccess, [&](json::Writer& w) {
      w.key(key).begin_array();
      for (const auto& c : Directory())
        w.begin_object().field("code", c.code).field("name", c.name).end_object();
      w.end_array();
    }));
  }

  // -------------------------------------------------------------------------------------------
  // GetCert controller

  void get_cert(const ce::User& u, const Fields& f, Request&, Reply rep) {
    auto id_text = f.text("certID");
    if (!id_text) id_text = f.text("signInfo");
    if (!id_text) return rep.send(reply(400, msg::kBadParams));
    auto id = integer(id_text);
    ce::Service::CertificateView v;
    auto access = id ? svc_.certificate(u, *id, v) : ce::Access::missing;
    if (access == ce::Access::missing) return rep.send(reply(404, msg::kNoData));
    if (access == ce::Access::forbidden) return rep.send(reply(403, msg::kNoAccess));
    const auto& c = v.cert;
    rep.send(reply(200, msg::kSuccess, [&](json::Writer& w) {
      w.key("cert_data")
          .begin_object()
          .field("intCertID", c.id)
          .field("varCreatedDate", datetime(c.created_at))
          .field("varNumber", c.number)
          .field("varOriginalNum", c.number)
          .field("varSystemNum", c.system_number)
          .field("intType", c.type)
          .field("intSubType", c.sub_type)
          .field("intOwnerGlnID", gln_number(c.owner_gln))
          .field("varOwnerGln", c.owner_gln)
          .field("intSupplierGlnID", gln_number(c.owner_gln))
          .field("intAccessType", c.access_type)
          .field("varLotNumber", c.lot_number)
          .field("varDate", date_out(c.cert_date))
          .field_null("varText")
          .field("varStartDate", date_out(c.start_date))
          .field("varEndDate", c.end_date ? std::optional(date_out(*c.end_date)) : std::nullopt)
          .field("varPartNumber", c.part_number)
          .field("varGtd", c.gtd)
          .field_null("intDssCertID")
          .field_null("intDssCertStat")
          .field_null("intDssCertDate")
          .field_null("varDssCertStat")
          .field("isMadePDF", made_pdf(v.files))
          .field("varReviewDate", c.reviewed_at ? datetime(*c.reviewed_at) : "null")
          .field("varSubTypeName", ce::name_of(ce::sub_types(), c.sub_type))
          .field("varAccessTypeName", ce::access_type_name(c.access_type))
          .field("varTypeName", ce::name_of(ce::certificate_types(), c.type))
          .end_object();
      w.key("cert_cat").begin_array().end_array();
      w.key("cert_files").begin_array();
      for (const auto& file : v.files)
        w.begin_object()
            .field("intFileID", file.id)
            .field("intType", file.type)
            .field("varFileName", file.name)
            .field("intSignStatus", 0)
            .field("varHashLink", file.hash)
            .end_object();
      w.end_array();
    }));
  }

  void get_file(const ce::User& u, const Fields& f, Request&, Reply rep) {
    auto id_text = f.text("intFileID");
    if (!id_text) return rep.send(reply(400, msg::kBadParams));
    auto id = integer(id_text);
    store::edin::StoredFile file;
    auto access = id ? svc_.file(u, *id, file) : ce::Access::missing;
    if (access == ce::Access::missing) return rep.send(reply(404, msg::kNoData));
    if (access == ce::Access::forbidden) return rep.send(reply(403, msg::kNoAccess));
    rep.send(reply(200, msg::kSuccess, [&](json::Writer& w) {
      w.key("cert_file_data")
          .begin_object()
          .field("intCertFileID", file.info.id)
          .field("intType", file.info.type)
          .field("varFileName", file.info.name)
          .field("varHashLink", file.info.hash)
          .key("varBody")
          .begin_array()
          .value(crypto::base64_encode(file.body))
          .end_array()
          .end_object();
    }));
  }

  template <ce::SearchBy By>
  void search(const ce::User& u, const Fields& f, Request&, Reply rep) {
    static constexpr std::string_view kParam = By == ce::SearchBy::number    ? "num"
                                               : By == ce::SearchBy::gln     ? "gln"
                                               : By == ce::SearchBy::barcode ? "barcode"
                                               : By == ce::SearchBy::inn     ? "inn"
                                               : By == ce::SearchBy::edrpou  ? "edrpou"
                                                                             : "naklnum";
    auto value = f.text(kParam);
    if (!value) return rep.send(reply(400, msg::kBadParams));
    ce::Filter filter = ce::Filter::none;
    if (auto fl = f.text("filter")) {
      if (*fl == "owner")
        filter = ce::Filter::owner;
      else if (*fl == "private")
        filter = ce::Filter::restricted;
      else if (*fl == "public")
        filter = ce::Filter::public_;
      else
        return rep.send(reply(400, msg::kBadParams));
    }
    std::string key = By == ce::SearchBy::number ? ce::system_number(*value) : *value;
    std::vector<ce::Certificate> found;
    auto access = svc_.search(u, By, key, filter, found);
    if (access == ce::Access::missing) return rep.send(reply(404, msg::kNoData));
    if (access == ce::Access::forbidden) return rep.send(reply(403, msg::kNoAccess));
    rep.send(reply(200, msg::kSuccess, [&](json::Writer& w) {
      w.key("certs").begin_array();
      for (const auto& c : found)
        w.begin_object()
            .field("intCertID", c.id)
            .field("varNumber", c.number)
            .field("varStartDate", date_out(c.start_date))
            .field("varEndDate", c.end_date ? std::optional(date_out(*c.end_date)) : std::nullopt)
            .field("varReviewDate", c.reviewed_at ? datetime(*c.reviewed_at) : "null")
            .field("intSupplierGlnID", gln_number(c.owner_gln))
            .end_object();
      w.end_array();
    }));
  }

 private:
  bool valid_gln(const std::string& g) const {
    return options_.strict_gln ? gln::check_digit_ok(g) : gln::well_formed(g);
  }

  static bool valid_uktzed(const std::string& v) {
    return v.size() >= 4 && v.size() <= 10 &&
           std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  }

  // XX.XX.XX-XX.XX, digits.
  static bool valid_dkpp(const std::string& v) {
    static constexpr std::string_view kShape = "99.99.99-99.99";
    if (v.size() != kShape.size()) return false;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (kShape[i] == '9' ? !(v[i] >= '0' && v[i] <= '9') : v[i] != kShape[i]) return false;
    return true;
  }

  // The scan's type, recognised by its first bytes; "" when it is none of PDF, JPEG, PNG, TIFF.
  static std::string_view scan_type(const std::string& b) {
    auto starts = [&](std::string_view magic) { return b.compare(0, magic.size(), magic) == 0; };
    if (starts("%PDF-")) return "application/pdf";
    if (starts("\xFF\xD8\xFF")) return "image/jpeg";
    if (starts("\x89PNG\r\n\x1A\n")) return "image/png";
    if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)))
      return "image/tiff";
    return "";
  }

  // isMadePDF: certreg does not merge scans (docs/edin.md): 0 without files, 3 when the only
  // file is a PDF (it is the whole document), 7 when there are images or several files.
  static int made_pdf(const std::vector<ce::ScanFile>& files) {
    if (files.empty()) return 0;
    if (files.size() == 1 && files.front().content_type == "application/pdf") return 3;
    return 7;
  }

  static std::string_view directory_key(std::string_view path) {
    if (path.ends_with("ShowTypes")) return "certificate_types";
    if (path.ends_with("ShowSubTypes")) return "certificate_sub_types";
    if (path.ends_with("ShowAccessTypes")) return "certificate_access_types";
    if (path.ends_with("ShowErrorTypes")) return "certificate_error_types";
    return "certificate_access_actions";  // ShowAccessActions and, as documented, ShowBindActions
  }

  // The cert_id of a Certificate-controller write, if the user owns it; else replies.
  std::optional<std::int64_t> owned_cert(const ce::User& u, const Fields& f, const Reply& rep) {
    auto text = f.text("cert_id");
    if (!text) {
      rep.send(reply(400, msg::required("cert_id")));
      return std::nullopt;
    }
    auto id = integer(text);
    if (!id || !svc_.owns(u, *id)) {
      rep.send(reply(404, msg::kCertNotFound));
      return std::nullopt;
    }
    return id;
  }

  http::Response refused_or_internal(std::exception_ptr e) const {
    try {
      std::rethrow_exception(e);
    } catch (const ce::Refused& r) {
      if (r.why == ce::Refusal::not_found) return reply(404, msg::kCertNotFound);
    } catch (...) {
    }
    return internal(e);
  }

  http::Response internal(std::exception_ptr e) const {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("edin: {}", ex.what());
    }
    return reply(500, "Внутренняя ошибка сервера");
  }

  ce::Service& svc_;
  Options options_;
};

}  // namespace

void register_routes(http::Router& router, ce::Service& service, Options options) {
  auto api = std::make_shared<Api>(service, options);
  auto render = [api](const Request&, http::HttpError e) {
    std::string_view message = e == http::HttpError::payload_too_large ? "Запрос слишком большой"
                               : e == http::HttpError::too_many_requests ? "Слишком много запросов"
                               : e == http::HttpError::internal ? "Внутренняя ошибка сервера"
                                                                : msg::kBadParams;
    json::Writer w;
    w.begin_object().field("varMessage", message).field("intCode", http::status_of(e)).end_object();
    return http::Response::json(http::status_of(e), w.take());
  };
  // The token travels in the body; User/Authorize is limited per login, which slows password
  // guessing against one account.
  auto credential = [](const Request& r) {
    Fields fields(r);
    if (auto token = fields.text("varToken")) return "token " + *token;
    if (auto login = fields.text("varLogin")) return "login " + *login;
    return std::string();
  };
  router.set_dialect("/Api/V1/", {render, credential});
  auto both = [&](std::string path, http::Handler h, http::RouteOptions o = {}) {
    // Every method takes its JSON body with GET or POST.
    router.add(http::Method::get, "/Api/V1/" + path, h, o);
    router.add(http::Method::post, "/Api/V1/" + path, h, o);
  };
  auto authed = [&](std::string path, Api::Authed f, http::RouteOptions o = {}) {
    both(
        std::move(path), [api, h = api->authed(f)](Request& r, Reply rep) { h(r, std::move(rep)); },
        o);
  };
  both("User/Authorize", [api](Request& r, Reply rep) { api->authorize(r, std::move(rep)); });
  authed("Certificate/Create", &Api::create);
  authed("Certificate/AttachScan", &Api::attach_scan, {.body_limit = limits::kEdinScanBodyBytes});
  authed("Certificate/SetAccess", &Api::set_access);
  authed("Certificate/SetBind", &Api::set_bind);
  authed("Certificate/NotifyError", &Api::notify_error);
  authed("Certificate/ShowTypes", &Api::directory<ce::certificate_types>);
  authed("Certificate/ShowSubTypes", &Api::directory<ce::sub_types>);
  authed("Certificate/ShowAccessTypes", &Api::directory<ce::access_types>);
  authed("Certificate/ShowAccessActions", &Api::directory<ce::access_actions>);
  authed("Certificate/ShowBindActions", &Api::directory<ce::bind_actions>);
  authed("Certificate/ShowErrorTypes", &Api::directory<ce::error_types>);
  authed("GetCertUA/GetCertByID", &Api::get_cert);
  authed("GetCertUA/GetFileByID", &Api::get_file);
  authed("GetCertUA/GetCertsByNum", &Api::search<ce::SearchBy::number>);
  authed("GetCertUA/GetCertsByGLN", &Api::search<ce::SearchBy::gln>);
  authed("GetCertUA/GetCertsByBarcode", &Api::search<ce::SearchBy::barcode>);
  authed("GetCertUA/GetCertsByInnCode", &Api::search<ce::SearchBy::inn>);
  authed("GetCertUA/GetCertsByEdrpouCode", &Api::search<ce::SearchBy::edrpou>);
  authed("GetCertUA/GetCertsByNaklNum", &Api::search<ce::SearchBy::gtd>);
}

}  // namespace certreg::dialects::edin
