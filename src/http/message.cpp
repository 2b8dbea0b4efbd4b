#include "http/message.hpp"

#include "core/text.hpp"

namespace certreg::http {

std::string_view method_name(Method m) {
  switch (m) {
    case Method::get:
      return "GET";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::del:
      return "DELETE";
    case Method::patch:
      return "PATCH";
    case Method::head:
      return "HEAD";
    case Method::options:
      return "OPTIONS";
    case Method::other:
      return "OTHER";
  }
  return "OTHER";
}

Method method_from(std::string_view name) {
  if (name == "GET") return Method::get;
  if (name == "POST") return Method::post;
  if (name == "PUT") return Method::put;
  if (name == "DELETE") return Method::del;
  if (name == "PATCH") return Method::patch;
  if (name == "HEAD") return Method::head;
  if (name == "OPTIONS") return Method::options;
  return Method::other;
}

std::string_view Request::path() const {
  std::string_view t(target);
  auto q = t.find('?');
  return q == std::string_view::npos ? t : t.substr(0, q);
}

std::string_view Request::query() const {
  std::string_view t(target);
  auto q = t.find('?');
  return q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view q = query();
  std::string key;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    auto eq = pair.find('=');
    std::string_view k = pair.substr(0, eq);
    std::string_view v = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (!text::url_decode(k, key) || key != name) continue;
    std::string value;
    if (!text::url_decode(v, value)) return std::string(v);  // left raw; callers validate it
    return value;
  }
  return std::nullopt;
}

double Request::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - received).count();
}

}  // namespace certreg::http
