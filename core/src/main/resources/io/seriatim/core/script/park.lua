--[[
  park: an operator holds a key: none of its jobs runs until unpark. A current lease is
  revoked (its holder's next ack / renew / fail is STALE).

  KEYS[1] ready  KEYS[2] leases  KEYS[3] owners  KEYS[4] parked  KEYS[5] queue

  ARGV[1] key  ARGV[2] reason

  Returns {0 OK} | {-3 NOT_FOUND: the key has no pending jobs} | {-5 ALREADY_PARKED}

  Keeps: the key moves from ready or leases into parked. A key with no jobs is never parked
  (a key without pending jobs is in none of ready / leases / parked).
]]
local ready, leases, owners, parked, queue = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local key, reason = ARGV[1], ARGV[2]
if redis.call('EXISTS', queue) == 0 then return {-3} end
if redis.call('HEXISTS', parked, key) == 1 then return {-5} end
redis.call('ZREM', ready, key)
redis.call('ZREM', leases, key)
redis.call('HDEL', owners, key)
redis.call('HSET', parked, key, reason)
return {0}
