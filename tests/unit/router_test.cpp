#include "http/router.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <spdlog/spdlog.h>

#include "core/text.hpp"

using namespace certreg::http;

namespace {

class CaptureSink : public ReplySink {
 public:
  void send(Response&& r) override {
    ++count;
    last = std::move(r);
  }
  int count = 0;
  Response last;
};

class FakeHeaders : public HeaderSource {
 public:
  std::map<std::string, std::string> values;  // lowercase names
  std::string_view get(std::string_view name) const override {
    auto it = values.find(certreg::text::to_lower_ascii(name));
    return it == values.end() ? std::string_view{} : std::string_view(it->second);
  }
};

std::string header_of(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

Response text(int status, std::string body) {
  Response r = Response::json(status, std::move(body));
  r.content_type = "text/plain";
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::get, "/api/items",
               [](Request&, Reply reply) { reply.send(text(200, "list")); });
    router.add(Method::post, "/api/items",
               [](Request& req, Reply reply) { reply.send(text(201, "created:" + req.body)); });
    router.add(Method::get, "/api/items/{id}", [](Request& req, Reply reply) {
      reply.send(text(200, "item:" + std::string(req.params.at(0))));
    });
    router.add(Method::del, "/api/items/{id}", [](Request& req, Reply reply) {
      reply.send(text(204, "deleted:" + std::string(req.params.at(0))));
    });
    router.add(Method::get, "/api/items/{id}/parts/{part}", [](Request& req, Reply reply) {
      reply.send(text(200, std::string(req.params.at(0)) + "|" + std::string(req.params.at(1))));
    });
    router.add(Method::post, "/api/bulk",
               [](Request&, Reply reply) { reply.send(text(200, "bulk")); },
               {.body_limit = 16 * 1024 * 1024});
    router.add(Method::get, "/api/boom",
               [](Request&, Reply) -> void { throw std::runtime_error("boom"); });
    router.add(Method::get, "/api/header", [](Request& req, Reply reply) {
      reply.send(text(200, std::string(req.header("X-Api-Key"))));
    });
  }

  Response run(Method m, std::string target, std::string body = {}) {
    Request req;
    req.method = m;
    req.target = std::move(target);
    req.body = std::move(body);
    req.headers = &headers;
    auto sink = std::make_shared<CaptureSink>();
    router.dispatch(req, Reply(sink));
    EXPECT_EQ(sink->count, 1) << "exactly one response per request";
    return sink->last;
  }

  Router router;
  FakeHeaders headers;
};

}  // namespace

TEST_F(RouterTest, LiteralMatch) {
  auto r = run(Method::get, "/api/items");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "list");
  r = run(Method::post, "/api/items", "payload");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "created:payload");
}

TEST_F(RouterTest, RoutesListsEveryRouteAsAdded) {
  const auto& routes = router.routes();
  ASSERT_EQ(routes.size(), 8u);
  EXPECT_EQ(routes[0].method, Method::get);
  EXPECT_EQ(routes[0].pattern, "/api/items");
  EXPECT_EQ(routes[3].method, Method::del);
  EXPECT_EQ(routes[3].pattern, "/api/items/{id}");
  EXPECT_EQ(routes[4].pattern, "/api/items/{id}/parts/{part}");
}

TEST_F(RouterTest, QueryStringIsNotPartOfThePath) {
  auto r = run(Method::get, "/api/items?page=2");
  EXPECT_EQ(r.body, "list");
  r = run(Method::get, "/api/items/abc?x=/y");
  EXPECT_EQ(r.body, "item:abc");
}

TEST_F(RouterTest, Captures) {
  EXPECT_EQ(run(Method::get, "/api/items/42").body, "item:42");
  EXPECT_EQ(run(Method::del, "/api/items/7f3c").body, "deleted:7f3c");
  EXPECT_EQ(run(Method::get, "/api/items/a%20b/parts/p-1").body, "a%20b|p-1");
}

