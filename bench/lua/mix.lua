-- 90% IAF GET cert/{id} over the preloaded ids, 10% IAF upload-cert of new certificates.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_LUA_DIR") .. "/iaf.lua")

local gets, count, at, n = {}, 0, 0, 0

function init(args)
  gets = iaf_get_requests()
  count = #gets
end

function request()
  at = at + 1
  if at % 10 == 0 then
    n = n + 1
    return wrk.format("POST", "/api/client/v1/cb/upload-cert", IAF_HEADERS, iaf_record(n))
  end
  return gets[at % count + 1]
end
