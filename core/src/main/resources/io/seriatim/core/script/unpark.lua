--[[
  unpark: lets a parked key run again, its head job with a fresh set of attempts; or withdraws a
  park that still waits for the key's holder (see park.lua), which keeps the key.

  KEYS[1] ready  KEYS[2] parked  KEYS[3] attempts  KEYS[4] bell  KEYS[5] queue  KEYS[6] deferred

  ARGV[1] key

  Returns {0 OK} | {4 CANCELLED: the waiting park is withdrawn} | {-4 NOT_PARKED}

  Keeps: the key moves from parked to ready (a parked key always has jobs, and no holder: park
  never ends a lease); a leased key keeps its lease.
]]
-- @include common.lua
-- @include operator_acts.lua

local ready, parked, attempts, bell, queue, deferred = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local key = ARGV[1]
if redis.call('HDEL', parked, key) == 1 then
  redis.call('HDEL', attempts, key)
  if redis.call('EXISTS', queue) == 1 then
    redis.call('ZADD', ready, now_ms(), key)
    ring(bell)
  end
  return {0}
end
local act = parse_act(redis.call('HGET', deferred, key))
if not (act and act.park) then return {-4} end
if act.head then
  act.park, act.reason = false, ''
  redis.call('HSET', deferred, key, act_value(act))
else
  redis.call('HDEL', deferred, key)
end
return {4}