TEST_F(RouterTest, UnknownPathIs404) {
  for (const char* p :
       {"/", "/api", "/api/items/1/2", "/api/itemsx", "/nope", "/api/items/1/parts"}) {
    auto r = run(Method::get, p);
    EXPECT_EQ(r.status, 404) << p;
    EXPECT_EQ(r.body, R"({"error":"not_found"})") << p;
    EXPECT_EQ(r.content_type, "application/json");
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  auto r = run(Method::put, "/api/items");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, R"({"error":"method_not_allowed"})");
  EXPECT_EQ(header_of(r, "Allow"), "GET, POST");
  r = run(Method::post, "/api/items/5");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header_of(r, "Allow"), "GET, DELETE");
  r = run(Method::patch, "/api/bulk");
  EXPECT_EQ(header_of(r, "Allow"), "POST");
}

TEST_F(RouterTest, OptionsListsMethods) {
  auto r = run(Method::options, "/api/items/5");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(header_of(r, "Allow"), "GET, DELETE, OPTIONS");
  EXPECT_EQ(run(Method::options, "/nope").status, 404);
}

TEST_F(RouterTest, ErrorRendererByLongestPrefix) {
  router.set_dialect(
      "/api", {[](const Request&, HttpError e) { return text(status_of(e), "api"); }, nullptr});
  router.set_dialect(
      "/api/items",
      {[](const Request&, HttpError e) { return text(status_of(e), "items"); }, nullptr});
  router.set_dialect(
      "/a", {[](const Request&, HttpError e) { return text(status_of(e), "a"); }, nullptr});
  EXPECT_EQ(run(Method::get, "/api/items/1/2/3").body, "items");
  EXPECT_EQ(run(Method::get, "/api/other").body, "api");
  EXPECT_EQ(run(Method::get, "/abc").body, "a");
  EXPECT_EQ(run(Method::get, "/zzz").body, R"({"error":"not_found"})");
  auto r = run(Method::put, "/api/items");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, "items");
  EXPECT_EQ(header_of(r, "Allow"), "GET, POST");  // added even to a dialect's own envelope

  Request req;
  req.target = "/api/items?x=1";
  auto e = router.error(req, HttpError::payload_too_large);
  EXPECT_EQ(e.status, 413);
  EXPECT_EQ(e.body, "items");
}

TEST_F(RouterTest, DefaultErrorBodies) {
  Request req;
  req.target = "/x";
  EXPECT_EQ(router.error(req, HttpError::payload_too_large).body,
            R"({"error":"payload_too_large"})");
  EXPECT_EQ(router.error(req, HttpError::bad_request).status, 400);
  EXPECT_EQ(router.error(req, HttpError::header_too_large).status, 431);
  EXPECT_EQ(router.error(req, HttpError::unavailable).status, 503);
  EXPECT_EQ(router.error(req, HttpError::internal).body, R"({"error":"internal_error"})");
}

TEST_F(RouterTest, BodyLimits) {
  EXPECT_EQ(router.body_limit(Method::post, "/api/bulk"), 16u * 1024 * 1024);
  EXPECT_EQ(router.body_limit(Method::post, "/api/items"), certreg::limits::kDefaultBodyBytes);
  // Unknown routes and other methods get the default.
  EXPECT_EQ(router.body_limit(Method::get, "/api/bulk"), certreg::limits::kDefaultBodyBytes);
  EXPECT_EQ(router.body_limit(Method::post, "/nope"), certreg::limits::kDefaultBodyBytes);
  EXPECT_EQ(router.body_limit(Method::post, "/api/bulk?x=1"), certreg::limits::kDefaultBodyBytes)
      << "body_limit takes a path, not a target";
}

