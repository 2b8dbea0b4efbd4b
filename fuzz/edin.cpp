// EDIN request bodies: EDIN's handlers (dialects/edin/routes.cpp) read and check their fields
// inline, between service calls, so they are driven through the router on a database
// (common/app.hpp) with the demo user's session. The first byte picks one of the /Api/V1/ routes
// the router serves, the rest is the body; fuzz::kEdinTokenPlaceholder in it becomes the session
// token. User/Authorize is left out: it reads two fields, then spends a deliberately slow password
// hash, which would take most of the run.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/app.hpp"
#include "common/input.hpp"

using namespace certreg;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& app = fuzz::App::instance();
  static const std::vector<http::RouteInfo> routes = [&] {
    std::vector<http::RouteInfo> edin;
    for (const auto& r : app.router().routes())
      if (r.pattern.starts_with("/Api/V1/") && r.pattern != "/Api/V1/User/Authorize")
        edin.push_back(r);
    return edin;
  }();
  auto in = fuzz::split(data, size, routes.size());
  http::Request request;
  request.method = routes[in.choice].method;
  request.target = routes[in.choice].pattern;
  request.body = app.with_edin_token(in.rest);
  auto response = app.handle(request);
  // EDIN answers 200 with the real code in intCode; 500 there is an input a handler did not expect.
  if (response.status != 200 || response.body.find(R"("intCode":500)") != std::string::npos)
    std::abort();
  return 0;
}
