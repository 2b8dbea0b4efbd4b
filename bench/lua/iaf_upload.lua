-- IAF CB upload-cert, a new certificate number (and certified entity) per request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_LUA_DIR") .. "/iaf.lua")

local n = 0

function request()
  n = n + 1
  return wrk.format("POST", "/api/client/v1/cb/upload-cert", IAF_HEADERS, iaf_record(n))
end
