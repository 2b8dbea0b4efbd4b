#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

#include "core/text.hpp"
#include "json/reader.hpp"
#include "json/writer.hpp"

namespace cj = certreg::json;
using Json = nlohmann::json;
using namespace std::string_literals;

namespace {

std::string quote_json(std::string_view s) {
  std::string out;
  cj::append_quoted(out, s);
  return out;
}

// Parses `body` and returns the root (valid until the next parse on this thread).
cj::Element parsed(const std::string& body) {
  cj::Element root;
  EXPECT_EQ(cj::parse(body, root), cj::ParseStatus::ok) << body;
  return root;
}

std::string nested_arrays(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

// ---- Writer ----

TEST(JsonWriter, NestingCommasAndFieldOrder) {
  cj::Writer w;
  w.begin_object()
      .field("zeta", 1)
      .field("alpha", "x")
      .key("list")
      .begin_array()
      .value(1)
      .value(true)
      .null()
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .begin_object()
      .field("k", false)
      .field_null("n")
      .end_object()
      .end_array()
      .key("empty")
      .begin_object()
      .end_object()
      .end_object();
  EXPECT_EQ(w.str(),
            R"({"zeta":1,"alpha":"x","list":[1,true,null,{},[],{"k":false,"n":null}],"empty":{}})");
  EXPECT_TRUE(Json::accept(w.str()));
}

TEST(JsonWriter, TopLevelValuesAndArrays) {
  cj::Writer a;
  a.begin_array().value("a").value("b").begin_array().value(1).value(2).end_array().end_array();
  EXPECT_EQ(a.str(), R"(["a","b",[1,2]])");
  cj::Writer s;
  s.value("only");
  EXPECT_EQ(s.take(), R"("only")");
}

TEST(JsonWriter, Scalars) {
  cj::Writer w;
  w.begin_array()
      .value(0)
      .value(-42)
      .value(std::numeric_limits<std::int64_t>::max())
      .value(std::numeric_limits<std::int64_t>::min())
      .value(true)
      .value(false)
      .null()
      .value(std::optional<std::string>{})
      .value(std::optional<std::string>{"s"})
      .value(std::string("str"))
      .end_array();
  EXPECT_EQ(w.str(),
            R"([0,-42,9223372036854775807,-9223372036854775808,true,false,null,null,"s","str"])");
}

TEST(JsonWriter, Doubles) {
  cj::Writer w;
  w.begin_array()
      .value(1.5)
      .value(-0.25)
      .value(0.1)
      .value(1e300)
      .value(2.0)
      .value(std::nan(""))
      .value(std::numeric_limits<double>::infinity())
      .value(-std::numeric_limits<double>::infinity())
      .end_array();
  Json j = Json::parse(w.str());
  ASSERT_EQ(j.size(), 8u);
  EXPECT_EQ(j[0].get<double>(), 1.5);
  EXPECT_EQ(j[1].get<double>(), -0.25);
  EXPECT_EQ(j[2].get<double>(), 0.1);  // shortest representation round-trips exactly
  EXPECT_EQ(j[3].get<double>(), 1e300);
  EXPECT_EQ(j[4].get<double>(), 2.0);
  EXPECT_TRUE(j[5].is_null());
  EXPECT_TRUE(j[6].is_null());
  EXPECT_TRUE(j[7].is_null());
}

TEST(JsonWriter, Raw) {
  cj::Writer w;
  w.begin_object().field_raw("schemes", R"([{"a":1}])").field("n", 2).key("r").raw("null");
  w.end_object();
  EXPECT_EQ(w.str(), R"({"schemes":[{"a":1}],"n":2,"r":null})");
}

TEST(JsonWriter, EscapesQuotesBackslashAndControls) {
  EXPECT_EQ(quote_json(R"(say "hi" \ bye)"), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(quote_json("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(quote_json("a\x01z"), R"("a\u0001z")");
  EXPECT_EQ(quote_json("\x1f"), R"("\u001f")");
  EXPECT_EQ(quote_json("\0"s), R"("\u0000")");
  EXPECT_EQ(quote_json("/"), R"("/")");
  EXPECT_EQ(quote_json(""), R"("")");
  // Keys are escaped too.
  cj::Writer w;
  w.begin_object().field("k\"\x02", 1).end_object();
  EXPECT_EQ(w.str(), R"({"k\"\u0002":1})");
  EXPECT_EQ(Json::parse(w.str()).begin().key(), "k\"\x02");
}

TEST(JsonWriter, KeepsValidMultibyte) {
  for (std::string s : {"chaîne", "인증서", "Сертифікат", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"})
    EXPECT_EQ(quote_json(s), "\"" + s + "\"");
}

TEST(JsonWriter, ReplacesInvalidUtf8) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(quote_json("a\xFF"
                       "b"),
            "\"a" + fffd + "b\"");
  EXPECT_EQ(quote_json("\xC0\xAF"), "\"" + fffd + fffd + "\"");             // overlong
  EXPECT_EQ(quote_json("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");  // surrogate
  EXPECT_EQ(quote_json("\xF4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");
  EXPECT_EQ(quote_json("x\xE2\x82"), "\"x" + fffd + fffd + "\"");  // truncated at the end
  EXPECT_EQ(quote_json("\xC3"
                       "\""),
            "\"" + fffd + "\\\"\"");  // a lead byte does not swallow the quote
  for (auto s : {"a\xFF"s, "\xC0\xAF"s, "x\xE2\x82"s, "\xED\xA0\x80"s})
    EXPECT_TRUE(Json::accept(quote_json(s)));
}

// Random strings, valid and not, always produce JSON that a strict parser accepts; valid UTF-8
// comes back unchanged.
TEST(JsonWriter, RandomStringsRoundTrip) {
  std::mt19937 rng(12345);
  const std::vector<std::string> pieces = {"a",      "Z",   " ",  "\"",   "\\",
                                           "/",      "\n",  "\t", "\x01", "\x1f",
                                           "\x7f",   "\0"s, "é",  "인",   "\xF0\x9F\x98\x80",
                                           "\u2028", "{",   "}",  "[",    "]",
                                           ":",      ","};
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    int n = static_cast<int>(rng() % 24);
    bool bytes = round % 3 == 0;  // every third string is arbitrary bytes
    for (int i = 0; i < n; ++i) {
      if (bytes)
        s.push_back(static_cast<char>(rng() % 256));
      else
        s += pieces[rng() % pieces.size()];
    }
    cj::Writer w;
    w.begin_object().field(s, s).key("list").begin_array().value(s).value(round).end_array();
    w.end_object();
    Json j;
    ASSERT_NO_THROW(j = Json::parse(w.str())) << w.str();
    ASSERT_TRUE(j.is_object());
    ASSERT_EQ(j["list"][1].get<int>(), round);
    const std::string back = j["list"][0].get<std::string>();
    EXPECT_TRUE(certreg::text::valid_utf8(back));
    if (certreg::text::valid_utf8(s)) {
      EXPECT_EQ(back, s);
      EXPECT_EQ(j.count(s), 1u);
    }
  }
}

// ---- Reader ----

TEST(JsonReader, ParseStatus) {
  cj::Element root;
  EXPECT_EQ(cj::parse("", root), cj::ParseStatus::empty);
  EXPECT_EQ(cj::parse(" \r\n\t ", root), cj::ParseStatus::empty);
  for (const std::string bad : {R"({"a":tru})", "{} {}", R"({"a":"abc)", "[1,]", "{'a':1}",
                                R"({"a" 1})", "nul", "{", R"({"a":1,})", "\"\xFF\"", "[01]", "x"})
    EXPECT_EQ(cj::parse(bad, root), cj::ParseStatus::malformed) << bad;
  for (const std::string good : {"{}", "[]", "42", "\"s\"", "null", " {\"a\":[1,2]} \n"})
    EXPECT_EQ(cj::parse(good, root), cj::ParseStatus::ok) << good;
}

TEST(JsonReader, Depth) {
  cj::Element root;
  EXPECT_EQ(cj::parse(nested_arrays(60), root), cj::ParseStatus::ok);
  EXPECT_EQ(cj::parse(nested_arrays(100), root), cj::ParseStatus::too_deep);
  std::string objects;
  for (int i = 0; i < 100; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100, '}');
  EXPECT_EQ(cj::parse(objects, root), cj::ParseStatus::too_deep);
}

TEST(JsonReader, LargeDocument) {
  // Larger than the parser's initial capacity.
  std::string big = "[\"" + std::string(200 * 1024, 'x') + "\"]";
  auto root = parsed(big);
  cj::Array a;
  ASSERT_EQ(root.get(a), simdjson::SUCCESS);
  EXPECT_EQ(cj::as_string(a.at(0).value())->size(), 200u * 1024);
}

TEST(JsonReader, TypeOf) {
  using cj::Type;
  auto root = parsed(
      R"({"n":null,"s":"x","i":-5,"u":18446744073709551615,"d":3.5,"b":true,"o":{},"a":[]})");
  cj::Object o;
  ASSERT_EQ(root.get(o), simdjson::SUCCESS);
  auto type = [&](const char* k) { return cj::type_of(*cj::find(o, k)); };
  EXPECT_EQ(type("n"), Type::null);
  EXPECT_EQ(type("s"), Type::string);
  EXPECT_EQ(type("i"), Type::integer);
  EXPECT_EQ(type("u"), Type::integer);
  EXPECT_EQ(type("d"), Type::number);
  EXPECT_EQ(type("b"), Type::boolean);
  EXPECT_EQ(type("o"), Type::object);
  EXPECT_EQ(type("a"), Type::array);
  EXPECT_STREQ(cj::type_name(Type::integer), "number");
  EXPECT_STREQ(cj::type_name(Type::number), "number");
  EXPECT_STREQ(cj::type_name(Type::string), "string");
  EXPECT_STREQ(cj::type_name(Type::boolean), "boolean");
  EXPECT_STREQ(cj::type_name(Type::object), "object");
  EXPECT_STREQ(cj::type_name(Type::array), "array");
  EXPECT_STREQ(cj::type_name(Type::null), "null");
}

TEST(JsonReader, TypedViews) {
  auto root = parsed(
      R"({"i":3,"f3":3.0,"f35":3.5,"big":1e20,"neg":-7.0,"s":"3","t":true,"n":null,"u":"é\u0041"})");
  cj::Object o;
  ASSERT_EQ(root.get(o), simdjson::SUCCESS);
  auto at = [&](const char* k) { return *cj::find(o, k); };
  EXPECT_EQ(cj::as_int(at("i")), 3);
  EXPECT_EQ(cj::as_int(at("f3")), 3);
  EXPECT_EQ(cj::as_int(at("neg")), -7);
  EXPECT_EQ(cj::as_int(at("f35")), std::nullopt);
  EXPECT_EQ(cj::as_int(at("big")), std::nullopt);
  EXPECT_EQ(cj::as_int(at("s")), std::nullopt);
  EXPECT_EQ(cj::as_int(at("t")), std::nullopt);
  EXPECT_EQ(cj::as_double(at("f35")), 3.5);
  EXPECT_EQ(cj::as_double(at("s")), std::nullopt);
  EXPECT_EQ(cj::as_string(at("s")), "3");
  EXPECT_EQ(cj::as_string(at("u")), "éA");
  EXPECT_EQ(cj::as_string(at("i")), std::nullopt);
  EXPECT_EQ(cj::as_string(at("n")), std::nullopt);
  EXPECT_EQ(cj::as_bool(at("t")), true);
  EXPECT_EQ(cj::as_bool(at("s")), std::nullopt);
  EXPECT_EQ(cj::as_bool(at("n")), std::nullopt);
}

TEST(JsonReader, Find) {
  auto root = parsed(R"({"a":1,"n":null,"A":2})");
  cj::Object o;
  ASSERT_EQ(root.get(o), simdjson::SUCCESS);
  EXPECT_TRUE(cj::find(o, "a"));
  EXPECT_EQ(cj::as_int(*cj::find(o, "A")), 2);  // keys are case-sensitive
  auto n = cj::find(o, "n");
  ASSERT_TRUE(n);  // present with a null value is not absent
  EXPECT_EQ(cj::type_of(*n), cj::Type::null);
  EXPECT_FALSE(cj::find(o, "missing"));
  EXPECT_FALSE(cj::find(o, ""));
}

TEST(JsonReader, ToString) {
  auto root = parsed(" { \"a\" : [ 1 , 2.5 , \"x y\" ] , \"b\" : { } , \"c\" : null } ");
  EXPECT_EQ(cj::to_string(root), R"({"a":[1,2.5,"x y"],"b":{},"c":null})");
  cj::Object o;
  ASSERT_EQ(root.get(o), simdjson::SUCCESS);
  EXPECT_EQ(cj::to_string(*cj::find(o, "a")), R"([1,2.5,"x y"])");
  auto s = parsed(R"("q\"\\\n\u0001é")");
  EXPECT_EQ(Json::parse(cj::to_string(s)).get<std::string>(), "q\"\\\n\x01é");
}
