--[[
  enqueue_many: enqueue for many keys of one partition in one call: the gateway's batches cost
  one script call per partition instead of one per key. Each group is exactly what enqueue.lua
  does for one key, in argument order.

  KEYS[1] ready  KEYS[2] seq  KEYS[3] stats  KEYS[4] bell
  (queue lists and dedup keys are built from the prefix: same slot)

  ARGV[1] prefix      `{ns:p}:`
  ARGV[2] partition
  ARGV[3] dedupTtlMs
  ARGV[4..] groups, each: key, dedupId ('' = none), count, then count encoded bodies

  Returns {nowMs, then per group: status (1 ENQUEUED | 2 DUPLICATE), firstSeq, count}

  Keeps: the same as enqueue for every group: a key whose list was empty becomes ready; jobs of
  one group get consecutive ids; groups of one key are applied in argument order; a live dedup
  id writes nothing for its group.
]]
-- @include common.lua

local ready, seq, stats, bell = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, partition, dedupTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
local stamp = '\16' .. varint(now)
local out = {now}
local total = 0
local rang = false
local i = 4
while i <= #ARGV do
  local key, dedupId, count = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local dedup = nil
  if dedupId ~= '' then dedup = prefix .. 'dedup:' .. dedupId .. '\n' .. key end
  local seen = dedup and redis.call('GET', dedup)
  if seen then
    local first, n = string.match(seen, '^(%d+):(%d+)$')
    out[#out + 1] = 2
    out[#out + 1] = tonumber(first)
    out[#out + 1] = tonumber(n)
  else
    local last = redis.call('INCRBY', seq, count)
    local first = last - count + 1
    local jobs = {}
    for j = 1, count do
      jobs[j] = id_prefix((first + j - 1) * 1024 + partition) .. stamp .. ARGV[i + 2 + j]
    end
    local length = redis.call('RPUSH', prefix .. 'q:' .. key, unpack(jobs))
    if length == count then
      redis.call('ZADD', ready, now, key)
      rang = true
    end
    if dedup then redis.call('SET', dedup, first .. ':' .. count, 'PX', dedupTtl) end
    total = total + count
    out[#out + 1] = 1
    out[#out + 1] = first
    out[#out + 1] = count
  end
  i = i + 3 + count
end
if rang then ring(bell) end
if total > 0 then
  redis.call('HINCRBY', stats, 'enqueued', total)
  redis.call('HINCRBY', stats, 'pending', total)
end
return out
