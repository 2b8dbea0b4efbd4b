-- Shared by the wrk scenarios: thread numbering, and a done() hook that prints one JSON line
-- (BENCH_JSON {...}) for bench/bench.py to collect. No response() hook: wrk runs it in Lua for
-- every reply, which made wrk, not the server, the bottleneck; non-2xx/3xx replies are counted by
-- wrk itself (errors.status).
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
