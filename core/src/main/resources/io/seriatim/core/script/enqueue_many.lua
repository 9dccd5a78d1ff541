--[[
  enqueue_many: appends jobs to the strands of many keys of one partition in one call (every
  immediate submit, from one key's request to a gateway's batch: one script call per partition,
  not one per key). Each group is one key's request, applied in argument order: RPUSH its jobs,
  make the key ready if it was idle, ring the bell. The caller has already stamped each job's id
  and submit time in front of its body (ids from a block it took with reserve_ids, time from
  that block's Redis time), so the jobs go to RPUSH as they came, with no string built per job.

  KEYS[1] ready  KEYS[2] stats  KEYS[3] bell  KEYS[4] leases  KEYS[5] parked
  (queue lists and dedup keys are built from the prefix: same slot)

  ARGV[1] prefix      `{tag}:` (PartitionKeys.prefix)
  ARGV[2] dedupTtlMs
  ARGV[3] callDedupId ('' = none): covers every group without its own dedup id
  ARGV[4] callFirst   first sequence number of the call's range: group n's jobs carry the ids of
                      callFirst + (the jobs of the groups before n), in order
  ARGV[5] blockFirst  first number of the reserve_ids block the range is from: its marker must
                      still exist, or Redis has lost the block (see reserve_ids.lua)
  ARGV[6..] groups, each: key, dedupId ('' = none), count, then count stored jobs

  Returns {nowMs, -6 IDS_LOST, 0} and writes nothing when the block's marker is gone and this is
  not a resend of an applied call. Otherwise {nowMs, callStatus, callFirst, then for each group whose jobs are not the ones it
  carries: ordinal (1-based), status, firstSeq, count}. Every other group's jobs are enqueued
  (or, on a resend, were) under the ids of its place in the block that starts at the returned
  callFirst, with callStatus: 1 ENQUEUED, or 2 DUPLICATE when the call's dedup id is live, and
  then callFirst is the first call's. The exceptions: a live own dedup id (2, its original
  ids), a repeat of an own dedup id earlier in this call (2, that group's ids), or on a resend a
  group whose own dedup id had been live the first time (2, its ids, or 0 if its key has expired
  since). The answer stays a few integers for a call of hundreds of keys: a triple per group
  cost Redis and the gateway more than the enqueue.

  Keeps: a key with pending jobs is in exactly one of ready / leases / parked. A key's list was
  empty before its RPUSH exactly when the key was in none of them (the invariant itself), so
  RPUSH's new length tells whether to add it to ready. Only if bookkeeping was damaged from
  outside (a failover's lost writes) can a key with jobs be in none of them (stranded): the keys
  that had jobs before are checked with one ZMSCORE of ready and of leases and one HMGET of
  parked per call, and a stranded one is made ready too (counted in stats `repaired`), so that
  a submit never goes to a key no worker will take. Groups of one key are
  applied in argument order, each group's jobs consecutive; a live dedup id writes nothing for
  its group. The call's dedup key holds callFirst (and which of the groups with their own ids
  were enqueued), so a resend is answered with every original id: one small key per call, not
  one per group. The undeclared keys (lists, dedup keys, the block's marker) are checked
  (guard_slot) before anything is read or written, so a call that fails in a slot being
  resharded changes nothing.
]]
-- @include common.lua

local ready, stats, bell, leases, parked = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix, dedupTtl, callDedupId, callFirst = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local nargs = #ARGV
local now = now_ms()

local undeclared = {prefix .. 'ids:' .. ARGV[5]}
if callDedupId ~= '' then undeclared[2] = prefix .. 'dedup:' .. callDedupId .. '\n' end
do
  local j = 6
  while j <= nargs do
    undeclared[#undeclared + 1] = prefix .. 'q:' .. ARGV[j]
    if ARGV[j + 1] ~= '' then undeclared[#undeclared + 1] = prefix .. 'dedup:' .. ARGV[j + 1] .. '\n' .. ARGV[j] end
    j = j + 3 + tonumber(ARGV[j + 2])
  end
end
guard_slot(undeclared)

-- The groups with their own dedup id (few; the others need no table). An own id is live
-- (seen: its original ids) or taken by an earlier group of this same call (sameAs).
local own = {}      -- ordinal -> {dedup, seen, sameAs, first, count}
local setHere = {}
local n, i, offset = 0, 6, 0
while i <= nargs do
  n = n + 1
  local count = tonumber(ARGV[i + 2])
  if ARGV[i + 1] ~= '' then
    local g = {dedup = prefix .. 'dedup:' .. ARGV[i + 1] .. '\n' .. ARGV[i], first = callFirst + offset, count = count}
    g.seen = redis.call('GET', g.dedup)
    if not g.seen then
      g.sameAs = setHere[g.dedup]
      if not g.sameAs then setHere[g.dedup] = g end
    end
    own[n] = g
  end
  offset = offset + count
  i = i + 3 + count
end
local groupCount = n

local out = {now, 1, callFirst}
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

if redis.call('EXISTS', prefix .. 'ids:' .. ARGV[5]) == 0 then
  return {now, -6, 0}
end

local total = 0
local tookOwn = {}
-- Keys that were idle, made ready with one ZADD at the end (a command per key costs about as
-- much as the RPUSH that brought the jobs).
local becameReady = {}
local hadJobs, seenBusy = {}, {} -- keys whose list was not empty: checked for a token below
n, i = 0, 6
while i <= nargs do
  n = n + 1
  local key, count = ARGV[i], tonumber(ARGV[i + 2])
  local g = own[n]
  if g and g.seen then
    except_seen(n, g)
  elseif g and g.sameAs then
    except(n, 2, g.sameAs.first, g.sameAs.count)
  else
    if redis.call('RPUSH', prefix .. 'q:' .. key, unpack(ARGV, i + 3, i + 2 + count)) == count then
      becameReady[#becameReady + 1] = now
      becameReady[#becameReady + 1] = key
      seenBusy[key] = true -- has its token now
    elseif not seenBusy[key] then
      seenBusy[key] = true
      hadJobs[#hadJobs + 1] = key
    end
    if g then
      redis.call('SET', g.dedup, g.first .. ':' .. count, 'PX', dedupTtl)
      tookOwn[#tookOwn + 1] = n
    end
    total = total + count
  end
  i = i + 3 + count
end
if callDedup then
  local value = tostring(callFirst)
  if #tookOwn > 0 then value = value .. '|' .. table.concat(tookOwn, ',') end
  redis.call('SET', callDedup, value, 'PX', dedupTtl)
end
if #hadJobs > 0 then
  local r, l, p = zmscore_all(ready, hadJobs), zmscore_all(leases, hadJobs), hmget_all(parked, hadJobs)
  local stranded = 0
  for j, key in ipairs(hadJobs) do
    if not r[j] and not l[j] and not p[j] then
      becameReady[#becameReady + 1] = now
      becameReady[#becameReady + 1] = key
      stranded = stranded + 1
    end
  end
  if stranded > 0 then redis.call('HINCRBY', stats, 'repaired', stranded) end
end
if #becameReady > 0 then
  call_spread('ZADD', ready, becameReady)
  ring(bell)
end
if total > 0 then
  redis.call('HINCRBY', stats, 'enqueued', total)
  redis.call('HINCRBY', stats, 'pending', total)
end
return out
