-- release-4.lua: returns a reservation's units to the sale, exactly once.
--
-- KEYS[1]  sale:{S}       hash (available, releasedUnits)
-- KEYS[2]  sale:{S}:held  hash userId -> units held
-- KEYS[3]  sale:{S}:res   hash orderId -> "userId|quantity|reservedAt|expiresAt|state"
-- KEYS[4]  sale:{S}:retired  the tombstone retire-6.lua leaves
-- ARGV[1]  orderId
--
-- Returns
--   {1, quantity}   RELEASED: the units are available again, the user's held count is lower
--   {0, quantity}   ALREADY_RELEASED: an earlier call returned them; nothing changed
--   {-1}            UNKNOWN: the sale is here but has no such reservation; nothing changed
--   {-2}            SALE_ABSENT: the sale is not in Redis (Redis came back empty and the sale is
--                   not restored yet); nothing changed. The caller retries later: once the sale
--                   is restored from MySQL, a reservation that was live there is a record again.
--   {-3}            RETIRED: the sale ended, settled and was retired (retire-6.lua); the release
--                   came after its retention period and has nothing left to return units to
--
-- The record's state flips R -> X in the same step that returns the units, so a redelivered
-- release message finds X and returns nothing a second time.

if redis.call('EXISTS', KEYS[1]) == 0 then
  if redis.call('EXISTS', KEYS[4]) == 1 then
    return {-3}
  end
  return {-2}
end
local record = redis.call('HGET', KEYS[3], ARGV[1])
if not record then
  return {-1}
end
local user, qty, reservedAt, expiresAt, state = string.match(record, '^(.*)|(%d+)|(%d+)|(%d+)|(%a)$')
qty = tonumber(qty)
if state == 'X' then
  return {0, qty}
end

redis.call('HSET', KEYS[3], ARGV[1], user .. '|' .. qty .. '|' .. reservedAt .. '|' .. expiresAt .. '|X')
if redis.call('HINCRBY', KEYS[2], user, -qty) <= 0 then
  redis.call('HDEL', KEYS[2], user)
end
redis.call('HINCRBY', KEYS[1], 'available', qty)
redis.call('HINCRBY', KEYS[1], 'releasedUnits', qty)
return {1, qty}
