--[[
  release: the holder gives a key back (graceful shutdown, or a worker that cannot go on),
  so another worker may take it at once. Not an attempt.

  KEYS[1] ready  KEYS[2] leases  KEYS[3] owners  KEYS[4] bell

  ARGV[1] key  ARGV[2] workerId  ARGV[3] fence

  Returns {0 OK} | {-1 STALE}

  Keeps: the key moves from leases to ready (it has jobs: a leased key always has).
]]
-- @include common.lua

local ready, leases, owners, bell = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local key, worker, fence = ARGV[1], ARGV[2], ARGV[3]
if not is_owner(owners, key, fence, worker) then return {-1} end
redis.call('ZREM', leases, key)
redis.call('HDEL', owners, key)
redis.call('ZADD', ready, now_ms(), key)
ring(bell)
return {0}
