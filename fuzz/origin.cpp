// Origin Connect requests (dialects/origin/parse): the first byte picks what is read, the rest is
// the body or, for the lookups, the request target with its query string. Bodies go through
// parse_body (JSON, trailing commas tolerated) and then parse_command or parse_search, as the
// handlers in dialects/origin/routes.cpp call them.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/input.hpp"
#include "core/limits.hpp"
#include "dialects/origin/parse.hpp"

using namespace certreg;
namespace dialect = certreg::dialects::origin;

namespace {

// The commands: 3 actions x 2 versions; then search; then the lookups: paged x standardType.
constexpr std::size_t kCommands = 6, kSearch = 6, kLookups = 7, kChoices = kLookups + 4;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = fuzz::split(data, size, kChoices);
  dialect::Messages messages;
  if (in.choice >= kLookups) {
    http::Request req;
    req.target = std::move(in.rest);
    std::size_t lookup = in.choice - kLookups;
    auto q = dialect::parse_lookup(req, lookup & 1, lookup & 2, messages);
    if (q.has_value() == !messages.empty()) std::abort();  // a refusal says why, and only then
    return 0;
  }
  json::Element root;
  if (!dialect::parse_body(in.rest, root, messages)) {
    if (messages.empty()) std::abort();
    return 0;
  }
  if (in.choice < kCommands) {
    auto action = static_cast<dialect::Action>(in.choice % 3);
    auto version = static_cast<dialect::Version>(in.choice / 3);
    auto cmd = dialect::parse_command(root, action, version, limits::kOriginMaxItems, messages);
    if (cmd.has_value() == !messages.empty()) std::abort();
    if (cmd && (cmd->items.empty() || cmd->items.size() > limits::kOriginMaxItems)) std::abort();
  } else if (in.choice == kSearch) {
    auto search = dialect::parse_search(root, messages);
    if (search.has_value() == !messages.empty()) std::abort();
  }
  return 0;
}
