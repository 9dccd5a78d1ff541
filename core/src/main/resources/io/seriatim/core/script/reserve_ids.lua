--[[
  reserve_ids: hands a caller a block of job sequence numbers of one partition, and the Redis
  time, so that the caller can stamp ids and submit times into jobs itself (enqueue_many).
  Stamping in Lua cost more Redis time than the enqueue around it (a varint and a string
  concatenation per job); a block is one INCRBY for thousands of jobs.

  KEYS[1] seq   the partition's sequence counter (`{ns:p}:seq`)

  ARGV[1] count  how many sequence numbers, >= 1

  Returns {firstSeq, nowMs}: the block is firstSeq .. firstSeq + count - 1.

  Keeps: blocks never overlap, with each other or with the numbers enqueue, enqueue_delayed and
  schedule_fire take one by one from the same counter: every job id is handed out once (as long
  as Redis keeps the counter; see docs/redis-layout.md on AOF everysec).
]]
-- @include common.lua

local count = tonumber(ARGV[1])
local last = redis.call('INCRBY', KEYS[1], count)
return {last - count + 1, now_ms()}
