#include "core/origin.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace certreg::origin {

bool is_locale(std::string_view s) {
  return std::find(kLocales.begin(), kLocales.end(), s) != kLocales.end();
}

std::optional<std::string> localized(const Localized& text, std::string_view locale) {
  for (const auto& [l, v] : text)
    if (l == locale) return v;
  for (const auto& [l, v] : text)
    if (l == "en") return v;
  if (!text.empty()) return text.front().second;
  return std::nullopt;
}

void set_localized(Localized& text, std::string_view locale, std::string value) {
  for (auto& [l, v] : text)
    if (l == locale) {
      v = std::move(value);
      return;
    }
  text.emplace_back(std::string(locale), std::move(value));
}

void set_shared(Localized& text, std::string value) {
  text.clear();
  text.emplace_back("en", std::move(value));
}

bool property_value_translatable(std::string_view code) {
  return code == "ASSEMBLYLOCATION";
}

bool Certification::published_on(std::string_view channel) const {
  return std::any_of(channels.begin(), channels.end(),
                     [&](const Channel& c) { return c.name == channel; });
}

namespace {

template <class T>
void set_if(std::optional<T>& target, const std::optional<T>& value) {
  if (value) target = value;
}

// ADD updates the element with the same key (or appends it), REMOVE deletes it; removing an element
// that is not there is not an error.
template <class T, class Same, class Merge>
void change(std::vector<T>& items, const std::vector<Change<T>>& changes, Same same, Merge merge) {
  for (const auto& ch : changes) {
    auto it =
        std::find_if(items.begin(), items.end(), [&](const T& x) { return same(x, ch.item); });
    if (ch.behavior == Behavior::remove) {
      if (it != items.end()) items.erase(it);
    } else if (it != items.end()) {
      merge(*it, ch.item);
    } else {
      items.push_back(ch.item);
    }
  }
}

auto no_merge = [](auto&, const auto&) {};

void apply_voc_content(VocContent& v, const VocContentPatch& p) {
  set_if(v.density_limit_gl, p.density_limit_gl);
  set_if(v.contains_added_mcpce, p.contains_added_mcpce);
  change(
      v.compliances, p.compliances,
      [](const VocCompliance& a, const VocCompliance& b) {
        return a.standard_code == b.standard_code && a.product_type == b.product_type;
      },
      no_merge);
  auto same_code = [](const StandardRef& a, const StandardRef& b) { return a.code == b.code; };
  change(v.customs, p.customs, same_code, no_merge);
  change(v.test_methods, p.test_methods, same_code, no_merge);
  change(
      v.exempt_compounds, p.exempt_compounds,
      [](const ExemptCompound& a, const ExemptCompound& b) { return a.cas == b.cas; },
      [](ExemptCompound& a, const ExemptCompound& b) {
        set_if(a.name, b.name);
        set_if(a.percent_by_weight, b.percent_by_weight);
      });
}

void apply_voc_emission(VocEmission& v, const VocEmissionPatch& p) {
  set_if(v.density_min, p.density_min);
  set_if(v.density_max, p.density_max);
  change(
      v.compliances, p.compliances,
      [](const StandardRef& a, const StandardRef& b) { return a.code == b.code; }, no_merge);
}

void apply_customs(std::vector<CustomFeature>& items,
                   const std::vector<CustomFeatureChange>& changes, const std::string& locale) {
  for (const auto& ch : changes) {
    // The name as the request's locale shows it: its own translation, else the English name.
    auto it = std::find_if(items.begin(), items.end(), [&](const CustomFeature& f) {
      auto n = localized(f.names, locale);
      return n && *n == ch.name;
    });
    if (ch.behavior == Behavior::remove) {
      if (it != items.end()) items.erase(it);
      continue;
    }
    if (it == items.end()) {
      items.push_back(CustomFeature{});
      it = items.end() - 1;
      set_localized(it->names, locale, ch.name);
    }
    if (ch.code) it->code = ch.code;
    if (ch.value) {
      if (it->code == kCustomTextAttribute)
        set_localized(it->values, locale, *ch.value);
      else
        set_shared(it->values, *ch.value);
    }
  }
}

void apply_properties(std::vector<PropertyFeature>& items,
                      const std::vector<PropertyChange>& changes, const std::string& locale) {
  for (const auto& ch : changes) {
    auto it = std::find_if(items.begin(), items.end(),
                           [&](const PropertyFeature& f) { return f.code == ch.code; });
    if (ch.behavior == Behavior::remove) {
      if (it != items.end()) items.erase(it);
      continue;
    }
    if (it == items.end()) {
      items.push_back(PropertyFeature{ch.code, {}});
      it = items.end() - 1;
    }
    if (ch.value) {
      if (property_value_translatable(ch.code))
        set_localized(it->values, locale, *ch.value);
      else
        set_shared(it->values, *ch.value);
    }
  }
}

}  // namespace

