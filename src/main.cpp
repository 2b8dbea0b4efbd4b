// certreg: serve, provision, migrate, --version.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#include "admin/copy.hpp"
#include "admin/provisioning.hpp"
#include "application.hpp"
#include "http/server.hpp"
#include "store/db.hpp"

namespace {

using namespace certreg;

// Parses HOST:PORT ("127.0.0.1:8080", "[::1]:8080", ":8080").
http::ServerOptions parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen must be HOST:PORT");
  http::ServerOptions o;
  o.host = listen.substr(0, colon);
  if (o.host.size() >= 2 && o.host.front() == '[' && o.host.back() == ']')
    o.host = o.host.substr(1, o.host.size() - 2);
  if (o.host.empty()) o.host = "0.0.0.0";
  int port = std::stoi(listen.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::invalid_argument("--listen port out of range");
  o.port = static_cast<std::uint16_t>(port);
  return o;
}

int provision_file(store::Database& db, const std::string& path) {
  auto doc = admin::parse_provisioning_file(path);
  int changes = admin::apply_provisioning(db, doc);
  spdlog::info("provisioned {}: {} change{}", path, changes, changes == 1 ? "" : "s");
  return changes;
}

// certreg copy: a progress bar on a terminal, a line per table otherwise, then the checks.
int copy(const std::string& from_url, const std::string& to_url, bool replace) {
  store::DatabaseOptions dbo;
  dbo.readers = 1;
  auto from = store::open_database(from_url, dbo);
  auto to = store::open_database(to_url, dbo);
  bool tty = isatty(STDERR_FILENO);
  std::string last_table;
  auto checks = admin::copy_database(
      *from, *to, replace,
      [&](const std::string& table, std::int64_t rows, std::int64_t done, std::int64_t total) {
        int pct = total ? static_cast<int>(done * 100 / total) : 100;
        if (tty) {
          int bar = pct * 30 / 100;
          std::fprintf(stderr, "\r[%-30s] %3d%%  %-28s %10lld rows", std::string(bar, '#').c_str(),
                       pct, table.c_str(), static_cast<long long>(rows));
        } else if (table != last_table && !last_table.empty()) {
          std::fprintf(stderr, "copied %s\n", last_table.c_str());
        }
        last_table = table;
      });
  std::fprintf(stderr, tty ? "\n" : "copied %s\n", last_table.c_str());
  bool ok = true;
  std::printf("%-28s %12s %12s  %s\n", "table", "source rows", "target rows", "checksum");
  for (const auto& c : checks) {
    ok = ok && c.matches();
    std::printf("%-28s %12lld %12lld  %s\n", c.table.c_str(), static_cast<long long>(c.source_rows),
                static_cast<long long>(c.target_rows),
                c.matches() ? c.source_checksum.c_str() : "MISMATCH");
  }
  std::printf(ok ? "copy verified: every table has the same rows and content\n"
                 : "copy FAILED verification\n");
  from->stop();
  to->stop();
  return ok ? 0 : 3;
}

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
  std::string provision;
  std::string sync = "full";
  std::string admin_token;
  std::size_t iaf_bulk_max = limits::kIafDefaultBulkRecords;
  std::string public_url;
  int async_workers = 1;
  bool edin_mirror_http_status = false;
  bool edin_strict_gln = false;
  int idle_timeout = static_cast<int>(limits::kIdleTimeout.count());
  int request_timeout = static_cast<int>(limits::kRequestTimeout.count());
  int write_timeout = static_cast<int>(limits::kWriteTimeout.count());
  std::string rate_limit;  // "N/s"; empty: none
  double rate_burst = 0;
};

// Each connection holds a descriptor and the default soft limit is often 1024: take what the hard
// limit allows, so that thousands of idle keep-alive clients do not lock others out.
void raise_open_file_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur >= r.rlim_max) return;
  r.rlim_cur = r.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &r) != 0) spdlog::warn("could not raise the open file limit");
}

