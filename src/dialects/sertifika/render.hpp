// Sertifika Merkezi replies: the {"status", "messageList"} envelope, the messages of issuing and
// revoking, and the shapes of the GET endpoints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/sertifika.hpp"
#include "core/sertifika_service.hpp"
#include "http/message.hpp"

namespace certreg::dialects::sertifika {

namespace cs = certreg::sertifika;

inline constexpr std::string_view kDenied = "Authorization has been denied for this request.";

// {"status": "OK" | "ERROR", "messageList": [...]}
http::Response envelope(int http_status, std::string_view status,
                        const std::vector<std::string>& messages);
http::Response error(int http_status, std::string message);
// A reply whose body is one JSON string.
http::Response json_string(int http_status, std::string_view s);
// Any JSON body with status 200.
http::Response ok(std::string body);

// "company : '<id>' is undefined", "certificate : '<id>' is undefined",
// "userCode : '<code>' is undefined"
std::string undefined_message(const cs::Undefined& u);
// "id", "name", ..., "property <key>"
std::string reason(const cs::ItemProblem& p);
// "1-success-<email>", "2-error-<reason>", ..., "Success count :<k>", "Error count :<m>"
std::vector<std::string> issue_messages(const std::vector<cs::ItemResult>& results);
std::string deleted_message(std::string_view user_code);
std::string not_deleted_message(std::string_view user_code);
// "email : '<e>' is deleted" / "email : '<e>' is undefined or is deleted"
std::vector<std::string> revocation_messages(const std::vector<cs::Revocation>& results);

std::string templates_json(const std::vector<cs::Template>& templates);
std::string people_json(const std::vector<cs::Person>& people);
std::string certificates_of_json(const cs::Company& company, const std::vector<cs::Holding>& hs);
std::string template_detail_json(const cs::Template& t);
std::string holders_json(const std::vector<cs::Holding>& hs);
std::string holder_json(const cs::Holding& h);

}  // namespace certreg::dialects::sertifika
