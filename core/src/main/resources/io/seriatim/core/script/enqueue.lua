--[[
  enqueue: appends jobs to one key's strand and makes the key ready if it was idle.

  KEYS[1] ready     zset  key -> when it may next be claimed
  KEYS[2] seq       string, job sequence counter of the partition
  KEYS[3] stats     hash  counters
  KEYS[4] bell      list  doorbell for blocked workers
  KEYS[5] queue     list  `{ns:p}:q:<key>`, head = oldest
  KEYS[6] dedup     string `{ns:p}:dedup:<id>\n<key>` (optional: only with a dedup id; scoped to the key)

  ARGV[1] key         the ordering key
  ARGV[2] partition   0..1023, folded into job ids
  ARGV[3] dedupTtlMs  how long the dedup id is remembered (ignored without KEYS[6])
  ARGV[4..] bodies    encoded StoredJob bodies (payload, headers) without id and time

  Returns {1 ENQUEUED, firstSeq, count, nowMs}
          {2 DUPLICATE, firstSeq, count, nowMs}  the dedup id is live: nothing written;
                                                 firstSeq/count are the original enqueue's
          or the error reply "ERR the job sequence space of <seq> is used up" (nothing written)

  Keeps: a key with pending jobs is in exactly one of ready / leases / parked. The list was
  empty before this call exactly when the key was in none of them (the invariant itself),
  so RPUSH's new length tells whether to add the key to ready: no extra look-ups.
  Jobs of one call get consecutive ids and are appended in argument order.
]]
-- @include common.lua

local ready, seq, stats, bell, queue, dedup = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local key, partition, dedupTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local count = #ARGV - 3
local now = now_ms()

if dedup then
  local seen = redis.call('GET', dedup)
  if seen then
    local first, n = string.match(seen, '^(%d+):(%d+)$')
    return {2, tonumber(first), tonumber(n), now}
  end
end

local last = take_seq(seq, count)
if not last then return seq_used_up(seq) end
local first = last - count + 1
local stamp = '\16' .. varint(now)
local jobs = {}
for i = 1, count do
  jobs[i] = id_prefix((first + i - 1) * 1024 + partition) .. stamp .. ARGV[3 + i]
end
local length = redis.call('RPUSH', queue, unpack(jobs))
if length == count then
  redis.call('ZADD', ready, now, key)
  ring(bell)
end
redis.call('HINCRBY', stats, 'enqueued', count)
redis.call('HINCRBY', stats, 'pending', count)
if dedup then
  redis.call('SET', dedup, first .. ':' .. count, 'PX', dedupTtl)
end
return {1, first, count, now}
