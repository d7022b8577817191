-- wrk script of the sold-out benches (sold_out_rounds in lib.sh) and purchase-end-to-end.sh: POST
-- {"quantity":1} to the URL,
-- each request with the next buyer's token from TOKENS_FILE (one JWT a line; a file of one line
-- sends the same buyer every time). Thread k of THREADS takes lines k+1, k+1+THREADS, ... and goes
-- round them, so each buyer's requests are evenly spaced: N tokens at R req/s is R/N per buyer.
-- Every answer should be EXPECTED (409 by default: the sold-out problem, which the bare baseline
-- answers too; 202 for purchases with stock): the others are counted and printed as
-- "non-EXPECTED answers: N" when wrk is done.
-- Usage: wrk ... -s sold-out-wrk.lua URL -- TOKENS_FILE THREADS [EXPECTED]

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

local requests = {}
local next_request = 1
unexpected = 0 -- global, so that done() can read each thread's count
last_unexpected = 0 -- the status of the last answer that was not the expected one
expected = 409

function init(args)
  local file = args[1]
  local count = tonumber(args[2] or "1")
  expected = tonumber(args[3] or "409")
  local line_no = 0
  for line in io.lines(file) do
    if line ~= "" then
      if line_no % count == index then
        local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. line}
        requests[#requests + 1] = wrk.format("POST", nil, headers, '{"quantity":1}')
      end
      line_no = line_no + 1
    end
  end
  if #requests == 0 then
    error("thread " .. index .. " got no token from " .. file .. " (" .. line_no .. " tokens, " .. count .. " threads)")
  end
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    last_unexpected = status
  end
end

function done(summary, latency, reqs)
  local n, last = 0, 0
  for _, thread in ipairs(threads) do
    n = n + (thread:get("unexpected") or 0)
    if (thread:get("last_unexpected") or 0) ~= 0 then last = thread:get("last_unexpected") end
  end
  io.write(string.format("non-%d answers: %d\n", threads[1]:get("expected"), n))
  if n > 0 then io.write(string.format("last unexpected status: %d\n", last)) end
end
