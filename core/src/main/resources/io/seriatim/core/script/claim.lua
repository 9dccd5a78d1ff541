--[[
  claim: grants a worker leases on up to `maxKeys` due keys and returns each key's first jobs.

  KEYS[1] ready     zset  key -> when it may next be claimed
  KEYS[2] leases    zset  key -> lease deadline
  KEYS[3] owners    hash  key -> "fence|grantedAtMs|jobsRun|workerId"
  KEYS[4] fence     string, counter: INCR per lease granted
  KEYS[5] attempts  hash  key -> failed attempts of the key's head job
  KEYS[6] paused    string, present while the namespace is paused
  KEYS[7] bell      list  doorbell

  ARGV[1] prefix    `{tag}:` (PartitionKeys.prefix) (queue lists are `prefix .. 'q:' .. key`, same slot)
  ARGV[2] workerId
  ARGV[3] maxKeys
  ARGV[4] leaseMs
  ARGV[5] batch     jobs returned per key

  Returns {nowMs, nextDueMs or -1, n, then n times: key, fence, deadline, headAttempts, jobCount, jobs...}
          nextDueMs is the earliest score left in ready (may be <= now when more keys wait).
          {nowMs, -2, 0}  the namespace is paused: nothing granted.

  Keeps: each claimed key moves from ready to leases (never in both), with a fresh fence
  greater than every fence granted before in this partition. Keys with no jobs are never
  leased (a ready key always has jobs; if one had none it is dropped from ready here).
  When due keys remain after this claim the bell rings again, so the next idle worker wakes.
  The key lists are checked (guard_slot) before they are read and before the first write, so a
  call that fails in a slot being resharded changes nothing.
]]
-- @include common.lua

local ready, leases, owners, fenceKey, attempts, paused, bell =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local prefix, worker = ARGV[1], ARGV[2]
local maxKeys, leaseMs, batch = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local now = now_ms()

if redis.call('EXISTS', paused) == 1 then
  return {now, -2, 0}
end

local due = redis.call('ZRANGEBYSCORE', ready, '-inf', now, 'LIMIT', 0, maxKeys)
local lists = {}
for d, key in ipairs(due) do lists[d] = prefix .. 'q:' .. key end
guard_slot(lists)
local out = {now, -1, 0}
-- Per key only its LRANGE: the fences, attempts, leases and owners of all granted keys take one
-- command each (a command run from Lua costs about as much as the work it does here).
local granted, batches = {}, {}
for d, key in ipairs(due) do
  local jobs = redis.call('LRANGE', lists[d], 0, batch - 1)
  if #jobs > 0 then
    granted[#granted + 1] = key
    batches[#batches + 1] = jobs
  end
end
-- The due keys are the lowest-ranked members, so one ZREMRANGEBYRANK removes them all: one
-- O(log N) descent instead of one per key, which kept a claim's cost from staying flat as the
-- ready set grew to a million keys.
if #due > 0 then redis.call('ZREMRANGEBYRANK', ready, 0, #due - 1) end
local n = #granted
if n > 0 then
  local lastFence = redis.call('INCRBY', fenceKey, n)
  local tries = hmget_all(attempts, granted)
  local deadline = now + leaseMs
  local leaseArgs, ownerArgs = {}, {}
  for g, key in ipairs(granted) do
    local fence = lastFence - n + g
    leaseArgs[2 * g - 1], leaseArgs[2 * g] = deadline, key
    ownerArgs[2 * g - 1], ownerArgs[2 * g] = key, owner_value(fence, now, 0, worker)
    out[#out + 1] = key
    out[#out + 1] = fence
    out[#out + 1] = deadline
    out[#out + 1] = tonumber(tries[g] or '0')
    out[#out + 1] = #batches[g]
    for _, job in ipairs(batches[g]) do out[#out + 1] = job end
  end
  call_spread('ZADD', leases, leaseArgs)
  call_spread('HSET', owners, ownerArgs)
end
out[3] = n

local head = redis.call('ZRANGE', ready, 0, 0, 'WITHSCORES')
if #head > 0 then
  out[2] = tonumber(head[2])
  if out[2] <= now then ring(bell) end
end
return out
