-- retire-6.lua: removes an ended, settled sale from Redis, leaving a small tombstone.
--
-- KEYS[1]  sale:{S}          hash (endsAt, paymentWindow, ...)
-- KEYS[2]  sale:{S}:held     hash userId -> units held
-- KEYS[3]  sale:{S}:res      hash orderId -> reservation record
-- KEYS[4]  sale:{S}:idem     hash "userId|key" -> orderId
-- KEYS[5]  sale:{S}:outbox   stream of reservations to publish
-- KEYS[6]  sale:{S}:retired  string: when the sale was retired (epoch ms), expires after ARGV[1]
-- ARGV[1]  retention (ms), counted from the end of the last payment window (endsAt + paymentWindow)
--
-- Returns
--    1  RETIRED: the sale's keys are gone, the tombstone is written
--    0  KEPT: the retention period has not passed, or the outbox still holds entries
--   -1  ABSENT: the sale is not in Redis (already retired, or never warmed here)
--
-- Why these checks: every order of the sale expires by endsAt + paymentWindow, and the timer or
-- the lost-timer sweep settles it shortly after, so once the retention has passed nothing but a
-- late release can still touch the sale. An outbox entry is a buyer's 202 not yet published as an
-- order: while one is there the sale stays, whatever the clock says. The tombstone lets a late
-- release be told apart from a Redis that came back empty (release-4.lua). The clock is Redis
-- TIME, the clock the reservations used.

if redis.call('EXISTS', KEYS[1]) == 0 then
  return -1
end
local sale = redis.call('HMGET', KEYS[1], 'endsAt', 'paymentWindow')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local retention = tonumber(ARGV[1])
if now < tonumber(sale[1]) + tonumber(sale[2]) + retention then
  return 0
end
if redis.call('EXISTS', KEYS[5]) == 1 and redis.call('XLEN', KEYS[5]) > 0 then
  return 0
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
redis.call('SET', KEYS[6], now, 'PX', retention)
return 1
