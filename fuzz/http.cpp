// The HTTP request path: raw bytes, as a client sends them on one connection, read by the
// session's own parsing (http::RequestReader: Beast's parser with the limits of core/limits.hpp,
// the route's body limit) and dispatched through the router to the real handlers, on a database
// (common/app.hpp). Pipelined requests are read one after another while the connection stays
// open, as a session does. Checks that each reply is one a client can read (a real status, header
// values without line breaks) and not a 500: that is an input some handler did not expect.
#include <boost/beast/_experimental/test/stream.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/app.hpp"
#include "http/request_reader.hpp"

using namespace certreg;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

void check(const http::Response& r) {
  if (r.status < 100 || r.status > 599 || r.status == 500) std::abort();
  for (const auto& [name, value] : r.headers)
    if (name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos)
      std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& app = fuzz::App::instance();
  boost::asio::io_context ioc;
  beast::test::stream connection(ioc);
  connection.append(app.with_edin_token({reinterpret_cast<const char*>(data), size}));
  connection.close_remote();

  beast::flat_buffer buffer;
  http::RequestReader reader;
  for (;;) {
    auto& parser = reader.start();
    beast::error_code ec;
    bhttp::read_header(connection, buffer, parser, ec);
    if (http::RequestReader::connection_ended(ec)) break;
    http::Request request;
    request.remote = "192.0.2.1";
    if (auto e = reader.header_read(ec, app.router(), request)) {
      check(app.router().error(request, *e));
      break;
    }
    if (!parser.is_done()) bhttp::read(connection, buffer, parser, ec);
    if (http::RequestReader::connection_ended(ec)) break;
    if (auto e = reader.body_read(ec, request)) {
      check(app.router().error(request, *e));
      break;
    }
    bool keep_alive = parser.get().keep_alive();
    auto response = app.handle(request);
    check(response);
    if (!keep_alive || response.close) break;
  }
  return 0;
}
