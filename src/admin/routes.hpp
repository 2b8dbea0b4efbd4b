// Operational endpoints: GET /healthz, and when an admin token is set POST /admin/v1/provision
// and GET /admin/v1/routes (every route of the router, including those registered later).
#pragma once

#include <string>

#include "http/router.hpp"
#include "store/db.hpp"

namespace certreg::admin {

void register_routes(http::Router& router, store::Database& db, std::string admin_token);

}  // namespace certreg::admin
