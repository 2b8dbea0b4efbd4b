// The one include for Boost.Beast and Asio. Boost 1.74's Asio uses std::exchange without including
// <utility>, which breaks under GCC 12 in C++20 mode; including it first fixes that.
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace certreg::http {
namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
}  // namespace certreg::http
