#include "core/sertifika.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace certreg::sertifika;

TEST(SertifikaUserCode, IsLowercaseHexMd5OfTheEmail) {
  // The seed's own pair: the bulk delete's e-mail and the single delete's userCode.
  EXPECT_EQ(user_code("hasan.cakmak@advancity.com.tr"), "43b4121d1ce914d6a7f035d3791bec5d");
  EXPECT_EQ(user_code("john.doe@example.com"), "8eb1b522f60d11fa897de1dc6351b7e8");
}

TEST(SertifikaUserCode, TrimsAndLowercasesFirst) {
  EXPECT_EQ(user_code("  Hasan.Cakmak@Advancity.COM.TR \t"), "43b4121d1ce914d6a7f035d3791bec5d");
  EXPECT_EQ(user_code("JOHN.DOE@EXAMPLE.COM"), user_code("john.doe@example.com"));
  EXPECT_NE(user_code("john.doe@example.com"), user_code("john.doe2@example.com"));
}

TEST(SertifikaUserCode, LowercasesOnlyAsciiLetters) {
  // Non-ASCII letters are hashed as sent (UTF-8 bytes).
  EXPECT_EQ(user_code("Çakmak@example.com"), user_code("Çakmak@EXAMPLE.com"));
  EXPECT_NE(user_code("Çakmak@example.com"), user_code("çakmak@example.com"));
}

TEST(SertifikaGuid, AcceptsHyphenatedHexEitherCase) {
  EXPECT_TRUE(is_guid("64c9f080-2314-4f02-a43c-923d83e8e444"));
  EXPECT_TRUE(is_guid("64C9F080-2314-4F02-A43C-923D83E8E444"));
  EXPECT_FALSE(is_guid(""));
  EXPECT_FALSE(is_guid("64c9f080231440f02a43c923d83e8e444"));
  EXPECT_FALSE(is_guid("64c9f080-2314-4f02-a43c-923d83e8e44"));
  EXPECT_FALSE(is_guid("64c9f080-2314-4f02-a43c-923d83e8e4444"));
  EXPECT_FALSE(is_guid("64c9f080-2314-4f02-a43c_923d83e8e444"));
  EXPECT_FALSE(is_guid("g4c9f080-2314-4f02-a43c-923d83e8e444"));
  EXPECT_FALSE(is_guid("{64c9f080-2314-4f02-a43c-923d83e8e444}"));
}

TEST(SertifikaCreatedDate, SqlServerStyle100InUtc) {
  EXPECT_EQ(format_created_date(1441021320), "Aug 31 2015 11:42AM");  // the seed's sample
  EXPECT_EQ(format_created_date(1704488879), "Jan  5 2024  9:07PM");  // day and hour padded
  EXPECT_EQ(format_created_date(951782700), "Feb 29 2000 12:05AM");   // midnight is 12 AM
  EXPECT_EQ(format_created_date(1701432000), "Dec  1 2023 12:00PM");  // noon is 12 PM
  EXPECT_EQ(format_created_date(0), "Jan  1 1970 12:00AM");
  EXPECT_EQ(format_created_date(2147483648), "Jan 19 2038  3:14AM");  // past 32-bit seconds
  EXPECT_EQ(format_created_date(4107628799), "Mar  1 2100 11:59PM");
}

TEST(SertifikaVerificationCode, FortyRandomHexDigits) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string c = new_verification_code();
    ASSERT_EQ(c.size(), 40u);
    EXPECT_EQ(c.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(c);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(SertifikaStorage, PropertiesAndTagsRoundTrip) {
  std::vector<PropertyValue> props{{"alias_1", "Değer \"1\""}, {"alias_2", std::nullopt}};
  auto back = properties_from_storage(properties_to_storage(props));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].key, "alias_1");
  EXPECT_EQ(back[0].value, "Değer \"1\"");
  EXPECT_EQ(back[1].key, "alias_2");
  EXPECT_FALSE(back[1].value);
  std::vector<std::string> tags{"a", "b c"};
  EXPECT_EQ(meta_tags_from_storage(meta_tags_to_storage(tags)), tags);
  auto tp = template_properties_from_storage(R"([{"key":"k","title":"T"}])");
  ASSERT_EQ(tp.size(), 1u);
  EXPECT_EQ(tp[0].key, "k");
  EXPECT_EQ(tp[0].title, "T");
}
