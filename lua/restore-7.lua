-- restore-7.lua: puts back a sale that Redis lost, from what MySQL holds (the operator's recovery,
-- docs/redis-recovery.md), atomically, and never over a sale Redis still holds.
--
-- KEYS[1]  sale:{S}                   hash: definition and counters (as warm-3.lua writes them)
-- KEYS[2]  sale:{S}:held              hash userId -> units held
-- KEYS[3]  sale:{S}:res               hash orderId -> "userId|quantity|reservedAt|expiresAt|state"
-- KEYS[4]  sale:{S}:idem              hash "userId|idempotencyKey" -> orderId (only checked: MySQL
--                                     has no idempotency keys, so none comes back)
-- KEYS[5]  sale:{S}:outbox            stream of reservations to publish (its group is created here)
-- KEYS[6]  sale:{S}:restore:T:held    staged per-user held units, written before this script
-- KEYS[7]  sale:{S}:restore:T:res     staged records, state R, one per order awaiting payment
-- ARGV[1]  item
-- ARGV[2]  stock (units)
-- ARGV[3]  perUserLimit (units)
-- ARGV[4]  startsAt (epoch ms)
-- ARGV[5]  endsAt (epoch ms)
-- ARGV[6]  paymentWindow (ms)
-- ARGV[7]  available (units), MySQL's sale.available
-- ARGV[8]  how many records were staged in KEYS[7] (orders awaiting payment)
-- ARGV[9]  how many users were staged in KEYS[6] (users holding units, awaiting or paid)
-- ARGV[10] outbox consumer group name
-- ARGV[11] botDefense: 'none' or 'proof-of-work:N' (as warm-3.lua writes it); absent = 'none'
--
-- Returns
--    1  RESTORED: the staged hashes became the sale's held and res hashes, the sale hash was
--       written with available = ARGV[7], reservedUnits = stock - available, releasedUnits = 0,
--       reservations = ARGV[8] (so available + held = stock, as stats-1.lua reads it)
--   -1  SALE_LIVE: Redis holds the sale (its hash, held, res or idem key exists, or its outbox
--       has entries); nothing changed. A restore must never overwrite what Redis knows: it is
--       newer than MySQL (reservations not yet persisted), and restoring over it resells units.
--   -2  INCOMPLETE: the staged hashes do not hold ARGV[8] records and ARGV[9] users (a staging
--       write was lost or the staged keys expired); nothing changed. The caller stages anew.
--
-- Why staging: a sale can have 100k live orders. One EVAL carrying them all would be a
-- multi-megabyte command that blocks Redis while it is parsed and run. So the caller writes the
-- records and holdings beforehand, in chunks of plain HSETs, into keys of their own that no
-- other script reads (named with a token per restore, with a TTL in case the restore is
-- abandoned; the same hash tag, so one cluster slot). The sale does not exist meanwhile, so
-- reserve-5.lua answers SALE_NOT_FOUND and release-3.lua SALE_ABSENT (the release is retried
-- until this script has run). This script then checks, renames (O(1) each: nothing is copied)
-- and writes the sale hash: the sale appears whole or not at all.
--
-- Restored reservations are not written to the outbox: MySQL has their orders already, and their
-- payment-timeout timers are in the broker. A restored record's later release returns its units
-- once, as for any reservation. Paid orders have no record (nothing will release them); their
-- units count in held and in reservedUnits.

local live = redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
if live > 0 or redis.call('XLEN', KEYS[5]) > 0 then
  return -1
end

local records = redis.call('HLEN', KEYS[7])
local users = redis.call('HLEN', KEYS[6])
if records ~= tonumber(ARGV[8]) or users ~= tonumber(ARGV[9]) then
  return -2
end

-- RENAME keeps the staged keys' TTL: PERSIST, or the restored sale would expire with it
if records > 0 then
  redis.call('RENAME', KEYS[7], KEYS[3])
  redis.call('PERSIST', KEYS[3])
end
if users > 0 then
  redis.call('RENAME', KEYS[6], KEYS[2])
  redis.call('PERSIST', KEYS[2])
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1],
  'item', ARGV[1], 'stock', ARGV[2], 'perUserLimit', ARGV[3],
  'startsAt', ARGV[4], 'endsAt', ARGV[5], 'paymentWindow', ARGV[6],
  'available', ARGV[7], 'reservedUnits', tonumber(ARGV[2]) - tonumber(ARGV[7]),
  'releasedUnits', 0, 'reservations', ARGV[8], 'restoredAt', now, 'botDefense', ARGV[11] or 'none')
-- BUSYGROUP when an empty stream with its group survived: keep it
redis.pcall('XGROUP', 'CREATE', KEYS[5], ARGV[10], '0', 'MKSTREAM')
return 1
