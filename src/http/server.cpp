#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/limits.hpp"
#include "core/text.hpp"
#include "core/thread_name.hpp"
#include "http/beast.hpp"
#include "http/request_reader.hpp"

namespace certreg::http {

namespace bhttp = beast::http;

class Session;

struct Server::Impl {
  Impl(const Router& r, ServerOptions o) : router(r), options(std::move(o)), acceptor(ioc) {}

  const Router& router;
  ServerOptions options;
  // Declared before ioc: handlers still queued in ioc may own sessions, whose destructors use it.
  std::mutex sessions_mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::optional<net::signal_set> signals;
  std::optional<net::steady_timer> grace_timer;
  std::atomic<bool> stopping{false};

  void do_accept();
  void begin_stop();
  void maybe_finish();
};

class Session final : public ReplySink, public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }

  ~Session() override {
    std::lock_guard lock(server_.sessions_mu);
    server_.sessions.erase(this);
    if (server_.stopping && server_.sessions.empty())
      net::post(server_.ioc, [s = &server_] { s->maybe_finish(); });
  }

  void start() {
    {
      std::lock_guard lock(server_.sessions_mu);
      server_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // Called on the session's strand when the server begins a graceful stop. A connection waiting
  // for its next request with nothing received is closed; a request begun is finished first.
  void on_stop() {
    if (!awaiting_request_ || buffer_.size() > 0) {
      close_after_response_ = true;
    } else {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.close();
    }
  }

  net::any_io_executor executor() { return stream_.get_executor(); }

  void send(Response&& response) override {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this(), r = std::move(response)]() mutable {
                    self->write(std::move(r));
                  });
  }

 private:
  void read_header() {
    auto& parser = reader_.start();
    stream_.expires_after(server_.options.idle_timeout);
    awaiting_request_ = true;
    bhttp::async_read_header(stream_, buffer_, parser,
                             beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    awaiting_request_ = false;
    if (RequestReader::connection_ended(ec)) return close();
    request_ = Request{};
    request_.received = std::chrono::steady_clock::now();
    request_.remote = remote_;
    if (auto e = reader_.header_read(ec, server_.router, request_)) return fail(*e);

    stream_.expires_after(server_.options.request_timeout);
    if (text::iequals(request_.header("expect"), "100-continue")) {
      continue_.emplace(bhttp::status::continue_, reader_.parser().get().version());
      bhttp::async_write(stream_, *continue_,
                         [self = shared_from_this()](beast::error_code ec2, std::size_t) {
                           if (ec2) return self->close();
                           self->read_body();
                         });
      return;
    }
    read_body();
  }

  void read_body() {
    if (reader_.parser().is_done()) return on_body({}, 0);
    bhttp::async_read(stream_, buffer_, reader_.parser(),
                      beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (RequestReader::connection_ended(ec)) return close();
    if (auto e = reader_.body_read(ec, request_)) return fail(*e);
    keep_alive_ = reader_.parser().get().keep_alive();
    processing_ = true;
    server_.router.dispatch(request_, Reply(shared_from_this()));
  }

  // Replies to a request that cannot be read further, then closes the connection.
  void fail(HttpError e) {
    processing_ = true;
    close_after_response_ = true;
    drain_after_write_ = true;
    write(server_.router.error(request_, e));
  }

  void write(Response&& r) {
    if (!processing_) return;  // a second reply for one request is a handler bug; drop it
    processing_ = false;
    // The path only: query strings may carry credentials (EDIN's varToken), headers always do.
    if (spdlog::should_log(spdlog::level::debug))
      spdlog::debug("{} {} {} {:.1f} ms", method_name(request_.method), request_.path(), r.status,
                    request_.elapsed_seconds() * 1000);
    response_.emplace();
    response_->version(11);
    response_->result(static_cast<unsigned>(r.status));
    response_->set(bhttp::field::server, "certreg");
    if (!r.content_type.empty()) response_->set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) response_->set(k, v);
    response_->body() = std::move(r.body);
    bool keep = keep_alive_ && !r.close && !close_after_response_ && !server_.stopping;
    response_->keep_alive(keep);
    response_->prepare_payload();
    stream_.expires_after(server_.options.write_timeout);
    bhttp::async_write(stream_, *response_,
                       beast::bind_front_handler(&Session::on_write, shared_from_this(), keep));
  }

  void on_write(bool keep, beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec) return close();
    // A stop that began while the reply was being written (on_stop found a request in progress)
    // ends the connection here, as the reply's own Connection header could not say so.
    if (!keep || close_after_response_) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      if (drain_after_write_) return drain();
      return close();
    }
    read_header();
  }

  // After refusing a request whose body we did not read, read and discard what the client still
  // sends for a moment, so that closing does not reset the connection before it sees the reply.
  void drain() {
    stream_.expires_after(std::chrono::seconds(2));
    // Allocated only here: idle connections, of which there may be thousands, carry no buffer.
    if (drain_buffer_.empty()) drain_buffer_.resize(16 * 1024);
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->drain();
                            });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  Server::Impl& server_;
  RequestReader reader_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  std::string remote_;  // the client's address
  Request request_;
  bool keep_alive_ = true;
  bool awaiting_request_ = false;
  bool processing_ = false;
  bool close_after_response_ = false;
  bool drain_after_write_ = false;
  std::vector<char> drain_buffer_;
};

