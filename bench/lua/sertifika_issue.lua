-- Sertifika Merkezi POST certificate/: one certificate per request, to a new person each time.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local run = os.getenv("BENCH_RUN")
local template = '{"certificateItem":[{"id":"64c9f080-2314-4f02-a43c-923d83e8e444",' ..
  '"Name":"Ayşe","Surname":"Yılmaz","Email":"%s.%d.%d@bench.example.com","Hour":12,' ..
  '"Point":85.5,"Educator":"Bench","Properties":[{"key":"alias_1434977880189",' ..
  '"value":"C# Eğitimi"}],"metaTag":[{"value":"bench"}],"isPrivate":false}]}'
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "sm-advancity-token"}
local n = 0

function request()
  n = n + 1
  return wrk.format("POST", "/api/v1.0/certificate/", headers, string.format(template, run, tid, n))
end
