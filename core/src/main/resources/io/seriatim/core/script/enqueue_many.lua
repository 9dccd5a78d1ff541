--[[
  enqueue_many: enqueue for many keys of one partition in one call: the gateway's batches cost
  one script call per partition instead of one per key. Each group is what enqueue.lua does for
  one key, in argument order.

  KEYS[1] ready  KEYS[2] seq  KEYS[3] stats  KEYS[4] bell
  (queue lists and dedup keys are built from the prefix: same slot)

  ARGV[1] prefix      `{ns:p}:`
  ARGV[2] partition
  ARGV[3] dedupTtlMs
  ARGV[4] callDedupId ('' = none): covers every group without its own dedup id
  ARGV[5..] groups, each: key, dedupId ('' = none), count, then count encoded bodies

  Returns {nowMs, callStatus, callFirst, then for each group that did not take its jobs from
  the call's range: ordinal (1-based), status, firstSeq, count}. Every other group took the next
  `count` sequence numbers of the call's range, from callFirst in group order, with callStatus
  (1 ENQUEUED, or 2 DUPLICATE for a resend of an applied call). Groups that did not take from the
  range: a live own dedup id (2, its original ids), a repeat of an own dedup id earlier in this
  call (2, that group's ids), or on a resend a group whose own dedup id had been live the first
  time (2, its ids, or 0 if its key has expired since). The answer stays a few integers for a call
  of hundreds of keys: a triple per group cost Redis and the gateway more than the enqueue.

  Keeps: the same as enqueue for every group: a key whose list was empty becomes ready; jobs of
  one group get consecutive ids; groups of one key are applied in argument order; a live dedup
  id writes nothing for its group. The call's jobs take one consecutive range of sequence
  numbers, in group order, so the call's dedup key needs only the first of them (and which of
  the groups with their own ids took part) to answer a resend with the original ids: one small
  key per call, not one per group.
]]
-- @include common.lua

local ready, seq, stats, bell = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, partition, dedupTtl, callDedupId = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local nargs = #ARGV
local now = now_ms()

-- First pass: the total the call takes, and the groups with their own dedup id (few; the
-- others need no table). An own id is live (seen: its original ids) or taken by an earlier
-- group of this same call (sameAs), which will have set it by then.
local own = {}      -- ordinal -> {dedup, seen, sameAs, count}
local setHere = {}
local total = 0
local n = 0
local i = 5
while i <= nargs do
  n = n + 1
  local count = tonumber(ARGV[i + 2])
  if ARGV[i + 1] ~= '' then
    local g = {dedup = prefix .. 'dedup:' .. ARGV[i + 1] .. '\n' .. ARGV[i], count = count}
    g.seen = redis.call('GET', g.dedup)
    if not g.seen then
      g.sameAs = setHere[g.dedup]
      if not g.sameAs then setHere[g.dedup] = g end
    end
    own[n] = g
  end
  if not own[n] or not (own[n].seen or own[n].sameAs) then total = total + count end
  i = i + 3 + count
end
local groupCount = n

local out = {now, 1, 0}
local function except(ordinal, status, first, count)
  out[#out + 1] = ordinal
  out[#out + 1] = status
  out[#out + 1] = first
  out[#out + 1] = count
end
local function except_seen(ordinal, g)
  local first, count = string.match(g.seen, '^(%d+):(%d+)$')
  except(ordinal, 2, tonumber(first), tonumber(count))
end

local callDedup = callDedupId ~= '' and (prefix .. 'dedup:' .. callDedupId .. '\n') or nil
local callSeen = callDedup and redis.call('GET', callDedup)
if callSeen then
  -- A resend of an applied call: rebuild the original answer. Value: "first" or
  -- "first|o1,o2,.." naming the groups with their own dedup ids that were enqueued then.
  local first, took = string.match(callSeen, '^(%d+)|?(.*)$')
  out[2], out[3] = 2, tonumber(first)
  local tookSet = {}
  for o in string.gmatch(took, '%d+') do tookSet[tonumber(o)] = true end
  for ordinal = 1, groupCount do
    local g = own[ordinal]
    if g and not tookSet[ordinal] then
      if g.seen then except_seen(ordinal, g) else except(ordinal, 2, 0, g.count) end
    end
  end
  return out
end

local cursor = 0
if total > 0 then cursor = redis.call('INCRBY', seq, total) - total + 1 end
out[3] = cursor
local stamp = '\16' .. varint(now)
local tookOwn = {}
local rang = false
local jobs = {} -- reused: unpack takes only the first `count`
n = 0
i = 5
while i <= nargs do
  n = n + 1
  local key, count = ARGV[i], tonumber(ARGV[i + 2])
  local g = own[n]
  if g and g.seen then
    except_seen(n, g)
  elseif g and g.sameAs then
    except(n, 2, g.sameAs.first, g.sameAs.count)
  else
    local pushed
    if count == 1 then
      pushed = redis.call('RPUSH', prefix .. 'q:' .. key,
        '\8' .. varint(cursor * 1024 + partition) .. stamp .. ARGV[i + 3])
    else
      for j = 1, count do
        jobs[j] = '\8' .. varint((cursor + j - 1) * 1024 + partition) .. stamp .. ARGV[i + 2 + j]
      end
      pushed = redis.call('RPUSH', prefix .. 'q:' .. key, unpack(jobs, 1, count))
    end
    if pushed == count then
      redis.call('ZADD', ready, now, key)
      rang = true
    end
    if g then
      g.first = cursor
      redis.call('SET', g.dedup, cursor .. ':' .. count, 'PX', dedupTtl)
      tookOwn[#tookOwn + 1] = n
    end
    cursor = cursor + count
  end
  i = i + 3 + count
end
if callDedup then
  local value = tostring(out[3])
  if #tookOwn > 0 then value = value .. '|' .. table.concat(tookOwn, ',') end
  redis.call('SET', callDedup, value, 'PX', dedupTtl)
end
if rang then ring(bell) end
if total > 0 then
  redis.call('HINCRBY', stats, 'enqueued', total)
  redis.call('HINCRBY', stats, 'pending', total)
end
return out
