// Outcomes that every layer may raise and every dialect renders in its own envelope.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace certreg {

// A field path ("schemes[0].scheme_name") and what is wrong with it, in the order found.
class FieldErrors {
 public:
  void add(std::string path, std::string message) {
    items_.emplace_back(std::move(path), std::move(message));
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// The request is well-formed but breaks a rule that needs stored data to check.
struct ValidationFailed : std::runtime_error {
  explicit ValidationFailed(FieldErrors e)
      : std::runtime_error("validation failed"), errors(std::move(e)) {}
  ValidationFailed(std::string path, std::string message)
      : std::runtime_error("validation failed") {
    errors.add(std::move(path), std::move(message));
  }
  FieldErrors errors;
};

// The object does not exist, or belongs to another tenant (the two must look the same).
struct NotFound : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The caller is known but may not do this.
struct Forbidden : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace certreg
