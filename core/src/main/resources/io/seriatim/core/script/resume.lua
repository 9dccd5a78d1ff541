--[[
  resume: lets claims run again in one partition and wakes a waiting worker.

  KEYS[1] paused  string flag
  KEYS[2] bell    list

  Returns {0 OK}

  Keeps: no key changes state; only the pause flag goes.
]]
-- @include common.lua
redis.call('DEL', KEYS[1])
ring(KEYS[2])
return {0}
