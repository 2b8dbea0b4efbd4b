-- IAF CB upload-cert with a unique certificate number per request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local n = 0
local run = os.getenv("BENCH_RUN") or "r"
local template = [[{"certificate_number":"%s-%d-%d","certification_status":"active",
"certificate_accreditation_status":"Accredited","certification_type":"Management System",
"certification_scope":"Design and manufacture of widgets","certification_original_issue_date":"20170203",
"certification_issue_date":"20230101","certification_expiry_date":"20260101",
"certified_entity_name":"Widget Works %d","certified_entity_unique_id":"ce-%s-%d-%d",
"certified_entity_street_address":"1 Main Street","certified_entity_street_city":"London",
"certified_entity_post_code":"EC1A 1BB","certified_entity_country":"United Kingdom",
"confidential_certified_entity":false,"accreditation_body_name":"United Kingdom Accreditation Service",
"accreditation_body_acronym_name":"UKAS",
"schemes":[{"scheme_name":"ISO 9001","standard_list":[{"standards_name":"ISO 9001:2015"}]}],
"sites":[{"street":"1 Main Street","city":"London","country":"United Kingdom","postcode":"EC1A 1BB"}]}]]

request = function()
  n = n + 1
  local body = string.format(template, run, tid, n, n % 1000, run, tid, n)
  return wrk.format("POST", "/api/client/v1/cb/upload-cert",
    {["Content-Type"] = "application/json", ["x-http-authorization"] = "cb-bsi-key"}, body)
end
