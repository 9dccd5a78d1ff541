--[[
  unpark: lets a parked key run again, its head job with a fresh set of attempts.

  KEYS[1] ready  KEYS[2] parked  KEYS[3] attempts  KEYS[4] bell  KEYS[5] queue

  ARGV[1] key

  Returns {0 OK} | {-4 NOT_PARKED}

  Keeps: the key moves from parked to ready (a parked key always has jobs).
]]
-- @include common.lua

local ready, parked, attempts, bell, queue = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local key = ARGV[1]
if redis.call('HDEL', parked, key) == 0 then return {-4} end
redis.call('HDEL', attempts, key)
if redis.call('EXISTS', queue) == 1 then
  redis.call('ZADD', ready, now_ms(), key)
  ring(bell)
end
return {0}
