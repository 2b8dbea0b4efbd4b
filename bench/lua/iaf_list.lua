-- IAF CB GET cert?limit=20&offset=P (offset is a page index), pages drawn across all the
-- BENCH_IAF_PAGES pages of the preload: deep pages cost what OFFSET costs.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  local pages = tonumber(os.getenv("BENCH_IAF_PAGES"))
  math.randomseed(os.time() + tid)
  local out = {}
  for k = 1, 5000 do
    local page = math.random(0, pages - 1)
    out[k] = wrk.format("GET", "/api/client/v1/cb/cert?limit=20&offset=" .. page,
      {["x-http-authorization"] = "cb-bsi-key"})
  end
  serve(out)
end
