--[[
  promote_delayed: appends delayed jobs that are due to the TAIL of their keys' strands, in due
  order (and submission order within one millisecond).

  KEYS[1] delayed  zset (see enqueue_delayed)
  KEYS[2] stats
  (the keys' lists, ready and bell are reached through the prefix, as append_jobs does: same slot)

  ARGV[1] prefix   `{tag}:` (PartitionKeys.prefix)
  ARGV[2] limit    most jobs promoted in this call

  Returns {promoted, more}  more = 1 when the limit cut the call short

  Keeps: a promoted job is appended exactly like a fresh enqueue: an idle key becomes ready,
  a key in ready / leases / parked stays where it is. Idempotent: a job leaves the delayed zset
  in the same script that appends it, so two sweepers never promote it twice.
]]
-- @include common.lua

local delayed = KEYS[1]
local prefix, limit = ARGV[1], tonumber(ARGV[2])
local now = now_ms()
-- One more than the limit, to tell "cut short" from "exactly limit were due" (as sweep does).
local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, limit + 1)
local more = 0
if #due > limit then
  more = 1
  due[#due] = nil
end
local byKey, order = {}, {}
for _, member in ipairs(due) do
  local nl = string.find(member, '\n', 9, true)
  local key = string.sub(member, 9, nl - 1)
  if not byKey[key] then byKey[key] = {}; order[#order + 1] = key end
  table.insert(byKey[key], string.sub(member, nl + 1))
end
local undeclared = {prefix .. 'ready', prefix .. 'bell', prefix .. 'stats', prefix .. 'leases', prefix .. 'parked'}
for _, key in ipairs(order) do undeclared[#undeclared + 1] = prefix .. 'q:' .. key end
if #due > 0 then guard_slot(undeclared) end
call_spread('ZREM', delayed, due)
for _, key in ipairs(order) do
  append_jobs(prefix, key, byKey[key], now)
end
if #due > 0 then
  redis.call('HINCRBY', KEYS[2], 'delayed', -#due)
  redis.call('HINCRBY', KEYS[2], 'enqueued', #due)
end
return {#due, more}
