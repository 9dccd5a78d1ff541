--[[
  dlq_replay: puts dead jobs back into their keys' strands, in the order they died, either at
  the tail (after the key's current jobs) or at the head (they run next).

  KEYS[1] dlq  KEYS[2] ready  KEYS[3] leases  KEYS[4] parked  KEYS[5] attempts
  KEYS[6] stats  KEYS[7] bell  KEYS[8] deferred
  (a leased key's `staged` list is reached through the prefix: same slot)

  ARGV[1] prefix    `{tag}:` (PartitionKeys.prefix)
  ARGV[2] key       replay only this key's dead jobs; '' = every key
  ARGV[3] limit     most dead entries examined in this call
  ARGV[4] toHead    1 = before the key's pending jobs, 0 = after them
  ARGV[5] fromId    stream id to start from ('-' = the oldest)

  Returns {replayed, lastExaminedId or '', waiting}  page on with fromId = '(' .. lastExaminedId;
          waiting = keys whose replayed jobs wait for the key's running holder (below)

  Keeps: a replayed job keeps its id and submit time. A key that gets jobs and was idle
  becomes ready. Replaying to the head of a leased key never ends the lease (its holder may be
  running a job of the key): the jobs wait in the key's `staged` list, and the holder's lease
  goes on until it acks, fails, releases or expires; then they go in front of the key's jobs
  and the key is ready (settle_act). They count as pending from then on. A parked key stays
  parked. Replaying to the head resets the head's attempts.
]]
-- @include common.lua
-- @include operator_acts.lua

local dlq, ready, leases, parked, attempts, stats, bell, deferred =
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
if toHead then
  for _, key in ipairs(order) do lists[#lists + 1] = prefix .. 'staged:' .. key end
end
guard_slot(lists)
call_spread('XDEL', dlq, taken)

local replayed, pending, waiting = 0, 0, 0
for _, key in ipairs(order) do
  local jobs = byKey[key]
  local queue = prefix .. 'q:' .. key
  local wasEmpty = redis.call('EXISTS', queue) == 0
  replayed = replayed + #jobs
  if toHead and redis.call('ZSCORE', leases, key) then
    -- Its holder may be running the head: the jobs wait until the lease ends (settle_act).
    local staged = prefix .. 'staged:' .. key
    for i = #jobs, 1, -1 do redis.call('LPUSH', staged, jobs[i]) end
    local act = parse_act(redis.call('HGET', deferred, key)) or {park = false, head = false, reason = ''}
    act.head = true
    redis.call('HSET', deferred, key, act_value(act))
    waiting = waiting + 1
  else
    pending = pending + #jobs
    if toHead then
      for i = #jobs, 1, -1 do redis.call('LPUSH', queue, jobs[i]) end
      redis.call('HDEL', attempts, key)
    else
      -- In slices: Lua's unpack() fails past about 8,000 values, after the XDELs above.
      for i = 1, #jobs, 1000 do
        redis.call('RPUSH', queue, unpack(jobs, i, math.min(i + 999, #jobs)))
      end
    end
    if redis.call('HEXISTS', parked, key) == 0 then
      if wasEmpty or (toHead and redis.call('ZSCORE', ready, key)) then
        -- Idle: now ready. Or waiting out the old head's retry delay: not the replayed job's.
        redis.call('ZADD', ready, now, key)
        ring(bell)
      end
    end
  end
end
redis.call('HINCRBY', stats, 'pending', pending)
redis.call('HINCRBY', stats, 'replayed', replayed)
return {replayed, last, waiting}
