// Origin Connect v1 and v2: /connect/v{1,2}/...
#pragma once

#include <string>

#include "core/limits.hpp"
#include "core/origin_service.hpp"
#include "dialects/origin/jobs.hpp"
#include "http/router.hpp"

namespace certreg::dialects::origin {

struct Options {
  // Base of poolingCallback URLs ("https://registry.example.com"); empty: from the Host header.
  std::string public_url;
  std::size_t max_items = limits::kOriginMaxItems;
};

void register_routes(http::Router& router, certreg::origin::Service& service, JobRunner& jobs,
                     Options options);

}  // namespace certreg::dialects::origin
