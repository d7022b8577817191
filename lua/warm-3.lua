-- warm-3.lua: puts a sale's definition and counters into Redis, idempotently.
--
-- KEYS[1]  sale:{S}         hash: item, stock, perUserLimit, startsAt, endsAt (epoch ms),
--                           paymentWindow (ms), available, reservedUnits, releasedUnits, reservations,
--                           botDefense
-- KEYS[2]  sale:{S}:res     hash orderId -> reservation record (only its size is read here)
-- KEYS[3]  sale:{S}:outbox  stream of reservations to publish (its consumer group is created here)
-- ARGV[1]  item
-- ARGV[2]  stock (units)
-- ARGV[3]  perUserLimit (units)
-- ARGV[4]  startsAt (epoch ms)
-- ARGV[5]  endsAt (epoch ms)
-- ARGV[6]  paymentWindow (ms)
-- ARGV[7]  outbox consumer group name
-- ARGV[8]  botDefense: 'none' or 'proof-of-work:N' (contracts BotDefense.toText); absent = 'none'.
--          A hash without the field (warmed before it existed) counts as 'none'.
--
-- Returns
--    1  created: the sale was not in Redis
--    0  identical: the same definition is already warm; nothing changed
--    2  replaced: a different definition was there, but it was neither live nor reserved from
--   -1  SALE_LIVE: a different definition is live (now in [startsAt, endsAt)) or has
--       reservations; nothing changed (overwriting would reset stock under buyers' feet)
--
-- The clock is Redis TIME, the same clock reserve-5.lua uses for the sale window.

local fields = {'item', 'stock', 'perUserLimit', 'startsAt', 'endsAt', 'paymentWindow'}
local current = redis.call('HMGET', KEYS[1], unpack(fields))
local defense = ARGV[8] or 'none'

local function ensureGroup()
  -- BUSYGROUP when it exists already: the group must survive re-warming, its pending
  -- entries are reservations not yet published.
  redis.pcall('XGROUP', 'CREATE', KEYS[3], ARGV[7], '0', 'MKSTREAM')
end

if current[1] then
  local same = (redis.call('HGET', KEYS[1], 'botDefense') or 'none') == defense
  for i = 1, #fields do
    if current[i] ~= ARGV[i] then
      same = false
    end
  end
  if same then
    ensureGroup()
    return 0
  end
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local live = now >= tonumber(current[4]) and now < tonumber(current[5])
  if live or redis.call('HLEN', KEYS[2]) > 0 then
    return -1
  end
end

redis.call('HSET', KEYS[1],
  'item', ARGV[1], 'stock', ARGV[2], 'perUserLimit', ARGV[3],
  'startsAt', ARGV[4], 'endsAt', ARGV[5], 'paymentWindow', ARGV[6],
  'available', ARGV[2], 'reservedUnits', 0, 'releasedUnits', 0, 'reservations', 0, 'botDefense', defense)
ensureGroup()
if current[1] then
  return 2
end
return 1
