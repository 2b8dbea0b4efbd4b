-- IAF CertSearch requests of the demo CB (cb-bsi-key), shared by the iaf_* and mix scenarios.
IAF_HEADERS = {["Content-Type"] = "application/json", ["x-http-authorization"] = "cb-bsi-key"}

-- BENCH_RUN, the thread and a per-thread counter make every certificate number unique.
local run = os.getenv("BENCH_RUN")
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

-- The n-th upload-cert record of this thread (n counts from 1).
function iaf_record(n)
  return string.format(template, run, tid, n, n % 1000, run, tid, n)
end

-- GET cert/{id} requests over the sampled preloaded ids (BENCH_IDS), in random order.
function iaf_get_requests()
  local ids = lines(os.getenv("BENCH_IDS"))
  math.randomseed(os.time() + tid)
  local out = {}
  for k = 1, math.min(#ids, 20000) do
    out[k] = wrk.format("GET", "/api/client/v1/cb/cert/" .. ids[math.random(#ids)],
      {["x-http-authorization"] = "cb-bsi-key"})
  end
  return out
end
