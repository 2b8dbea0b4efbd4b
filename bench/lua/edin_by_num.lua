-- EDIN GetCertUA/GetCertsByNum over the preloaded certificate numbers.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  local count = tonumber(os.getenv("BENCH_EDIN_COUNT"))
  local token = os.getenv("BENCH_EDIN_TOKEN")
  local headers = {["Content-Type"] = "application/json"}
  math.randomseed(os.time() + tid)
  local out = {}
  for k = 1, math.min(count, 20000) do
    local body = string.format('{"varToken":"%s","num":"BENCH-EDIN-%d"}', token,
      math.random(0, count - 1))
    out[k] = wrk.format("POST", "/Api/V1/GetCertUA/GetCertsByNum", headers, body)
  end
  serve(out)
end
