#include "core/text.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace certreg::text;
using namespace std::string_literals;

TEST(Text, Utf8LengthCountsCodePoints) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("chaîne"), 6u);             // 2-byte î
  EXPECT_EQ(utf8_length("Сертифікат"), 10u);        // Cyrillic, 2 bytes each
  EXPECT_EQ(utf8_length("인증서"), 3u);             // 3 bytes each
  EXPECT_EQ(utf8_length("a\xF0\x9F\x98\x80"), 2u);  // U+1F600, 4 bytes
  EXPECT_EQ(utf8_length("\0x"s), 2u);
}

TEST(Text, ValidUtf8AcceptsWellFormed) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("Sertifikası çğüşö"));
  EXPECT_TRUE(valid_utf8("인증서"));
  EXPECT_TRUE(valid_utf8("\xF0\x9F\x98\x80"));
  EXPECT_TRUE(valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_TRUE(valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(valid_utf8("\xEE\x80\x80"));      // U+E000, just above
  EXPECT_TRUE(valid_utf8("\0"s));
}

TEST(Text, ValidUtf8RejectsOverlong) {
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));  // '/' in two bytes
  EXPECT_FALSE(valid_utf8("\xC1\xBF"));
  EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(valid_utf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(Text, ValidUtf8RejectsSurrogatesAndOutOfRange) {
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(valid_utf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(valid_utf8("\xF8\x88\x80\x80\x80"));  // 5-byte form
  EXPECT_FALSE(valid_utf8("\xFF"));
}

TEST(Text, ValidUtf8RejectsTruncatedAndStray) {
  EXPECT_FALSE(valid_utf8("\xC3"));
  EXPECT_FALSE(valid_utf8("abc\xE2\x82"));
  EXPECT_FALSE(valid_utf8("\xF0\x9F\x98"));
  EXPECT_FALSE(valid_utf8("\x80"));          // lone continuation byte
  EXPECT_FALSE(valid_utf8("\xC3\x28"));      // lead byte followed by ASCII
  EXPECT_FALSE(valid_utf8("\xE2\x28\xA1"));  // bad second byte
}

TEST(Text, HasControlChars) {
  EXPECT_FALSE(has_control_chars(""));
  EXPECT_FALSE(has_control_chars("tab\tcr\rlf\n ok"));
  EXPECT_FALSE(has_control_chars("chaîne"));
  EXPECT_TRUE(has_control_chars("a\x01"));
  EXPECT_TRUE(has_control_chars("\0"s));
  EXPECT_TRUE(has_control_chars("esc\x1b"));
  EXPECT_TRUE(has_control_chars("del\x7f"));
  EXPECT_TRUE(has_control_chars("\x1f"));
}

TEST(Text, Trim) {
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim(" \t\r\n a b \n\t"), "a b");
  EXPECT_EQ(trim("abc"), "abc");
  // Only ASCII whitespace: a no-break space stays.
  EXPECT_EQ(trim("\xC2\xA0x"), "\xC2\xA0x");
  EXPECT_EQ(trim("\vx"), "\vx");
}

TEST(Text, ToLowerAscii) {
  EXPECT_EQ(to_lower_ascii("ABC xyz 123 @[`{"), "abc xyz 123 @[`{");
  EXPECT_EQ(to_lower_ascii("ÇA"), "Ça");  // non-ASCII bytes untouched
  EXPECT_EQ(to_lower_ascii(""), "");
}

TEST(Text, Iequals) {
  EXPECT_TRUE(iequals("Accredited", "ACCREDITED"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("abc", "abcd"));
  EXPECT_FALSE(iequals("abc", "abd"));
  EXPECT_FALSE(iequals("@", "`"));  // 0x40 vs 0x60: not letters
  EXPECT_FALSE(iequals("Ç", "ç"));
}

TEST(Text, StartsWithCi) {
  EXPECT_TRUE(starts_with_ci("Bearer abc", "bearer "));
  EXPECT_TRUE(starts_with_ci("abc", ""));
  EXPECT_TRUE(starts_with_ci("abc", "ABC"));
  EXPECT_FALSE(starts_with_ci("ab", "abc"));
  EXPECT_FALSE(starts_with_ci("Basic abc", "bearer"));
}

TEST(Text, UrlDecode) {
  std::string out;
  EXPECT_TRUE(url_decode("a%20b%2Fc%2fd", out));
  EXPECT_EQ(out, "a b/c/d");
  EXPECT_TRUE(url_decode("a+b++c", out));
  EXPECT_EQ(out, "a b  c");
  EXPECT_TRUE(url_decode("%2B", out));
  EXPECT_EQ(out, "+");
  EXPECT_TRUE(url_decode("%C3%A7%00", out));
  EXPECT_EQ(out, "ç\0"s);
  EXPECT_TRUE(url_decode("", out));
  EXPECT_EQ(out, "");
  EXPECT_TRUE(url_decode("%41", out));
  EXPECT_EQ(out, "A");
}

TEST(Text, UrlDecodeRejectsMalformedEscapes) {
  std::string out = "stale";
  EXPECT_FALSE(url_decode("%G1", out));
  EXPECT_FALSE(url_decode("%1G", out));
  EXPECT_FALSE(url_decode("abc%", out));
  EXPECT_FALSE(url_decode("abc%4", out));
  EXPECT_FALSE(url_decode("%%41", out));
  EXPECT_FALSE(url_decode("% 1", out));
}
