--[[
  schedule_put: creates or replaces a recurring-job schedule, stored in the partition of the
  key its jobs go to (so firing a tick and enqueueing its job is one script in one slot).

  KEYS[1] schedules  hash  name -> encoded Schedule (key, payload, headers, cron, zone)
  KEYS[2] ticks      hash  name -> the last tick fired (ms)

  ARGV[1] name  ARGV[2] encoded Schedule
  ARGV[3] last tick carried over from another partition (the schedule's key moved), or ''

  Returns {0 OK}

  Keeps: a new schedule's last tick is now, so it never fires ticks from before it existed; a
  replaced schedule keeps its last tick (carried over when its key moved it to this partition),
  so replacing never fires a tick twice.
]]
-- @include common.lua
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] ~= '' then
  local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
  if tonumber(ARGV[3]) > current then redis.call('HSET', KEYS[2], ARGV[1], ARGV[3]) end
else
  redis.call('HSETNX', KEYS[2], ARGV[1], now_ms())
end
return {0}
