-- wrk script: replays the feed requests `flexwork bench requests` printed
-- (token, tab, body, one a line; the file named by FEED_REQUESTS), each
-- thread from its own offset, against the server or the floor alike.
--
--   FEED_REQUESTS=/tmp/feed.req wrk -t2 -c32 -d20s -s scripts/wrk-feed.lua http://127.0.0.1:18080/graphql
local lines = {}
for line in io.lines(os.getenv("FEED_REQUESTS")) do
  local token, body = line:match("^([^\t]+)\t(.*)$")
  lines[#lines + 1] = { token = token, body = body }
end

local counter = 0
function setup(thread)
  thread:set("offset", counter * 997)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  local r = lines[(offset + i) % #lines + 1]
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. r.token,
  }, r.body)
end

-- A GraphQL error is a 4xx from the server and a 5xx from the floor: wrk
-- counts both as "Non-2xx or 3xx responses".
function done(summary, latency, requests)
  io.write(string.format("p50 %.1f ms  p99 %.1f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
