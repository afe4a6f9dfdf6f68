-- wrk script for Benchmarks/policy.sh: GET /v1/visitors/{id}/recommendations?k=10 over visitor ids read from
-- $CURIO_BENCH_VISITORS (default policy, explanations included).
local ids = {}
local counter = 0

function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

function init(args)
  for line in io.lines(os.getenv("CURIO_BENCH_VISITORS")) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  index = offset or 0
end

function request()
  index = index + 1
  return wrk.format("GET", "/v1/visitors/" .. ids[(index % #ids) + 1] .. "/recommendations?k=10")
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
