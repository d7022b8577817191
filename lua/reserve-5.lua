-- reserve-5.lua: one atomic reservation: window, idempotency, per-user limit, stock, deduction,
-- the reservation record and its outbox entry, all or nothing.
--
-- KEYS[1]  sale:{S}         hash written by warm-3.lua (available, perUserLimit, startsAt, ...)
-- KEYS[2]  sale:{S}:held    hash userId -> units held (reserved and not released)
-- KEYS[3]  sale:{S}:res     hash orderId -> "userId|quantity|reservedAt|expiresAt|state",
--                           state R (reserved) or X (released)
-- KEYS[4]  sale:{S}:idem    hash "userId|idempotencyKey" -> orderId
-- KEYS[5]  sale:{S}:outbox  stream; one entry per reservation: o orderId, u userId, q quantity,
--                           r reservedAt, e expiresAt (read by the outbox publisher)
-- ARGV[1]  userId
-- ARGV[2]  quantity (positive integer)
-- ARGV[3]  orderId for a new reservation (made by the caller, unique)
-- ARGV[4]  idempotency key, or "" for none
--
-- Returns (an array, first element the code)
--    {1, orderId, record}   RESERVED: units deducted, record and outbox entry written
--    {2, orderId, record}   REPLAYED: this user already used this idempotency key; the first
--                           reservation is answered again and nothing changes
--   {-1}                    SALE_NOT_FOUND
--   {-2}                    SALE_NOT_STARTED (now < startsAt)
--   {-3}                    SALE_ENDED (now >= endsAt)
--   {-4, held}              LIMIT_EXCEEDED: held + quantity > perUserLimit
--   {-5, available}         SOLD_OUT: available < quantity (available 0: the sale is empty)
--   {-6}                    BAD_ARGUMENTS: quantity is not a positive integer
--
-- The idempotency check comes before the window and limit checks, so a retried request gets
-- its first answer even after the sale ended or once its own units fill the user's limit.
-- Only reservations are remembered: a refused request holds nothing, so a retry of it is
-- decided afresh. Time is Redis TIME (effects replication makes that safe on replicas).

local user = ARGV[1]
local qty = tonumber(ARGV[2])
if not qty or qty < 1 or qty ~= math.floor(qty) then
  return {-6}
end

local sale = redis.call('HMGET', KEYS[1], 'available', 'perUserLimit', 'startsAt', 'endsAt', 'paymentWindow')
if not sale[1] then
  return {-1}
end

local idemField = false
if ARGV[4] ~= '' then
  idemField = user .. '|' .. ARGV[4]
  local first = redis.call('HGET', KEYS[4], idemField)
  if first then
    return {2, first, redis.call('HGET', KEYS[3], first)}
  end
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now < tonumber(sale[3]) then
  return {-2}
end
if now >= tonumber(sale[4]) then
  return {-3}
end

local held = tonumber(redis.call('HGET', KEYS[2], user) or '0')
if held + qty > tonumber(sale[2]) then
  return {-4, held}
end

local available = tonumber(sale[1])
if available < qty then
  return {-5, available}
end

local expiresAt = now + tonumber(sale[5])
local record = user .. '|' .. qty .. '|' .. now .. '|' .. expiresAt .. '|R'
redis.call('HINCRBY', KEYS[1], 'available', -qty)
redis.call('HINCRBY', KEYS[1], 'reservedUnits', qty)
redis.call('HINCRBY', KEYS[1], 'reservations', 1)
redis.call('HINCRBY', KEYS[2], user, qty)
redis.call('HSET', KEYS[3], ARGV[3], record)
if idemField then
  redis.call('HSET', KEYS[4], idemField, ARGV[3])
end
redis.call('XADD', KEYS[5], '*', 'o', ARGV[3], 'u', user, 'q', qty, 'r', now, 'e', expiresAt)
return {1, ARGV[3], record}
