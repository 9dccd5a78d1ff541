--[[
  repair: checks a batch of one partition's ordering keys against the invariant and mends what
  is broken: the sweeper's repair pass (docs/sweeper.md, "Self-repair"), fed keys from
  incremental scans of the partition's queue lists, ready, leases, parked and owners. Damage
  comes from outside the scripts: a failover's lost writes, a restart that lost its last
  second of AOF, a hand-made edit.

  KEYS[1] ready  KEYS[2] leases  KEYS[3] owners  KEYS[4] parked  KEYS[5] deferred  KEYS[6] attempts
  KEYS[7] stats  KEYS[8] bell
  (the keys' queue and staged lists are reached through the prefix: same slot)

  ARGV[1] prefix  `{tag}:` (PartitionKeys.prefix)
  ARGV[2..] keys  ordering keys to check (at most a few thousand: the call's cost is linear)

  Returns {checked, then for each key mended: key, problem}  problem one of
          stranded             jobs, but in none of ready / leases / parked: made ready now
          owner-without-lease  jobs and an owner entry, no lease: the lease is restored, expiring
                               now (a live holder renews it; a dead one's is swept as expired)
          more-than-one-place  jobs, in two or three places: a lease (or an owner) wins, a park in
                               parked then waits for it as park.lua would have, else a park
                               wins; a ready token is dropped
          token-without-jobs   no jobs, yet in ready or parked, or an owner or attempts entry
                               without a lease: dropped
          act-without-lease    an operator act waiting for a lease that is gone: applied now

  Keeps: a key with pending jobs ends in exactly one of ready / leases / parked; a key without
  jobs in none, with no owner or attempts entry, except one still leased, which its holder or the
  sweep of expired leases ends (a lease without an owner cannot be renewed, so that is within a
  lease time). Nothing is ever made ready while a lease of the key stands: no job starts beside
  a running one. A key that is whole is not written. Idempotent.
]]
-- @include common.lua
-- @include operator_acts.lua

local ready, leases, owners, parked, deferred, attempts, stats, bell =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local prefix = ARGV[1]
local keys = {}
for i = 2, #ARGV do keys[#keys + 1] = ARGV[i] end
if #keys == 0 then return {0} end

local lists = {}
for i, key in ipairs(keys) do
  lists[#lists + 1] = prefix .. 'q:' .. key
  lists[#lists + 1] = prefix .. 'staged:' .. key
end
guard_slot(lists)

-- One command per structure for the whole batch, one EXISTS per key.
local r, l = zmscore_all(ready, keys), zmscore_all(leases, keys)
local p, o = hmget_all(parked, keys), hmget_all(owners, keys)
local a, d = hmget_all(attempts, keys), hmget_all(deferred, keys)

local now = now_ms()
local out = {#keys}
local woke = false
local function mended(key, problem)
  out[#out + 1] = key
  out[#out + 1] = problem
end
for i, key in ipairs(keys) do
  local act = parse_act(d[i])
  if act and not l[i] then
    -- settle_act places the key by its jobs, parks included: nothing else to do for it.
    settle_act(prefix, key, act, now)
    mended(key, 'act-without-lease')
  else
    local jobs = redis.call('EXISTS', lists[2 * i - 1]) == 1
    local problem
    if jobs then
      local leased = l[i]
      if o[i] and not leased then
        redis.call('ZADD', leases, now, key)
        leased, problem = true, 'owner-without-lease'
      end
      if leased then
        -- The holder keeps the key: a ready token would let a second worker start it.
        if r[i] then redis.call('ZREM', ready, key) end
        if p[i] then
          redis.call('HDEL', parked, key)
          local waiting = act or {park = false, head = false}
          waiting.park, waiting.reason = true, p[i]
          redis.call('HSET', deferred, key, act_value(waiting))
        end
        if r[i] or p[i] then problem = problem or 'more-than-one-place' end
      elseif r[i] and p[i] then
        redis.call('ZREM', ready, key)
        problem = 'more-than-one-place'
      elseif not r[i] and not p[i] then
        redis.call('ZADD', ready, now, key)
        woke, problem = true, 'stranded'
      end
      if problem then mended(key, problem) end
    elseif not l[i] and (r[i] or p[i] or o[i] or a[i]) then
      if r[i] then redis.call('ZREM', ready, key) end
      if p[i] then redis.call('HDEL', parked, key) end
      if o[i] then redis.call('HDEL', owners, key) end
      if a[i] then redis.call('HDEL', attempts, key) end
      mended(key, 'token-without-jobs')
    end
  end
end
if woke then ring(bell) end
if #out > 1 then redis.call('HINCRBY', stats, 'repaired', (#out - 1) / 2) end
return out
