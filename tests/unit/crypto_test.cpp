#include "core/crypto.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "core/gln.hpp"
#include "core/password.hpp"

using namespace certreg;

namespace {
constexpr int kFastIterations = 1000;  // the cost is stored in the hash; keep tests quick
}

TEST(Crypto, UuidIsVersion7Lowercase) {
  static const std::regex kUuid(
      "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 200; ++i) {
    std::string id = crypto::new_uuid();
    ASSERT_TRUE(std::regex_match(id, kUuid)) << id;
  }
}

TEST(Crypto, UuidsCarryTheirCreationTime) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::string id = crypto::new_uuid();
  std::string hex = id.substr(0, 8) + id.substr(9, 4);
  EXPECT_NEAR(static_cast<double>(std::stoll(hex, nullptr, 16)), static_cast<double>(ms), 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_LT(id, crypto::new_uuid());  // later ids sort after earlier ones
}

TEST(Crypto, UuidsAreUnique) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(crypto::new_uuid());
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(Crypto, RandomHex) {
  static const std::regex kHex("[0-9a-f]*");
  EXPECT_EQ(crypto::random_hex(0), "");
  for (std::size_t n : {1u, 16u, 32u, 33u}) {
    std::string h = crypto::random_hex(n);
    EXPECT_EQ(h.size(), 2 * n);
    EXPECT_TRUE(std::regex_match(h, kHex)) << h;
  }
  EXPECT_NE(crypto::random_hex(16), crypto::random_hex(16));
}

TEST(Crypto, Sha256KnownVectors) {
  EXPECT_EQ(crypto::sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(crypto::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, Md5KnownVectors) {
  EXPECT_EQ(crypto::md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(crypto::md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(crypto::constant_time_equals("", ""));
  EXPECT_TRUE(crypto::constant_time_equals("secret", "secret"));
  EXPECT_FALSE(crypto::constant_time_equals("secret", "secreT"));
  EXPECT_FALSE(crypto::constant_time_equals("secret", "secret2"));
  EXPECT_FALSE(crypto::constant_time_equals("", "x"));
}

TEST(Password, HashFormat) {
  static const std::regex kStored("pbkdf2-sha256\\$1000\\$[0-9a-f]{32}\\$[0-9a-f]{64}");
  std::string h = password::hash("s3cret", kFastIterations);
  EXPECT_TRUE(std::regex_match(h, kStored)) << h;
  // A fresh salt every time.
  EXPECT_NE(h, password::hash("s3cret", kFastIterations));
}

TEST(Password, RoundTrip) {
  std::string h = password::hash("s3cret", kFastIterations);
  EXPECT_TRUE(password::verify("s3cret", h));
  EXPECT_FALSE(password::verify("s3creT", h));
  EXPECT_FALSE(password::verify("", h));
  EXPECT_FALSE(password::verify("s3cret ", h));

  std::string utf8 = password::hash("пароль", kFastIterations);
  EXPECT_TRUE(password::verify("пароль", utf8));
  std::string empty = password::hash("", kFastIterations);
  EXPECT_TRUE(password::verify("", empty));
  EXPECT_FALSE(password::verify("x", empty));
}

TEST(Password, MalformedStoredValues) {
  std::string good = password::hash("pw", kFastIterations);
  EXPECT_TRUE(password::verify("pw", good));
  auto tampered = good;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_FALSE(password::verify("pw", tampered));

  std::string salt_hash = good.substr(good.find('$', 14));  // "$<salt>$<hash>"
  for (const std::string& bad : std::vector<std::string>{
           "",
           "pw",
           "pbkdf2-sha256",
           "pbkdf2-sha1$1000" + salt_hash,
           "pbkdf2-sha256$0" + salt_hash,
           "pbkdf2-sha256$-5" + salt_hash,
           "pbkdf2-sha256$abc" + salt_hash,
           "pbkdf2-sha256$" + salt_hash.substr(1),
           "pbkdf2-sha256$99999999999999999999" + salt_hash,
           good + "$extra",
           "pbkdf2-sha256$1000$$",
       })
    EXPECT_FALSE(password::verify("pw", bad)) << bad;
}

TEST(Gln, WellFormed) {
  EXPECT_TRUE(gln::well_formed("4829900023799"));
  EXPECT_TRUE(gln::well_formed("0000000000000"));
  EXPECT_FALSE(gln::well_formed(""));
  EXPECT_FALSE(gln::well_formed("482990002379"));
  EXPECT_FALSE(gln::well_formed("48299000237990"));
  EXPECT_FALSE(gln::well_formed("48299000237a9"));
  EXPECT_FALSE(gln::well_formed(" 482990002379"));
  EXPECT_FALSE(gln::well_formed("-482990002379"));
}

TEST(Gln, CheckDigit) {
  // Computed by hand with GS1 mod 10 (weights 1,3,1,3,... from the left over 12 digits):
  // 4829900023799 -> sum 111, check 9; 9864066822454 -> sum 126, check 4. Both are valid.
  EXPECT_TRUE(gln::check_digit_ok("4829900023799"));
  EXPECT_TRUE(gln::check_digit_ok("9864066822454"));
  EXPECT_TRUE(gln::check_digit_ok("4006381333931"));  // a published EAN-13
  EXPECT_TRUE(gln::check_digit_ok("5901234123457"));  // the GS1 example
  EXPECT_TRUE(gln::check_digit_ok("0000000000000"));
  EXPECT_FALSE(gln::check_digit_ok("4829900023798"));
  EXPECT_FALSE(gln::check_digit_ok("4006381333932"));
  EXPECT_FALSE(gln::check_digit_ok("4006381333930"));
  EXPECT_FALSE(gln::check_digit_ok("400638133393"));   // not well-formed
  EXPECT_FALSE(gln::check_digit_ok("40063813339a1"));  // not well-formed
}

TEST(Gln, EveryWrongCheckDigitIsRejected) {
  for (char c = '0'; c <= '9'; ++c) {
    std::string s = "400638133393";
    s.push_back(c);
    EXPECT_EQ(gln::check_digit_ok(s), c == '1') << s;
  }
}
