// The IAF CertSearch client API v1 for CBs and MNCBs: /api/client/v1/{cb,mncb}/...
#pragma once

#include <cstddef>

#include "core/iaf_service.hpp"
#include "core/limits.hpp"
#include "http/router.hpp"

namespace certreg::dialects::iaf {

struct Options {
  std::size_t bulk_max_records = limits::kIafDefaultBulkRecords;
};

void register_routes(http::Router& router, certreg::iaf::Service& service, Options options);

}  // namespace certreg::dialects::iaf
