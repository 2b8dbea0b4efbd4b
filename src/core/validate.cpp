#include "core/validate.hpp"

#include "core/dates.hpp"

namespace certreg::validate {
namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}
bool alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Counts digits starting at s[i]; advances i.
std::size_t digits(std::string_view s, std::size_t& i) {
  std::size_t n = 0;
  while (i < s.size() && digit(s[i])) ++i, ++n;
  return n;
}

bool is_host(std::string_view h) {
  if (h.empty() || h.size() > 253 || h.find('.') == std::string_view::npos) return false;
  if (h.front() == '.' || h.back() == '.' || h.front() == '-') return false;
  for (char c : h)
    if (!(alpha(c) || digit(c) || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80))
      return false;
  return h.find("..") == std::string_view::npos;
}

}  // namespace

bool is_email(std::string_view s) {
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char c : s)
    if (c == ' ' || c == '\t' || c == '<' || c == '>' || c == ',') return false;
  return is_host(s.substr(at + 1));
}

bool is_public_url(std::string_view s, bool allow_schemeless) {
  if (s.size() > 2048) return false;
  for (char c : s)
    if (c == ' ' || static_cast<unsigned char>(c) < 0x20) return false;
  std::string_view rest;
  if (s.substr(0, 7) == "http://")
    rest = s.substr(7);
  else if (s.substr(0, 8) == "https://")
    rest = s.substr(8);
  else if (allow_schemeless && s.find("://") == std::string_view::npos &&
           s.find('@') == std::string_view::npos)
    rest = s;  // "www.acme.com/x"; not "mailto:x@y.z"
  else
    return false;
  auto end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    std::size_t i = 0;
    if (port.empty() || digits(port, i) != port.size() || port.size() > 5) return false;
    authority = authority.substr(0, colon);
  }
  return is_host(authority);
}

bool is_decimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t whole = digits(s, i);
  std::size_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    frac = digits(s, i);
    if (frac == 0) return false;
  }
  return i == s.size() && (whole + frac) > 0;
}

bool is_cas_number(std::string_view s) {
  std::size_t i = 0;
  std::size_t a = digits(s, i);
  if (a < 2 || a > 7 || i >= s.size() || s[i++] != '-') return false;
  if (digits(s, i) != 2 || i >= s.size() || s[i++] != '-') return false;
  std::size_t c = digits(s, i);
  return c >= 1 && c <= 2 && i == s.size();
}

std::optional<std::int64_t> iso_datetime_ms(std::string_view s) {
  auto date = dates::parse_iso(s.substr(0, 10));
  if (!date) return std::nullopt;
  std::int64_t ms = dates::days_from_civil(*date) * 86400000;
  if (s.size() == 10) return ms;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  std::size_t i = 11;
  auto two = [&](int max) -> int {
    if (i + 2 > s.size() || !digit(s[i]) || !digit(s[i + 1])) return -1;
    int v = (s[i] - '0') * 10 + (s[i + 1] - '0');
    i += 2;
    return v <= max ? v : -1;
  };
  int hh = two(23);
  if (hh < 0 || i >= s.size() || s[i++] != ':') return std::nullopt;
  int mm = two(59);
  if (mm < 0) return std::nullopt;
  int ss = 0, fraction = 0;
  if (i < s.size() && s[i] == ':') {
    ++i;
    ss = two(60);
    if (ss < 0) return std::nullopt;
    if (i < s.size() && s[i] == '.') {
      ++i;
      std::size_t start = i;
      if (digits(s, i) == 0) return std::nullopt;
      // Milliseconds: the first three digits of the fraction.
      for (std::size_t k = 0; k < 3; ++k)
        fraction = fraction * 10 + (start + k < i ? s[start + k] - '0' : 0);
    }
  }
  ms += (hh * 3600 + mm * 60 + ss) * 1000LL + fraction;
  if (i == s.size()) return ms;
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size() ? std::optional(ms) : std::nullopt;
  if (s[i] != '+' && s[i] != '-') return std::nullopt;
  int sign = s[i++] == '+' ? 1 : -1;
  int oh = two(23);
  if (oh < 0) return std::nullopt;
  if (i < s.size() && s[i] == ':') ++i;
  int om = two(59);
  if (om < 0 || i != s.size()) return std::nullopt;
  return ms - sign * (oh * 3600 + om * 60) * 1000LL;
}

}  // namespace certreg::validate
