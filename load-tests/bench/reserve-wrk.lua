-- wrk script for reserve-path.sh and redis-wait.sh: POST /internal/sales/{id}/reservations, one
-- unit for a random user per request (the sale's perUserLimit is 1, so each fresh user reserves
-- once), with the gateway's credential, which stock-service's /internal routes require.
-- Usage: wrk ... -s reserve-wrk.lua URL -- <saleId> <gateway credential>
local path
local headers
local counter = 0
local thread_tag

function init(args)
  path = "/internal/sales/" .. args[1] .. "/reservations"
  headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[2]}
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  thread_tag = tostring(math.random(1, 1000000000))
end

function request()
  counter = counter + 1
  local body = '{"userId":"b' .. thread_tag .. '-' .. counter .. '","quantity":1}'
  return wrk.format("POST", path, headers, body)
end
