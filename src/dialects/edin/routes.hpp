// EDIN e-certificates API V1: /Api/V1/{User,Certificate,GetCertUA}/...
#pragma once

#include "core/edin_service.hpp"
#include "http/router.hpp"

namespace certreg::dialects::edin {

struct Options {
  // HTTP status of replies: false (default) always 200 with the real code in intCode, as EDIN
  // clients expect; true mirrors intCode.
  bool mirror_http_status = false;
  // Check GS1 check digits of GLNs (off by default: EDIN's docs never check them).
  bool strict_gln = false;
};

void register_routes(http::Router& router, certreg::edin::Service& service, Options options);

}  // namespace certreg::dialects::edin
