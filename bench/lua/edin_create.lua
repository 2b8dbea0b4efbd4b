-- EDIN Certificate/Create with a new certificate number per request, with the session token
-- bench.py obtained from User/Authorize (BENCH_EDIN_TOKEN).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local run = os.getenv("BENCH_RUN")
local template = '{"varToken":"' .. os.getenv("BENCH_EDIN_TOKEN") .. '",' ..
  '"cert_number":"%s-%d-%d","cert_date":"05.06.2018","cert_sub_type":"1","cert_type":"8",' ..
  '"cert_start_date":"30.06.2018","cert_end_date":"29.07.2028",' ..
  '"cert_gln_creator":"9864066822454","cert_lot_number":"lot-1","cert_gtd":"gtd-1"}'
local headers = {["Content-Type"] = "application/json"}
local n = 0

function request()
  n = n + 1
  return wrk.format("POST", "/Api/V1/Certificate/Create", headers,
    string.format(template, run, tid, n))
end
