#include "dialects/edin/messages.hpp"

#include <fmt/format.h>

namespace certreg::dialects::edin::msg {

namespace {
std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}
}  // namespace

std::string required(std::string_view field) {
  return fmt::format("Не заполнено обязательное поле \"{}\"", field);
}
std::string bad_format(std::string_view field, std::string_view value) {
  return fmt::format("Недопустимый формат поля \"{}\" {}", field, value);
}
std::string too_long(std::string_view field, std::string_view value, std::size_t max) {
  return fmt::format("{}, максимальное количество символов {}", bad_format(field, value), max);
}
std::string unknown_sub_type(std::string_view value) {
  return bad_format("cert_sub_type", value) + ", вид сертификата не найден";
}
std::string unknown_type(std::string_view value) {
  return bad_format("cert_type", value) + ", тип сертификата не найден";
}
std::string bad_date(std::string_view field, std::string_view value) {
  return bad_format(field, value) + ", формат даты DD.MM.YYYY";
}
std::string number_taken(std::string_view number) {
  return fmt::format("Сертификат с номером {} уже создан", number);
}
std::string gln_not_found(std::string_view gln) {
  return fmt::format("Gln {} не найден", gln);
}
std::string start_after_end(std::string_view start, std::string_view end) {
  return fmt::format("Дата начала {} не может быть больше даты окончания {}", start, end);
}
std::string required_in_amigos(std::string_view field) {
  return required(field) + " в блоке \"amigos_info\"";
}
std::string bad_in_amigos(std::string_view field, std::string_view value) {
  return bad_format(field, value) + " в блоке \"amigos_info\"";
}
std::string unknown_glns(const std::vector<std::string>& glns) {
  return fmt::format("Не найдены \"gln\" {} в блоке \"amigos_info\"", join(glns));
}
// Two spaces and the misplaced quote are the documented text.
std::string not_networks(const std::vector<std::string>& glns) {
  return fmt::format(
      "Переданные данные в поле \"gln\" {}  блока \"amigos_info не принадлежат сети\"", join(glns));
}
std::string bad_uktzed(std::string_view value) {
  return bad_format("uktved", value) + ", должно быть число от 4 до 10 символов";
}
// The first two groups are Cyrillic Х (U+0425), the others Latin X, as documented.
std::string bad_dkpp(std::string_view value) {
  return bad_format("dkpp", value) +
         ", должно быть число в виде \u0425\u0425.\u0425\u0425.XX-XX.XX";
}

}  // namespace certreg::dialects::edin::msg
