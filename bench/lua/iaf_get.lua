-- IAF CB GET cert/{id} over the preloaded ids.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
dofile(os.getenv("BENCH_LUA_DIR") .. "/iaf.lua")

function init(args) serve(iaf_get_requests()) end
