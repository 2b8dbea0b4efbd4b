// EDIN's reply texts, verbatim (Russian, as the API answers, typos included).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace certreg::dialects::edin::msg {

inline constexpr std::string_view kSuccess = "Success!";
inline constexpr std::string_view kCertNotFound = "Сертификат не найден";
inline constexpr std::string_view kNoAccess = "Нет доступа к запрашиваемой информации";
inline constexpr std::string_view kNoData = "Запрашиваемая информация не найдена";
inline constexpr std::string_view kBadParams = "Ошибка в параметрах запроса";
inline constexpr std::string_view kBindsEmpty = "Не заполнены поля в блоке \"product_binds\"";
inline constexpr std::string_view kComplaintExists = "Уведомление об ошибке было отправлено ранее";
// Not documented; certreg's wording (docs/edin.md).
inline constexpr std::string_view kAuthFailed = "Ошибка авторизации";
inline constexpr std::string_view kLoginFailed = "Неверный логин или пароль";

std::string required(std::string_view field);
std::string bad_format(std::string_view field, std::string_view value);
std::string too_long(std::string_view field, std::string_view value, std::size_t max);
std::string unknown_sub_type(std::string_view value);
std::string unknown_type(std::string_view value);
std::string bad_date(std::string_view field, std::string_view value);
std::string number_taken(std::string_view number);
std::string gln_not_found(std::string_view gln);
std::string start_after_end(std::string_view start, std::string_view end);
std::string required_in_amigos(std::string_view field);
std::string bad_in_amigos(std::string_view field, std::string_view value);
std::string unknown_glns(const std::vector<std::string>& glns);
std::string not_networks(const std::vector<std::string>& glns);
std::string bad_uktzed(std::string_view value);
std::string bad_dkpp(std::string_view value);

}  // namespace certreg::dialects::edin::msg
