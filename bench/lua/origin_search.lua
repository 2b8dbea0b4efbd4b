-- Origin Connect certifications/search by EXTERNALID over the preloaded certifications.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  local count = tonumber(os.getenv("BENCH_ORIGIN_COUNT"))
  local headers = {["Content-Type"] = "application/json",
                   ["authorization"] = "Bearer origin-acme-token"}
  math.randomseed(os.time() + tid)
  local out = {}
  for k = 1, math.min(count, 20000) do
    local body = string.format('{"locale":"en","pageNumber":1,"pageSize":10,"searchCriteria":' ..
      '[{"name":"EXTERNALID","value":"BENCH-ORIGIN-%d"}]}', math.random(0, count - 1))
    out[k] = wrk.format("POST", "/connect/v1/certifications/search", headers, body)
  end
  serve(out)
end
