// Sertifika Merkezi API v1.0: /api/v1.0/...
#pragma once

#include "core/limits.hpp"
#include "core/sertifika_service.hpp"
#include "http/router.hpp"

namespace certreg::dialects::sertifika {

struct Options {
  std::size_t max_items = limits::kSertifikaMaxItems;
};

void register_routes(http::Router& router, certreg::sertifika::Service& service,
                     Options options = {});

}  // namespace certreg::dialects::sertifika
