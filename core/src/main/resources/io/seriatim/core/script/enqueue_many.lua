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

  Returns {nowMs, then per group: status (1 ENQUEUED | 2 DUPLICATE), firstSeq, count}

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
local now = now_ms()
local out = {now}

-- The groups, and for those with their own dedup id, whether it is live (its original ids) or
-- taken by an earlier group of this same call (sameAs), which will have set it by then.
local groups = {}
local setHere = {}
local i = 5
while i <= #ARGV do
  local count = tonumber(ARGV[i + 2])
  local g = {key = ARGV[i], at = i + 3, count = count}
  if ARGV[i + 1] ~= '' then
    g.dedup = prefix .. 'dedup:' .. ARGV[i + 1] .. '\n' .. g.key
    g.seen = redis.call('GET', g.dedup)
    if not g.seen then
      g.sameAs = setHere[g.dedup]
      if not g.sameAs then setHere[g.dedup] = g end
    end
  end
  groups[#groups + 1] = g
  i = i + 3 + count
end

local function answer(status, first, count)
  out[#out + 1] = status
  out[#out + 1] = first
  out[#out + 1] = count
end

local function answer_seen(g)
  local first, n = string.match(g.seen, '^(%d+):(%d+)$')
  answer(2, tonumber(first), tonumber(n))
end

local callDedup = callDedupId ~= '' and (prefix .. 'dedup:' .. callDedupId .. '\n') or nil
local callSeen = callDedup and redis.call('GET', callDedup)
if callSeen then
  -- A resend of an applied call: rebuild the original answer. Value: "first" or
  -- "first|o1,o2,.." naming the groups with their own dedup ids that were enqueued then.
  local first, own = string.match(callSeen, '^(%d+)|?(.*)$')
  local cursor = tonumber(first)
  local took = {}
  for o in string.gmatch(own, '%d+') do took[tonumber(o)] = true end
  for n, g in ipairs(groups) do
    if g.dedup and not took[n] then
      if g.seen then answer_seen(g) else answer(2, 0, g.count) end -- its own key expired meanwhile
    else
      answer(2, cursor, g.count)
      cursor = cursor + g.count
    end
  end
  return out
end

local total = 0
for _, g in ipairs(groups) do
  if not g.seen and not g.sameAs then total = total + g.count end
end
local cursor = 0
if total > 0 then cursor = redis.call('INCRBY', seq, total) - total + 1 end
local callFirst = cursor
local stamp = '\16' .. varint(now)
local own = {}
local rang = false
for n, g in ipairs(groups) do
  if g.seen then
    answer_seen(g)
  elseif g.sameAs then
    answer(2, g.sameAs.first, g.sameAs.count)
  else
    g.first = cursor
    local jobs = {}
    for j = 1, g.count do
      jobs[j] = id_prefix((cursor + j - 1) * 1024 + partition) .. stamp .. ARGV[g.at + j - 1]
    end
    if redis.call('RPUSH', prefix .. 'q:' .. g.key, unpack(jobs)) == g.count then
      redis.call('ZADD', ready, now, g.key)
      rang = true
    end
    if g.dedup then
      redis.call('SET', g.dedup, cursor .. ':' .. g.count, 'PX', dedupTtl)
      own[#own + 1] = n
    end
    answer(1, cursor, g.count)
    cursor = cursor + g.count
  end
end
if callDedup then
  local value = tostring(callFirst)
  if #own > 0 then value = value .. '|' .. table.concat(own, ',') end
  redis.call('SET', callDedup, value, 'PX', dedupTtl)
end
if rang then ring(bell) end
if total > 0 then
  redis.call('HINCRBY', stats, 'enqueued', total)
  redis.call('HINCRBY', stats, 'pending', total)
end
return out