TEST_F(RouterTest, HandlerThatThrowsGets500FromRenderer) {
  // The router logs the exception; keep the expected error out of the test output.
  auto level = spdlog::get_level();
  spdlog::set_level(spdlog::level::off);
  auto r = run(Method::get, "/api/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"error":"internal_error"})");
  router.set_dialect(
      "/api",
      {[](const Request&, HttpError e) { return text(status_of(e), "api-envelope"); }, nullptr});
  r = run(Method::get, "/api/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "api-envelope");
  spdlog::set_level(level);
}

TEST_F(RouterTest, RateLimitPerCredentialInTheDialectsEnvelope) {
  router.set_dialect("/api", {[](const Request&, HttpError e) { return text(status_of(e), "api"); },
                              [](const Request& r) { return std::string(r.header("x-api-key")); }});
  router.set_rate_limit(RateLimit::parse("1/m", 2));
  headers.values["x-api-key"] = "k1";
  EXPECT_EQ(run(Method::get, "/api/items").status, 200);
  EXPECT_EQ(run(Method::get, "/api/items/7").status, 200);  // the burst of two
  auto r = run(Method::get, "/api/items");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.body, "api");
  auto retry = std::stoi(header_of(r, "Retry-After"));
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 60);
  EXPECT_EQ(run(Method::get, "/nowhere").status, 404) << "outside the dialects: never limited";

  headers.values["x-api-key"] = "k2";  // another credential has its own bucket
  EXPECT_EQ(run(Method::get, "/api/items").status, 200);
  headers.values.erase("x-api-key");  // without one, the client address is the key
  EXPECT_EQ(run(Method::get, "/api/items").status, 200);
  EXPECT_EQ(run(Method::get, "/api/items").status, 200);
  EXPECT_EQ(run(Method::get, "/api/items").status, 429);
}

TEST_F(RouterTest, HeadersReachTheHandler) {
  headers.values["x-api-key"] = "k1";
  EXPECT_EQ(run(Method::get, "/api/header").body, "k1");
  Request bare;
  EXPECT_EQ(bare.header("X-Api-Key"), "");  // no header source at all
}

TEST(HttpMethod, Names) {
  for (auto m : {Method::get, Method::post, Method::put, Method::del, Method::patch, Method::head,
                 Method::options})
    EXPECT_EQ(method_from(method_name(m)), m);
  EXPECT_EQ(method_name(Method::del), "DELETE");
  EXPECT_EQ(method_from("get"), Method::other);  // methods are case-sensitive
  EXPECT_EQ(method_from("TRACE"), Method::other);
}

TEST(HttpRequest, PathAndQuery) {
  Request r;
  r.target = "/a/b?x=1&y=2";
  EXPECT_EQ(r.path(), "/a/b");
  EXPECT_EQ(r.query(), "x=1&y=2");
  r.target = "/a/b";
  EXPECT_EQ(r.path(), "/a/b");
  EXPECT_EQ(r.query(), "");
  r.target = "/a?";
  EXPECT_EQ(r.path(), "/a");
  EXPECT_EQ(r.query(), "");
  r.target = "/a?b?c";
  EXPECT_EQ(r.path(), "/a");
  EXPECT_EQ(r.query(), "b?c");
}

TEST(HttpRequest, QueryParam) {
  Request r;
  r.target = "/s?q=caf%C3%A9+au+lait&page=2&page=3&empty=&flag&sp%61ced=yes&bad=%G1x&tail=ab%";
  EXPECT_EQ(r.query_param("q"), "café au lait");
  EXPECT_EQ(r.query_param("page"), "2");  // first occurrence
  EXPECT_EQ(r.query_param("empty"), "");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query_param("spaced"), "yes");  // names are decoded too
  EXPECT_EQ(r.query_param("bad"), "%G1x");    // malformed escapes are left raw
  EXPECT_EQ(r.query_param("tail"), "ab%");
  EXPECT_EQ(r.query_param("absent"), std::nullopt);
  EXPECT_EQ(r.query_param("Page"), std::nullopt);
  r.target = "/s";
  EXPECT_EQ(r.query_param("q"), std::nullopt);
  r.target = "/s?a=1&&b=%3D%26";
  EXPECT_EQ(r.query_param("b"), "=&");
}
