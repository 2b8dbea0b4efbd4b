// Core IAF views -> the JSON objects of the replies (storage-style names, as the guide shows).
#pragma once

#include <string>

#include "core/iaf.hpp"
#include "json/writer.hpp"

namespace certreg::dialects::iaf {

void write_certification(json::Writer& w, const certreg::iaf::CertificationView& v);
void write_entity(json::Writer& w, const certreg::iaf::EntityView& e);
void write_cb(json::Writer& w, const certreg::iaf::CbView& cb);

}  // namespace certreg::dialects::iaf