void Server::Impl::do_accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      // Typically EMFILE: back off briefly instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(50));
      timer->async_wait([this, timer](beast::error_code) { do_accept(); });
      return;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::make_shared<Session>(std::move(socket), *this)->start();
    do_accept();
  });
}

void Server::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  spdlog::info("stopping: finishing in-flight requests");
  beast::error_code ec;
  acceptor.close(ec);
  if (signals) signals->cancel(ec);
  std::vector<std::shared_ptr<Session>> live;
  {
    // The timer is armed under the lock: a session ending on another thread calls maybe_finish,
    // which cancels it.
    std::lock_guard lock(sessions_mu);
    grace_timer.emplace(ioc, limits::kShutdownGrace);
    grace_timer->async_wait([this](beast::error_code e) {
      if (e) return;
      spdlog::warn("stopping: grace period over, closing remaining connections");
      ioc.stop();
    });
    for (auto& [p, w] : sessions)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) net::dispatch(s->executor(), [s] { s->on_stop(); });
  live.clear();
  maybe_finish();
}

void Server::Impl::maybe_finish() {
  std::lock_guard lock(sessions_mu);
  if (stopping && sessions.empty()) {
    if (grace_timer) grace_timer->cancel();
    ioc.stop();
  }
}

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {
  auto& im = *impl_;
  tcp::endpoint ep(net::ip::make_address(im.options.host), im.options.port);
  im.acceptor.open(ep.protocol());
  im.acceptor.set_option(net::socket_base::reuse_address(true));
  im.acceptor.bind(ep);
  im.acceptor.listen(net::socket_base::max_listen_connections);
  // Catch SIGINT/SIGTERM from now on, so a signal that comes before run() still stops gracefully.
  im.signals.emplace(im.ioc, SIGINT, SIGTERM);
  im.signals->async_wait([&im](beast::error_code ec, int) {
    if (!ec) im.begin_stop();
  });
}

Server::~Server() = default;

std::uint16_t Server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
  auto& im = *impl_;
  im.do_accept();
  int n = std::max(1, im.options.threads);
  std::vector<std::thread> threads;
  threads.reserve(n - 1);
  for (int i = 1; i < n; ++i)
    threads.emplace_back([&im] {
      name_this_thread("certreg-http");
      im.ioc.run();
    });
  im.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  net::post(impl_->ioc, [im = impl_.get()] { im->begin_stop(); });
}

}  // namespace certreg::http
