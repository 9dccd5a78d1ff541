-- Shared helpers, pasted into each script by ScriptSource at load time (`-- @include common.lua`).

-- Milliseconds since the epoch on the Redis clock: the one clock every process agrees on.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Wakes one worker blocked on the partition's doorbell. The bell holds at most one token:
-- a woken worker that finds more due keys rings it again (see claim.lua).
local function ring(bell)
  if redis.call('LLEN', bell) == 0 then
    redis.call('RPUSH', bell, '1')
  end
end

-- Lua's C stack takes about 8,000 values, so unpack() of a longer table fails: variadic
-- commands over a table of any length go in chunks of UNPACK_STEP values (even, so that
-- score-member and field-value pairs never split).
local UNPACK_STEP = 4000

-- One variadic write command (ZADD, HSET, HDEL, ZREM) over all of `args`.
local function call_spread(command, key, args)
  for i = 1, #args, UNPACK_STEP do
    redis.call(command, key, unpack(args, i, math.min(i + UNPACK_STEP - 1, #args)))
  end
end

-- A multi-member read (HMGET, ZMSCORE) of all `members` in UNPACK_STEP chunks: the values in
-- order, false where a member is absent.
local function read_all(command, key, members)
  local out = {}
  for i = 1, #members, UNPACK_STEP do
    local part = redis.call(command, key, unpack(members, i, math.min(i + UNPACK_STEP - 1, #members)))
    for j = 1, #part do out[#out + 1] = part[j] end
  end
  return out
end

local function hmget_all(hash, fields) return read_all('HMGET', hash, fields) end
local function zmscore_all(zset, members) return read_all('ZMSCORE', zset, members) end

-- Redis Cluster moves a slot's keys one at a time while it reshards. A script's command on a key
-- it did not declare (queue lists, dedup keys: built from the prefix) then fails where the script
-- stands if the key has left, or, on the node the slot is moving to, finds nothing if the key has
-- not arrived yet; either way what the script wrote before stays. So a script checks every
-- undeclared key it will touch with one multi-key EXISTS before it reads or writes any of them,
-- and before its first write: while the slot moves, a multi-key command that misses a key fails
-- (TRYAGAIN) on either node, the script stops having written nothing, and the caller retries.
-- At any other time it only counts. KEYS[1] goes along, so that one key is a multi-key command too.
local function guard_slot(keys)
  for i = 1, #keys, UNPACK_STEP do
    redis.call('EXISTS', KEYS[1], unpack(keys, i, math.min(i + UNPACK_STEP - 1, #keys)))
  end
end

-- Protobuf base-128 varint of a non-negative integer below 2^53 (exact in Lua numbers): at most
-- 8 bytes. Unrolled, without a table: it runs once per stored job, and the table-and-unpack
-- version cost about 0.4 us a job in enqueue_many.
local char, floor = string.char, math.floor
local function varint(n)
  if n < 128 then return char(n) end
  local b1 = n % 128 + 128; n = floor(n / 128)
  if n < 128 then return char(b1, n) end
  local b2 = n % 128 + 128; n = floor(n / 128)
  if n < 128 then return char(b1, b2, n) end
  local b3 = n % 128 + 128; n = floor(n / 128)
  if n < 128 then return char(b1, b2, b3, n) end
  local b4 = n % 128 + 128; n = floor(n / 128)
  if n < 128 then return char(b1, b2, b3, b4, n) end
  local b5 = n % 128 + 128; n = floor(n / 128)
  if n < 128 then return char(b1, b2, b3, b4, b5, n) end
  local b6 = n % 128 + 128; n = floor(n / 128)
  if n < 128 then return char(b1, b2, b3, b4, b5, b6, n) end
  local b7 = n % 128 + 128; n = floor(n / 128)
  return char(b1, b2, b3, b4, b5, b6, b7, n)
end

-- Takes `count` of a partition's sequence numbers and returns the last; returns nil, having
-- written nothing, once the partition's 2^43 numbers are used up: an id (seq * 1024 + partition)
-- must stay exact in Lua's doubles, or ack and fail would compare the wrong heads. The caller
-- then returns seq_used_up(seqKey) before it writes anything.
--
-- Scripts refuse by returning an error reply, never by raising one: on Redis 6.2 a raised
-- redis.error_reply reaches the client as "attempt to concatenate local 'err' (a table value)"
-- (its error handler takes only strings), and a raised string comes wrapped in the script's sha
-- and line, differently on 6.2 and 7. A returned error reply reads the same on both.
local SEQ_LIMIT = 8796093022208 -- 2^43
local function take_seq(seqKey, count)
  local current = tonumber(redis.call('GET', seqKey) or '0')
  if current + count >= SEQ_LIMIT then return nil end
  return redis.call('INCRBY', seqKey, count)
end

local function seq_used_up(seqKey)
  return redis.error_reply('ERR the job sequence space of ' .. seqKey .. ' is used up')
end

-- The bytes every stored job with this id starts with: field 1 (tag 0x08) as a varint.
local function id_prefix(id)
  return '\8' .. varint(id)
end

local function has_id(stored, id)
  local p = id_prefix(id)
  return string.sub(stored, 1, #p) == p
end

-- Stamps a job that is born inside Redis (schedule_fire: the tick fires in the script), the one
-- place in Lua that does: takes the partition's next sequence number and writes the id (field 1)
-- and submit time (field 2, tag 0x10) in front of the encoded body, the bytes JobCodec.encodeStored
-- writes for every job Java submits. Returns the stored job and its sequence number, or nil
-- (nothing written) when the sequence space is used up: the caller returns seq_used_up(seqKey).
local function new_job(seqKey, partition, now, body)
  local s = take_seq(seqKey, 1)
  if not s then return nil end
  return id_prefix(s * 1024 + partition) .. '\16' .. varint(now) .. body, s
end

-- owners hash values: "fence|grantedAtMs|jobsRun|workerId" (worker id last: it may hold '|').
local function parse_owner(v)
  if not v then return nil end
  local fence, granted, ran, worker = string.match(v, '^(%d+)|(%d+)|(%d+)|(.*)$')
  return {fence = fence, granted = tonumber(granted), ran = tonumber(ran), worker = worker}
end

local function owner_value(fence, granted, ran, worker)
  return fence .. '|' .. granted .. '|' .. ran .. '|' .. worker
end

-- The holder's fence and worker id must both match: a fence number alone could repeat if
-- Redis restarted having lost its last writes, but never for the same worker id.
local function is_owner(owners, key, fence, worker)
  local o = parse_owner(redis.call('HGET', owners, key))
  if o and o.fence == fence and o.worker == worker then return o end
  return nil
end

-- 8 bytes, big-endian: makes zset members with equal scores sort in sequence order.
local function be64(n)
  local out = {}
  for i = 8, 1, -1 do
    out[i] = string.char(n % 256)
    n = math.floor(n / 256)
  end
  return table.concat(out)
end

-- Appends stored jobs to a key's list and makes the key ready if it was idle (the enqueue rule:
-- the list was empty exactly when the key was in none of ready / leases / parked), or if its
-- bookkeeping was damaged and left it stranded: jobs, but in none of them. Returns true for a
-- stranded key (mended: the caller counts it). The caller guards leases and parked too.
local function append_jobs(prefix, key, jobs, now)
  local length = redis.call('RPUSH', prefix .. 'q:' .. key, unpack(jobs))
  local stranded = length > #jobs and not redis.call('ZSCORE', prefix .. 'ready', key)
    and not redis.call('ZSCORE', prefix .. 'leases', key) and redis.call('HEXISTS', prefix .. 'parked', key) == 0
  if length == #jobs or stranded then
    redis.call('ZADD', prefix .. 'ready', now, key)
    ring(prefix .. 'bell')
  end
  redis.call('HINCRBY', prefix .. 'stats', 'pending', #jobs)
  if stranded then redis.call('HINCRBY', prefix .. 'stats', 'repaired', 1) end
  return stranded
end
