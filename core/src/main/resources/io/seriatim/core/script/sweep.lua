--[[
  sweep: brings back keys whose lease ran out (their worker died or stalled). The expiry counts
  as an attempt of the head job, so a job that kills its worker every time ends under the
  failure policy instead of looping forever.

  KEYS[1] leases  KEYS[2] owners  KEYS[3] attempts  KEYS[4] stats  KEYS[5] bell  KEYS[6] deferred
  (the ready, parked and dlq keys, and staged lists, are reached through the prefix: same slot)

  ARGV[1] prefix       `{tag}:` (PartitionKeys.prefix)
  ARGV[2] limit        most leases handled in this call (bounds the time Redis is busy)
  ARGV[3] maxAttempts
  ARGV[4] policy       SKIP or PARK

  Returns {swept, deadLettered, parked, more}  more = 1 when the limit cut the sweep short

  Keeps: each expired key leaves leases and its owner entry goes, so the stale holder's next
  ack / renew / fail is refused; the key lands in exactly one of ready / parked, or none if
  its last job was dead-lettered. An operator's act that waited for the expired lease
  (operator_acts.lua) applies then: the key may be parked, or ready with replayed jobs in front.
  Idempotent: a second sweeper finds nothing left to do.
]]
-- @include common.lua
-- @include dead_letter.lua
-- @include operator_acts.lua

local leases, owners, attempts, stats, bell, deferred = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local prefix, limit = ARGV[1], tonumber(ARGV[2])
local maxAttempts, policy = tonumber(ARGV[3]), ARGV[4]
local now = now_ms()

-- One more than the limit, to tell "cut short" from "exactly limit were due".
local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, limit + 1)
local more = 0
if #expired > limit then
  more = 1
  expired[#expired] = nil
end
local acts = {}
if #expired > 0 then
  local undeclared = {prefix .. 'ready', prefix .. 'parked', prefix .. 'dlq'}
  for _, key in ipairs(expired) do undeclared[#undeclared + 1] = prefix .. 'q:' .. key end
  if redis.call('EXISTS', deferred) == 1 then
    local values = hmget_all(deferred, expired)
    for i, key in ipairs(expired) do
      acts[i] = parse_act(values[i])
      if acts[i] then act_keys(prefix, key, acts[i], undeclared) end
    end
  end
  guard_slot(undeclared)
end
local dead, parked, woke, ownerless = 0, 0, false, 0
for i, key in ipairs(expired) do
  redis.call('ZREM', leases, key)
  -- A lease without an owner (damage from outside the scripts) could never be renewed or acked:
  -- its expiry is its repair, counted as one.
  if redis.call('HDEL', owners, key) == 0 then ownerless = ownerless + 1 end
  local tries = redis.call('HINCRBY', attempts, key, 1)
  if tries >= maxAttempts then
    if exhaust(policy, prefix, key, 'lease expired', tries, now) == 'parked' then
      parked = parked + 1
    else
      dead = dead + 1
    end
  else
    redis.call('ZADD', prefix .. 'ready', now, key)
    woke = true
  end
  if acts[i] then settle_act(prefix, key, acts[i], now) end
end
if woke then ring(bell) end
if #expired > 0 then redis.call('HINCRBY', stats, 'expired', #expired) end
if ownerless > 0 then redis.call('HINCRBY', stats, 'repaired', ownerless) end
return {#expired, dead, parked, more}
