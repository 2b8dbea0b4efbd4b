-- Shared by the wrk scenarios: thread numbering, a round-robin server of preformatted requests, and
-- a done() hook that prints one JSON line (BENCH_JSON {...}) for bench/bench.py to collect.
-- No response() hook: wrk runs it in Lua for every reply, which made wrk, not the server, the
-- bottleneck; non-2xx/3xx replies are counted by wrk itself (errors.status).
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

-- The lines of a file bench.py wrote (ids).
function lines(path)
  local out = {}
  for line in io.lines(path) do out[#out + 1] = line end
  return out
end

-- Scripts whose requests can be formatted in init() hand them to serve(); request() then only
-- indexes a table. It must be a global function when the script loads, or wrk sends one request
-- over and over.
local list, count, at = {}, 0, 0

function serve(requests)
  list, count = requests, #requests
end

function request()
  at = at % count + 1
  return list[at]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
