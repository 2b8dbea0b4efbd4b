#include "core/origin_reference.hpp"

#include <array>

namespace certreg::origin {
namespace {

// Property codes and examples from Origin's Multilingual guideline and the seed's samples.
constexpr std::array<NamedCode, 3> kDeclareStatus = {
    {{"Declared", "Declared"}, {"NotDeclared", "Not declared"}, {"InProgress", "In progress"}}};
constexpr std::array<NamedCode, 3> kEpdType = {{{"product-specific", "Product-specific"},
                                                {"industry-wide", "Industry-wide"},
                                                {"generic", "Generic"}}};
constexpr std::array<NamedCode, 2> kLifeUnits = {{{"YEAR", "Years"}, {"MONTH", "Months"}}};
constexpr std::array<NamedCode, 4> kIdealProjects = {{{"COMMERCIAL", "Commercial"},
                                                      {"RESIDENTIAL", "Residential"},
                                                      {"HEALTHCARE", "Healthcare"},
                                                      {"EDUCATION", "Education"}}};

constexpr std::span<const NamedCode> kNone{};

const std::array<PropertyDefinition, 6> kProperties = {{
    {"ASSEMBLYLOCATION", "Final Assembly Location", kNone, kNone, false, false, true},
    {"CUSTOM_TEXT_ATTRIBUTE", "Custom Text Attribute", kNone, kNone, true, true, true},
    {"DECLARE_STATUS", "Status", kDeclareStatus, kNone, false, false, false},
    {"EPD_TYPE", "EPD Type", kEpdType, kNone, false, false, false},
    {"IDEALPROJECTS", "Ideal Projects", kIdealProjects, kNone, false, true, false},
    {"LIFEEXPECTANCY", "Life Expectancy", kNone, kLifeUnits, false, false, false},
}};

constexpr std::array<NamedCode, 8> kCategories = {{
    {"ADHESIVES_SEALANTS", "Adhesives & Sealants"},
    {"CEILINGS", "Ceilings"},
    {"COATINGS_PAINTS", "Coatings & Paints"},
    {"FLOORING", "Flooring"},
    {"FURNITURE", "Furniture"},
    {"INSULATION", "Insulation"},
    {"LIGHTING", "Lighting"},
    {"WALL_FINISHES", "Wall Finishes"},
}};

}  // namespace

std::span<const PropertyDefinition> properties() {
  return kProperties;
}

const PropertyDefinition* find_property(std::string_view code) {
  for (const auto& p : kProperties)
    if (p.code == code) return &p;
  return nullptr;
}

std::span<const NamedCode> categories() {
  return kCategories;
}

}  // namespace certreg::origin
