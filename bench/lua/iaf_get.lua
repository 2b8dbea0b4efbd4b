-- IAF CB GET cert/{id}, over the preloaded ids (BENCH_IDS file), requests formatted once at start
-- so that wrk spends its time on the network, not in Lua.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local requests = {}
local n = 0
local i = 0

function init(args)
  local ids = {}
  for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
  math.randomseed(os.time() + (tid or 0))
  local headers = {["x-http-authorization"] = "cb-bsi-key"}
  for k = 1, math.min(#ids, 20000) do
    local id = ids[math.random(#ids)]
    requests[k] = wrk.format("GET", "/api/client/v1/cb/cert/" .. id, headers)
  end
  n = #requests
end

request = function()
  i = i % n + 1
  return requests[i]
end
