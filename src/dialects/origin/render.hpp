// Origin Connect replies: the envelope {"status", "result", "connectRequest"}, error codes, and
// certifications in the shape of an update request (what CertificationsSearch returns).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/origin.hpp"
#include "core/origin_service.hpp"
#include "http/message.hpp"
#include "json/writer.hpp"

namespace certreg::dialects::origin {

// The documented error codes and their texts, verbatim (spelling included).
inline constexpr std::string_view kCE00000 =
    "CE00000 - An unexpected error occured and the request was not processed. Contact API support";
inline constexpr std::string_view kCE00001 =
    "CE00001 - Connect request failed validation. Refer to provided messages for details.";
inline constexpr std::string_view kCE00002 = "CE00002 - Service access require authorization.";
inline constexpr std::string_view kCE00003 =
    "CE00003 - Connect request was unable to complete. One or more paid package feature "
    "conditions not met or limit exceeded.";

// {"status": {"state": "SUCCESS"}, "result": <result_json>, "connectRequest": <echo>}
http::Response success(std::string_view result_json, std::string_view connect_request_json);
// {"status": {"state": "ERROR", "code": code, "messages": [...]}, "connectRequest": <echo>}
http::Response failure(int http_status, std::string_view code,
                       const std::vector<std::string>& messages,
                       std::string_view connect_request_json);

// The "result" object of a finished create / update / delete.
std::string outcome_result(const certreg::origin::Outcome& outcome);
// Messages for problems found against stored data.
std::vector<std::string> problem_messages(const std::vector<certreg::origin::Problem>& problems);

void write_certification(json::Writer& w, const certreg::origin::Certification& c,
                         std::string_view locale);

}  // namespace certreg::dialects::origin
