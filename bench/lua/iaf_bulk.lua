-- IAF CB bulk-upload-cert, BENCH_BULK (100) new certifications per request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_LUA_DIR") .. "/iaf.lua")

local size = tonumber(os.getenv("BENCH_BULK"))
local n = 0
local batch = {}

function request()
  for k = 1, size do
    n = n + 1
    batch[k] = iaf_record(n)
  end
  return wrk.format("POST", "/api/client/v1/cb/bulk-upload-cert", IAF_HEADERS,
    '{"certifications":[' .. table.concat(batch, ",") .. "]}")
end
