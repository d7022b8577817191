-- stats-1.lua: a consistent snapshot of one sale's definition and counters (one atomic read).
--
-- KEYS[1]  sale:{S}
--
-- Returns
--   {}  the sale is not in Redis
--   {item, stock, perUserLimit, startsAt, endsAt, paymentWindow,
--    available, reservedUnits, releasedUnits, reservations, botDefense}
--   botDefense is nil for a sale warmed before the field existed (read as 'none').
--   Units held now are reservedUnits - releasedUnits; available + held = stock always holds.

if redis.call('EXISTS', KEYS[1]) == 0 then
  return {}
end
return redis.call('HMGET', KEYS[1], 'item', 'stock', 'perUserLimit', 'startsAt', 'endsAt',
  'paymentWindow', 'available', 'reservedUnits', 'releasedUnits', 'reservations', 'botDefense')
