--[[
  dlq_replay: puts dead jobs back into their keys' strands, in the order they died, either at
  the tail (after the key's current jobs) or at the head (they run next).

  KEYS[1] dlq  KEYS[2] ready  KEYS[3] leases  KEYS[4] owners  KEYS[5] parked
  KEYS[6] attempts  KEYS[7] stats  KEYS[8] bell

  ARGV[1] prefix    `{tag}:` (PartitionKeys.prefix)
  ARGV[2] key       replay only this key's dead jobs; '' = every key
  ARGV[3] limit     most dead entries examined in this call
  ARGV[4] toHead    1 = before the key's pending jobs, 0 = after them
  ARGV[5] fromId    stream id to start from ('-' = the oldest)

  Returns {replayed, lastExaminedId or ''}  page on with fromId = '(' .. lastExaminedId

  Keeps: a replayed job keeps its id and submit time. A key that gets jobs and was idle
  becomes ready. Replaying to the head of a leased key revokes the lease (the holder's next
  call is STALE) and makes the key ready, because the holder's batch no longer starts at
  the head; a parked key stays parked. Replaying to the head resets the head's attempts.
]]
-- @include common.lua

local dlq, ready, leases, owners, parked, attempts, stats, bell =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local prefix, only, limit, toHead, fromId = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4] == '1', ARGV[5]
local now = now_ms()

local entries = redis.call('XRANGE', dlq, fromId, '+', 'COUNT', limit)
local byKey, order, taken = {}, {}, {}
local last = ''
for _, e in ipairs(entries) do
  last = e[1]
  local f = {}
  for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end
  if only == '' or f.key == only then
    if not byKey[f.key] then byKey[f.key] = {}; order[#order + 1] = f.key end
    table.insert(byKey[f.key], f.job)
    taken[#taken + 1] = e[1]
  end
end
local lists = {}
for k, key in ipairs(order) do lists[k] = prefix .. 'q:' .. key end
guard_slot(lists)
call_spread('XDEL', dlq, taken)

local replayed = 0
for _, key in ipairs(order) do
  local jobs = byKey[key]
  local queue = prefix .. 'q:' .. key
  local wasEmpty = redis.call('EXISTS', queue) == 0
  if toHead then
    for i = #jobs, 1, -1 do redis.call('LPUSH', queue, jobs[i]) end
    redis.call('HDEL', attempts, key)
  else
    -- In slices: Lua's unpack() fails past about 8,000 values, after the XDELs above.
    for i = 1, #jobs, 1000 do
      redis.call('RPUSH', queue, unpack(jobs, i, math.min(i + 999, #jobs)))
    end
  end
  replayed = replayed + #jobs
  if redis.call('HEXISTS', parked, key) == 0 then
    local leased = redis.call('ZSCORE', leases, key)
    if wasEmpty or (toHead and leased) then
      redis.call('ZREM', leases, key)
      redis.call('HDEL', owners, key)
      redis.call('ZADD', ready, now, key)
      ring(bell)
    elseif toHead and redis.call('ZSCORE', ready, key) then
      -- The key may be waiting out the old head's retry delay: not the replayed job's.
      redis.call('ZADD', ready, now, key)
      ring(bell)
    end
  end
end
redis.call('HINCRBY', stats, 'pending', replayed)
redis.call('HINCRBY', stats, 'replayed', replayed)
return {replayed, last}
