--[[
  schedule_remove: deletes a schedule; jobs it already enqueued stay.

  KEYS[1] schedules  KEYS[2] ticks
  ARGV[1] name

  Returns {0 OK} | {-3 NOT_FOUND}

  Keeps: no tick of a removed schedule fires afterwards (schedule_fire checks it exists).
]]
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return {-3} end
redis.call('HDEL', KEYS[2], ARGV[1])
return {0}
