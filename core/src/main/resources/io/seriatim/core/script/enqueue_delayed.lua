--[[
  enqueue_delayed: records jobs of one key that must not run before a given time. They come
  stamped with their ids and submit time, as enqueue_many's do (from a reserve_ids block), and
  wait in the partition's delayed zset until promote_delayed appends them to the key's strand.

  KEYS[1] delayed   zset  member = be64(seq) .. key .. '\n' .. stored job; score = due time (ms)
  KEYS[2] stats     hash
  (the dedup key and the block's marker are built from the prefix: same slot)

  ARGV[1] prefix      `{tag}:` (PartitionKeys.prefix)
  ARGV[2] key
  ARGV[3] dedupId     '' = none; remembered as `{tag}:dedup:<id>\n<key>`, as enqueue_many does
  ARGV[4] dedupTtlMs  how long the dedup id is remembered
  ARGV[5] runAtMs     absolute due time on the Redis clock, or -1: due = now + delayMs
  ARGV[6] delayMs
  ARGV[7] firstSeq    the jobs carry the ids of firstSeq, firstSeq + 1, ..., in order
  ARGV[8] blockFirst  first number of the reserve_ids block they are from: its marker must still
                      exist, or Redis has lost the block (see reserve_ids.lua)
  ARGV[9..] jobs      stored jobs, id and submit time in front (JobCodec.encodeStored)

  Returns {1 ENQUEUED, firstSeq, count, nowMs, dueMs}
          {2 DUPLICATE, firstSeq, count, nowMs, -1}  the dedup id is live: nothing written;
                                                     firstSeq/count are the original enqueue's
          {-6 IDS_LOST, 0, 0, nowMs, -1}             the block's marker is gone: nothing written

  Keeps: delayed jobs are not pending: the key's list, ready / leases / parked and the pending
  counter are untouched, so the main invariant holds trivially. The be64(seq) prefix makes jobs
  due in the same millisecond sort in submission order.
]]
-- @include common.lua

local delayed, stats = KEYS[1], KEYS[2]
local prefix, key, dedupId, dedupTtl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local runAt, delay, first = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local count = #ARGV - 8
local now = now_ms()

local dedup = dedupId ~= '' and (prefix .. 'dedup:' .. dedupId .. '\n' .. key) or nil
guard_slot({prefix .. 'ids:' .. ARGV[8], dedup})
if dedup then
  local seen = redis.call('GET', dedup)
  if seen then
    local seenFirst, n = string.match(seen, '^(%d+):(%d+)$')
    return {2, tonumber(seenFirst), tonumber(n), now, -1}
  end
end
if redis.call('EXISTS', prefix .. 'ids:' .. ARGV[8]) == 0 then
  return {-6, 0, 0, now, -1}
end

local due = runAt
if due < 0 then due = now + delay end
local args = {}
for i = 1, count do
  args[#args + 1] = due
  args[#args + 1] = be64(first + i - 1) .. key .. '\n' .. ARGV[8 + i]
end
redis.call('ZADD', delayed, unpack(args))
redis.call('HINCRBY', stats, 'delayed', count)
if dedup then
  redis.call('SET', dedup, first .. ':' .. count, 'PX', dedupTtl)
end
return {1, first, count, now, due}