void apply(Certification& c, const CertificationPatch& p) {
  if (p.external_id && c.external_id.empty()) c.external_id = *p.external_id;
  set_if(c.certificate_number, p.certificate_number);
  set_if(c.url, p.url);
  set_if(c.standard_code, p.standard_code);
  set_if(c.issue_date, p.issue_date);
  set_if(c.expiry_date, p.expiry_date);
  // A reporting body name removes the self-reported status; self-reported erases the name.
  if (p.reporting_body) {
    c.reporting_body = p.reporting_body;
    c.self_reported = false;
  } else if (p.self_reported) {
    c.reporting_body.reset();
    c.self_reported = true;
  }
  change(
      c.documents, p.documents,
      [](const Document& a, const Document& b) { return a.original_url == b.original_url; },
      no_merge);
  change(
      c.brands, p.brands,
      [](const Brand& a, const Brand& b) {
        return text::to_lower_utf8(a.name) == text::to_lower_utf8(b.name);
      },
      [](Brand& a, const Brand& b) { set_if(a.website, b.website); });
  change(
      c.contacts, p.contacts,
      [](const Contact& a, const Contact& b) { return a.external_id == b.external_id; },
      [](Contact& a, const Contact& b) {
        set_if(a.type, b.type);
        set_if(a.company_name, b.company_name);
        set_if(a.phone, b.phone);
        set_if(a.email, b.email);
        set_if(a.name, b.name);
        set_if(a.website, b.website);
        set_if(a.postal_address, b.postal_address);
      });
  change(
      c.channels, p.channels, [](const Channel& a, const Channel& b) { return a.name == b.name; },
      no_merge);
  change(
      c.compliances, p.compliances,
      [](const Compliance& a, const Compliance& b) { return a.code == b.code; }, no_merge);
  apply_customs(c.customs, p.customs, p.locale);
  apply_properties(c.properties, p.properties, p.locale);
  if (p.voc_content) {
    if (!c.voc_content) c.voc_content.emplace();
    apply_voc_content(*c.voc_content, *p.voc_content);
  }
  if (p.voc_emission) {
    if (!c.voc_emission) c.voc_emission.emplace();
    apply_voc_emission(*c.voc_emission, *p.voc_emission);
  }
}

std::string search_text(const Certification& c) {
  std::string out;
  auto add = [&out](const std::optional<std::string>& s) {
    if (!s || s->empty()) return;
    out += text::to_lower_utf8(*s);
    out.push_back('\n');
  };
  add(c.external_id);
  add(c.certificate_number);
  add(c.standard_code);
  add(c.reporting_body);
  for (const auto& b : c.brands) add(b.name);
  for (const auto& k : c.contacts) {
    add(k.name);
    add(k.company_name);
  }
  for (const auto& f : c.customs) {
    for (const auto& [l, v] : f.names) add(v);
    for (const auto& [l, v] : f.values) add(v);
  }
  for (const auto& f : c.properties)
    for (const auto& [l, v] : f.values) add(v);
  return out;
}

}  // namespace certreg::origin
