#include "core/edin.hpp"

#include <array>

#include "core/crypto.hpp"

namespace certreg::edin {
namespace {

// Names as EDIN returns them (Ukrainian; 12-13 in Russian, as in the source).
constexpr std::array<Code, 18> kTypes = {{
    {1, "сертифікат відповідності/визнання"},
    {2, "посвідчення якості"},
    {3, "декларація імпортера"},
    {4, "висновок СЄС"},
    {5, "декларація виробника"},
    {6, "карантинний сертифікат"},
    {7, "акт фітосанітарного контролю"},
    {8, "фітосанітарний сертифікат"},
    {9, "висновок фітосанітарної експертизи"},
    {10, "протокол лабораторних досліджень"},
    {11, "Експертний висновок"},
    {12, "Приложение к файлу"},
    {13, "Сертификат типа"},
    {14, "Сертифікат аналізу"},
    {15, "Дозвіл на випуск /реалізацію"},
    {16, "Висновок Держлікслужби"},
    {17, "Сертифікат на СУЯ (ISO9001)"},
    {18, "Паспорт якості"},
}};
constexpr std::array<Code, 2> kSubTypes = {{{1, "Период действия"}, {2, "Номер партии"}}};
constexpr std::array<Code, 2> kAccessTypes = {{{1, "Доступен всем"}, {2, "Ограниченный доступ"}}};
constexpr std::array<Code, 2> kAccessActions = {
    {{1, "Расшарить доступ к сертификату"}, {2, "Убрать доуступ к сертификату"}}};
constexpr std::array<Code, 2> kBindActions = {
    {{1, "Добавить привязки к товару"}, {2, "Удалить привязки к товару"}}};
// The documented meanings, worded in Russian like the API's other texts.
constexpr std::array<Code, 5> kErrorTypes = {{
    {1, "Отсутствует файл скана"},
    {2, "Нет привязки к товару"},
    {3, "Некорректные данные карточки"},
    {4, "Некорректный файл скана"},
    {5, "Некорректные привязки категорий товара"},
}};

}  // namespace

std::span<const Code> certificate_types() {
  return std::span(kTypes).first(16);
}
bool is_certificate_type(int code) {
  return code >= 1 && code <= 18;
}
std::span<const Code> sub_types() {
  return kSubTypes;
}
std::span<const Code> access_types() {
  return kAccessTypes;
}
std::span<const Code> access_actions() {
  return kAccessActions;
}
std::span<const Code> bind_actions() {
  return kBindActions;
}
std::span<const Code> error_types() {
  return kErrorTypes;
}

std::string_view name_of(std::span<const Code> directory, int code) {
  for (const auto& c : directory)
    if (c.code == code) return c.name;
  if (directory.data() == kTypes.data())  // 17 and 18 are outside ShowTypes' span
    for (const auto& c : kTypes)
      if (c.code == code) return c.name;
  return {};
}

std::string_view access_type_name(int code) {
  return code == 0 ? "не вибрано" : name_of(kAccessTypes, code);
}

std::string system_number(std::string_view number) {
  std::string out;
  for (char c : number) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    out.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c);
  }
  return out;
}

std::string new_token() {
  static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuv";
  std::string hex = crypto::random_hex(17);  // 136 bits, 130 of them used
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char h : hex) {
    acc = (acc << 4) | static_cast<unsigned>(h <= '9' ? h - '0' : h - 'a' + 10);
    bits += 4;
    if (bits >= 5 && out.size() < 26) {
      out.push_back(kAlphabet[(acc >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return out;
}

}  // namespace certreg::edin
