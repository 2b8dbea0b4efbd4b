-- Origin Connect certifications/update with collection changes on preloaded certifications: each
-- thread picks up to 5,000 of them, ADDs its own brand and contact to each in one pass and REMOVEs
-- them in the next, so documents keep their size however long the run.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local add = '{"certifications":[{"locale":"en","externalId":"BENCH-ORIGIN-%d",' ..
  '"brands":[{"name":"Bench Brand %d","website":"https://brand.example.com",' ..
  '"collectionBehavior":"ADD"}],"contacts":[{"externalId":"BENCH-K-%d","type":"VENDOR",' ..
  '"name":"Bench Contact","email":"contact@example.com","collectionBehavior":"ADD"}]}]}'
local remove = '{"certifications":[{"locale":"en","externalId":"BENCH-ORIGIN-%d",' ..
  '"brands":[{"name":"Bench Brand %d","collectionBehavior":"REMOVE"}],' ..
  '"contacts":[{"externalId":"BENCH-K-%d","collectionBehavior":"REMOVE"}]}]}'

function init(args)
  local count = tonumber(os.getenv("BENCH_ORIGIN_COUNT"))
  local headers = {["Content-Type"] = "application/json",
                   ["authorization"] = "Bearer origin-acme-token"}
  math.randomseed(os.time() + tid)
  local picks = {}
  for k = 1, math.min(count, 5000) do picks[k] = math.random(0, count - 1) end
  local out = {}
  for _, template in ipairs({add, remove}) do
    for _, i in ipairs(picks) do
      out[#out + 1] = wrk.format("POST", "/connect/v1/certifications/update", headers,
        string.format(template, i, tid, tid))
    end
  end
  serve(out)
end
