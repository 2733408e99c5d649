-- wrk script for bench/scheduling.sh: GET /join/{token} over the paths in $LINKS (one per line),
-- each request from another client address (X-Forwarded-For, trusted from loopback), so the
-- per-address limit is not what is measured. wrk prints "Non-2xx or 3xx responses" if any check
-- was refused (429 when a link's per-minute allowance ran out): a valid run shows none.
local paths = {}
for line in io.lines(os.getenv("LINKS")) do
  paths[#paths + 1] = line
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
function request()
  n = n + 1
  local path = paths[(n + tid * 7919) % #paths + 1] -- each thread walks all links, from its own start
  return wrk.format("GET", path, { ["X-Forwarded-For"] = "10." .. tid .. "." .. (math.floor(n / 250) % 250) .. "." .. (n % 250) })
end
