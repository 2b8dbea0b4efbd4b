-- GET /healthz: the HTTP ceiling of the same build.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
request = function() return wrk.format("GET", "/healthz") end
