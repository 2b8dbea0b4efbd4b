// Small string helpers shared by every dialect: UTF-8 checks, case folding of ASCII, trimming.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace certreg::text {

// Number of Unicode code points in valid UTF-8 (length limits are in characters, not bytes).
std::size_t utf8_length(std::string_view s);
bool valid_utf8(std::string_view s);
// True when s contains a C0 control character other than tab, CR and LF, or DEL.
bool has_control_chars(std::string_view s);
std::string_view trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);
// Lowercases ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters (what case-insensitive
// matching of names needs here); other characters are kept as they are.
std::string to_lower_utf8(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with_ci(std::string_view s, std::string_view prefix);
// Percent-decoding of a URL component; '+' becomes a space. Returns false on a malformed escape.
bool url_decode(std::string_view in, std::string& out);

}  // namespace certreg::text
