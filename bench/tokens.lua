-- wrk script for bench/smart.sh: POST /oauth/token with the client_credentials requests in $BODIES
-- (form bodies, one per line, each with its own signed client assertion). Every assertion is
-- single-use (its jti), so each thread takes its own share of the lines and never repeats one; a run
-- that needs more than the file holds shows replays as "Non-2xx or 3xx responses" (invalid_client).
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do
  bodies[#bodies + 1] = line
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
  thread:set("of", tonumber(os.getenv("THREADS")))
end

local n = 0
function request()
  local body = bodies[(n * of + tid - 1) % #bodies + 1]
  n = n + 1
  return wrk.format("POST", "/oauth/token", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
