-- GET /healthz: the HTTP ceiling of the same build (same wrk setup as the other scenarios).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args) serve({wrk.format("GET", "/healthz")}) end
