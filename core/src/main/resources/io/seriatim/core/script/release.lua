--[[
  release: the holder gives a key back (graceful shutdown, or a worker that cannot go on),
  so another worker may take it at once. Not an attempt.

  KEYS[1] ready  KEYS[2] leases  KEYS[3] owners  KEYS[4] bell  KEYS[5] deferred
  (for a key with a waiting operator act, the parked hash and its staged list are reached
  through the prefix: same slot)

  ARGV[1] prefix  `{tag}:` (PartitionKeys.prefix)
  ARGV[2] key  ARGV[3] workerId  ARGV[4] fence

  Returns {0 OK} | {-1 STALE}

  Keeps: the key moves from leases to ready (it has jobs: a leased key always has), or to
  parked when an operator's park waited for this lease (operator_acts.lua).
]]
-- @include common.lua
-- @include operator_acts.lua

local ready, leases, owners, bell, deferred = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix, key, worker, fence = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local act = parse_act(redis.call('HGET', deferred, key))
if act then
  local guarded = {}
  act_keys(prefix, key, act, guarded)
  guard_slot(guarded)
end
if not is_owner(owners, key, fence, worker) then return {-1} end
local now = now_ms()
redis.call('ZREM', leases, key)
redis.call('HDEL', owners, key)
redis.call('ZADD', ready, now, key)
ring(bell)
if act then settle_act(prefix, key, act, now) end
return {0}
