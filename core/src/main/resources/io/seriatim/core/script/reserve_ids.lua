--[[
  reserve_ids: hands a caller a block of job sequence numbers of one partition, and the Redis
  time, so that the caller can stamp ids and submit times into jobs itself (enqueue_many,
  enqueue_delayed).
  Stamping in Lua cost more Redis time than the enqueue around it (a varint and a string
  concatenation per job); a block is one INCRBY for thousands of jobs.

  KEYS[1] seq     the partition's sequence counter (`{tag}:seq`)
  (the block's marker `{tag}:ids:<firstSeq>` is built from the prefix: same slot; it is
  written with the INCRBY, so Redis loses both or neither)

  ARGV[1] prefix  `{tag}:` (PartitionKeys.prefix)
  ARGV[2] count   how many sequence numbers, >= 1
  ARGV[3] markerTtlMs  longer than the caller uses a block

  Returns {firstSeq, nowMs}: the block is firstSeq .. firstSeq + count - 1; or, writing nothing,
  the error reply "ERR the job sequence space of <seq> is used up" when the partition's 2^43
  numbers (ids must stay exact in Lua's doubles) are used up.

  Keeps: blocks never overlap, with each other or with the numbers schedule_fire takes one by
  one from the same counter: every job id is handed out once. A block is used only while its
  marker lives: should Redis lose the INCRBY (a restart that lost its last second of AOF
  everysec, a failover to a replica that lagged, a flush), it loses the marker too, and
  enqueue_many and enqueue_delayed refuse jobs stamped from that block (IDS_LOST) instead of
  storing an id that the counter will hand out again.
]]
-- @include common.lua

local prefix, count, markerTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local last = take_seq(KEYS[1], count)
if not last then return seq_used_up(KEYS[1]) end
local first = last - count + 1
redis.call('SET', prefix .. 'ids:' .. first, count, 'PX', markerTtl)
return {first, now_ms()}