int serve(const std::string& db_url, const ServeOptions& o) {
  auto listen = parse_listen(o.listen);
  std::optional<http::RateLimit> rate_limit;
  if (!o.rate_limit.empty()) rate_limit = http::RateLimit::parse(o.rate_limit, o.rate_burst);
  int threads = o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  listen.threads = threads;
  raise_open_file_limit();
  listen.idle_timeout = std::chrono::seconds(o.idle_timeout);
  listen.request_timeout = std::chrono::seconds(o.request_timeout);
  listen.write_timeout = std::chrono::seconds(o.write_timeout);

  store::DatabaseOptions dbo;
  dbo.readers = threads;
  dbo.sync_full = o.sync != "normal";
  auto db = store::open_database(db_url, dbo);
  if (!o.provision.empty()) provision_file(*db, o.provision);

  Application app(*db, {o.admin_token,
                        o.iaf_bulk_max,
                        o.public_url,
                        o.async_workers,
                        {o.edin_mirror_http_status, o.edin_strict_gln}});
  if (rate_limit) app.router().set_rate_limit(*rate_limit);

  http::Server server(app.router(), listen);
  std::string host =
      listen.host.find(':') != std::string::npos ? "[" + listen.host + "]" : listen.host;
  // Tests and scripts read this line to learn the port when --listen asks for port 0.
  std::cout << "certreg " CERTREG_VERSION " listening on http://" << host << ":" << server.port()
            << " (" << db->engine() << ", " << threads << " threads)" << std::endl;
  server.run();
  app.stop();
  db->stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("certreg"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App app{"certreg: a certification registry server"};
  app.set_version_flag("--version", std::string("certreg ") + CERTREG_VERSION + "\n");
  app.require_subcommand(1);
  std::string db_url = "sqlite:data/certreg.db";
  std::string log_level = "info";
  app.add_option("--db", db_url, "sqlite:PATH or postgresql://... (default sqlite:data/certreg.db)")
      ->envname("CERTREG_DB");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->envname("CERTREG_LOG_LEVEL");
  app.fallthrough();  // --db and --log-level may also follow the subcommand

  ServeOptions so;
  auto* serve_cmd = app.add_subcommand("serve", "run the HTTP server");
  serve_cmd
      ->add_option("--listen", so.listen, "HOST:PORT (default 127.0.0.1:8080; port 0 picks one)")
      ->envname("CERTREG_LISTEN");
  serve_cmd->add_option("--threads", so.threads, "HTTP worker threads (default: CPU cores)")
      ->check(CLI::Range(0, 256));
  serve_cmd->add_option("--provision", so.provision, "apply this provisioning file at start")
      ->check(CLI::ExistingFile);
  serve_cmd->add_option("--sync", so.sync, "full (fsync every commit, default) or normal")
      ->check(CLI::IsMember({"full", "normal"}));
  serve_cmd->add_option("--admin-token", so.admin_token, "enables POST /admin/v1/provision")
      ->envname("CERTREG_ADMIN_TOKEN");
  serve_cmd
      ->add_option("--iaf-bulk-max", so.iaf_bulk_max, "records per IAF bulk upload (default 100)")
      ->check(CLI::Range(1, 100000));
  serve_cmd
      ->add_option("--public-url", so.public_url,
                   "base URL clients reach this server at, for Origin poolingCallback URLs "
                   "(default: http://<Host header>)")
      ->envname("CERTREG_PUBLIC_URL");
  serve_cmd
      ->add_option("--async-workers", so.async_workers,
                   "threads running accepted asynchronous requests (default 1; 0: none)")
      ->check(CLI::Range(0, 64));
  serve_cmd->add_flag("--edin-http-status", so.edin_mirror_http_status,
                      "EDIN replies use intCode as their HTTP status (default: always 200)");
  serve_cmd->add_flag("--edin-strict-gln", so.edin_strict_gln,
                      "EDIN checks GS1 check digits of GLNs (default: 13 digits suffice)");
  serve_cmd
      ->add_option("--idle-timeout", so.idle_timeout,
                   "seconds a connection may wait before its next request's header is complete")
      ->check(CLI::Range(1, 3600));
  serve_cmd
      ->add_option("--request-timeout", so.request_timeout,
                   "seconds to read a request's body once its header is in")
      ->check(CLI::Range(1, 3600));
  serve_cmd
      ->add_option("--write-timeout", so.write_timeout,
                   "seconds a client has to take a response before it is dropped")
      ->check(CLI::Range(1, 3600));
  serve_cmd
      ->add_option("--rate-limit", so.rate_limit,
                   "requests per credential, as N/s or N/m; beyond: 429 (default: no limit)")
      ->envname("CERTREG_RATE_LIMIT");
  serve_cmd
      ->add_option("--rate-burst", so.rate_burst,
                   "requests a credential may make at once (default: one second's worth)")
      ->envname("CERTREG_RATE_BURST");

  std::string provision_path;
  auto* provision_cmd = app.add_subcommand("provision", "apply a provisioning file and exit");
  provision_cmd->add_option("file", provision_path, "provisioning document (JSON)")
      ->required()
      ->check(CLI::ExistingFile);

  auto* migrate_cmd = app.add_subcommand("migrate", "apply pending schema migrations and exit");

  std::string copy_from, copy_to;
  bool copy_replace = false;
  auto* copy_cmd =
      app.add_subcommand("copy", "copy every table to another database, then compare them");
  copy_cmd->add_option("--from", copy_from, "source database URL")->required();
  copy_cmd->add_option("--to", copy_to, "target database URL")->required();
  copy_cmd->add_flag("--replace", copy_replace, "empty a target that already holds data first");

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));

  try {
    if (*serve_cmd) return serve(db_url, so);
    store::DatabaseOptions dbo;
    dbo.readers = 1;
    if (*provision_cmd) {
      auto db = store::open_database(db_url, dbo);
      provision_file(*db, provision_path);
      return 0;
    }
    if (*copy_cmd) return copy(copy_from, copy_to, copy_replace);
    if (*migrate_cmd) {
      // Opening a database applies its pending migrations.
      store::open_database(db_url, dbo);
      spdlog::info("database is up to date");
      return 0;
    }
  } catch (const admin::ProvisionError& e) {
    spdlog::error("provisioning rejected, nothing applied: {}", e.what());
    return 2;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}
