--[[
  enqueue_delayed: records jobs of one key that must not run before a given time. They get their
  ids and submit time now, and wait in the partition's delayed zset until promote_delayed appends
  them to the key's strand.

  KEYS[1] delayed   zset  member = be64(seq) .. key .. '\n' .. stored job; score = due time (ms)
  KEYS[2] seq       string, job sequence counter of the partition
  KEYS[3] stats     hash
  KEYS[4] dedup     string `{ns:p}:dedup:<id>\n<key>` (optional, as in enqueue)

  ARGV[1] key
  ARGV[2] partition
  ARGV[3] dedupTtlMs
  ARGV[4] runAtMs   absolute due time on the Redis clock, or -1 to use ARGV[5]
  ARGV[5] delayMs   due = now + delay (used when runAtMs is -1)
  ARGV[6..] bodies  encoded StoredJob bodies

  Returns {1 ENQUEUED, firstSeq, count, nowMs, dueMs} | {2 DUPLICATE, firstSeq, count, nowMs, -1}
          or the error reply "ERR the job sequence space of <seq> is used up" (nothing written)

  Keeps: delayed jobs are not pending: the key's list, ready / leases / parked and the pending
  counter are untouched, so the main invariant holds trivially. The be64(seq) prefix makes jobs
  due in the same millisecond sort in submission order.
]]
-- @include common.lua

local delayed, seq, stats, dedup = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local key, partition, dedupTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local runAt, delay = tonumber(ARGV[4]), tonumber(ARGV[5])
local count = #ARGV - 5
local now = now_ms()

if dedup then
  local seen = redis.call('GET', dedup)
  if seen then
    local first, n = string.match(seen, '^(%d+):(%d+)$')
    return {2, tonumber(first), tonumber(n), now, -1}
  end
end

local due = runAt
if due < 0 then due = now + delay end
local last = take_seq(seq, count)
if not last then return seq_used_up(seq) end
local first = last - count + 1
local stamp = '\16' .. varint(now)
local args = {}
for i = 1, count do
  local s = first + i - 1
  args[#args + 1] = due
  args[#args + 1] = be64(s) .. key .. '\n' .. id_prefix(s * 1024 + partition) .. stamp .. ARGV[5 + i]
end
redis.call('ZADD', delayed, unpack(args))
redis.call('HINCRBY', stats, 'delayed', count)
if dedup then
  redis.call('SET', dedup, first .. ':' .. count, 'PX', dedupTtl)
end
return {1, first, count, now, due}
