// Reference data Origin Connect lookups serve besides what provisioning adds (standards and
// reporting bodies come from provisioning): property features and product categories.
#pragma once

#include <span>
#include <string_view>

namespace certreg::origin {

struct NamedCode {
  std::string_view code, name;
};

struct PropertyDefinition {
  std::string_view code, name;
  std::span<const NamedCode> possible_values, possible_units;
  bool is_custom, is_multiple, is_translatable;
};

std::span<const PropertyDefinition> properties();
const PropertyDefinition* find_property(std::string_view code);
std::span<const NamedCode> categories();

}  // namespace certreg::origin
