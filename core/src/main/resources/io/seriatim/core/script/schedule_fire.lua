--[[
  schedule_fire: turns one tick of a schedule into a job of its key, exactly once however many
  sweepers try (and after a sweeper restart): only a tick later than the last one fired counts.

  KEYS[1] schedules  KEYS[2] ticks  KEYS[3] seq  KEYS[4] stats
  (the key's list, ready and bell are reached through the prefix, as append_jobs does: same slot)

  ARGV[1] prefix  ARGV[2] name  ARGV[3] tickMs  ARGV[4] key  ARGV[5] partition
  ARGV[6] body    the job's encoded StoredJob body (payload, headers, and a header naming the tick):
                  the job is born here, so this script stamps its id and time (common.lua new_job)

  Returns {1 ENQUEUED, seq} | {0 OK: already fired (nothing written)} | {-3 NOT_FOUND: schedule gone}
          or the error reply "ERR the job sequence space of <seq> is used up" (nothing written)

  Keeps: ticks fire in increasing order, each at most once; the job is appended like an enqueue,
  so the main invariant holds.
]]
-- @include common.lua

local schedules, ticks, seq = KEYS[1], KEYS[2], KEYS[3]
local prefix, name, tick, key, partition = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
guard_slot({prefix .. 'q:' .. key, prefix .. 'ready', prefix .. 'bell', prefix .. 'stats', prefix .. 'leases',
  prefix .. 'parked'})
if redis.call('HEXISTS', schedules, name) == 0 then return {-3} end
local last = tonumber(redis.call('HGET', ticks, name) or '0')
if tick <= last then return {0} end
local now = now_ms()
local job, s = new_job(seq, partition, now, ARGV[6]) -- first: it may refuse, and the tick must not be recorded then
if not job then return seq_used_up(seq) end
redis.call('HSET', ticks, name, tick)
append_jobs(prefix, key, {job}, now)
redis.call('HINCRBY', KEYS[4], 'enqueued', 1)
redis.call('HINCRBY', KEYS[4], 'scheduled', 1)
return {1, s}
