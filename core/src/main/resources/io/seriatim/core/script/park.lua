--[[
  park: an operator holds a key: none of its jobs starts until unpark. A key that is leased
  stays with its holder until the lease ends (ack, fail, release or expiry): the park waits in
  `deferred` and takes effect then, so no job of the key starts while the holder may still run one.

  KEYS[1] ready  KEYS[2] leases  KEYS[3] owners  KEYS[4] parked  KEYS[5] queue  KEYS[6] deferred

  ARGV[1] key  ARGV[2] reason

  Returns {0 OK}                                     parked now
          {3 DEFERRED, fence, workerId, deadlineMs}  parks when this holder's lease ends (also
                                                     for a repeat: the first reason stays)
          {-3 NOT_FOUND: the key has no pending jobs} | {-5 ALREADY_PARKED}

  Keeps: a key moves from ready into parked; a leased key keeps its lease, owner and fence. A key
  with no jobs is never parked (a key without pending jobs is in none of ready / leases / parked).
]]
-- @include common.lua
-- @include operator_acts.lua

local ready, leases, owners, parked, queue, deferred = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local key, reason = ARGV[1], ARGV[2]
if redis.call('EXISTS', queue) == 0 then return {-3} end
if redis.call('HEXISTS', parked, key) == 1 then return {-5} end
local owner = parse_owner(redis.call('HGET', owners, key))
if owner then
  local act = parse_act(redis.call('HGET', deferred, key)) or {park = false, head = false}
  if not act.park then
    act.park, act.reason = true, reason
    redis.call('HSET', deferred, key, act_value(act))
  end
  return {3, tonumber(owner.fence), owner.worker, tonumber(redis.call('ZSCORE', leases, key) or '-1')}
end
redis.call('ZREM', ready, key)
redis.call('HSET', parked, key, reason)
return {0}
