// Operational endpoints: GET /healthz, and POST /admin/v1/provision when an admin token is set.
#pragma once

#include <string>

#include "http/router.hpp"
#include "store/db.hpp"

namespace certreg::admin {

void register_routes(http::Router& router, store::Database& db, std::string admin_token);

}  // namespace certreg::admin
