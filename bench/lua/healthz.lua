-- GET /healthz: the HTTP ceiling of the same build (same wrk setup as the other scenarios).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local req
function init(args) req = wrk.format("GET", "/healthz") end
request = function() return req end
