// EDIN e-certificates V1 reference data (the directories of the Show* methods) and small rules.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace certreg::edin {

struct Code {
  int code;
  std::string_view name;
};

// cert_type values ShowTypes lists (1-16); Create also accepts 17 and 18 (the UI's import guide).
std::span<const Code> certificate_types();
bool is_certificate_type(int code);
std::span<const Code> sub_types();       // 1 validity period, 2 batch number
std::span<const Code> access_types();    // 1 public, 2 restricted
std::span<const Code> access_actions();  // 1 share, 2 take back
std::span<const Code> bind_actions();    // 1 add, 2 remove
std::span<const Code> error_types();     // complaint types 1-5
// The name of a code in a directory ("" if it has none); access type 0 is "not chosen".
std::string_view name_of(std::span<const Code> directory, int code);
std::string_view access_type_name(int code);

// The number as searched and kept unique per owner GLN: whitespace removed, ASCII uppercased.
std::string system_number(std::string_view number);

// A new session token: 26 characters of [0-9a-v], like EDIN's (130 random bits).
std::string new_token();

inline constexpr int kSessionIdleSeconds = 30 * 60;

}  // namespace certreg::edin

#include <cstdint>
#include <vector>

namespace certreg::edin {

// A certificate card. Dates are ISO (YYYY-MM-DD).
struct Certificate {
  std::int64_t id = 0;
  std::string owner_gln, number, system_number;
  int type = 0, sub_type = 0;
  std::string cert_date, start_date;
  std::optional<std::string> end_date, part_number, lot_number, gtd;
  int access_type = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> reviewed_at;
};

struct ScanFile {
  std::int64_t id = 0;
  int type = 0;  // 0: a scan the owner attached
  std::string name, content_type, hash;
};

struct Bind {
  std::string gtin, article_supplier, article_buyer, uktzed, dkpp;  // "" when not given
};

// Which certificates a GetCertsBy* method looks for.
enum class SearchBy { number, gln, barcode, inn, edrpou, gtd };
// The optional `filter` of the list methods: only the caller's own certificates (all, the
// restricted ones, or the public ones).
enum class Filter { none, owner, restricted, public_ };

}  // namespace certreg::edin
