-- IAF CB GET cert/{id}, ids picked at random from the preloaded set (BENCH_IDS file).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
math.randomseed(os.time() + (tid or 0))

request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/client/v1/cb/cert/" .. id, {["x-http-authorization"] = "cb-bsi-key"})
end
