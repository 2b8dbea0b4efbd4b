#include "application.hpp"

#include "admin/routes.hpp"
#include "dialects/iaf/routes.hpp"
#include "dialects/origin/routes.hpp"
#include "dialects/sertifika/routes.hpp"

namespace certreg {

Application::Application(store::Database& db, const ApplicationOptions& o)
    : iaf_(db),
      origin_(db),
      sertifika_(db),
      origin_jobs_(origin_, limits::kOriginMaxItems),
      edin_(db, slow_work_) {
  admin::register_routes(router_, db, o.admin_token);
  dialects::iaf::register_routes(router_, iaf_, {o.iaf_bulk_max});
  dialects::origin::register_routes(router_, origin_, origin_jobs_,
                                    {o.public_url, limits::kOriginMaxItems});
  dialects::edin::register_routes(router_, edin_, o.edin);
  dialects::sertifika::register_routes(router_, sertifika_);
  origin_jobs_.start(o.async_workers);
}

void Application::stop() {
  origin_jobs_.stop();
  slow_work_.stop();
}

}  // namespace certreg
