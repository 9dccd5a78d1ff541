-- Operator acts that wait for a running holder (docs/redis-layout.md, "Operator acts"). A park or
-- a replay to the head asked for while a key is leased must not end the lease: the holder may be
-- running a job of the key, and a new lease would start a second run of the key beside it. So
-- the act is kept in the partition's `deferred` hash, and a replayed job in the key's `staged`
-- list, until the lease ends: the holder acks, fails or releases the key, or the sweeper takes
-- back its expired lease. Those scripts then call settle_act. Needs common.lua (ring).

-- deferred values: "<park><head>|<reason>", park and head '1' or '0'; reason is the park's.
local function parse_act(v)
  if not v then return nil end
  local park, head, reason = string.match(v, '^([01])([01])|(.*)$')
  return {park = park == '1', head = head == '1', reason = reason}
end

local function act_value(act)
  return (act.park and '1' or '0') .. (act.head and '1' or '0') .. '|' .. (act.reason or '')
end

-- The undeclared keys settle_act touches for this act, added to `names` for the caller's
-- guard_slot (which must come before its first write).
local function act_keys(prefix, key, act, names)
  names[#names + 1] = prefix .. 'parked'
  names[#names + 1] = prefix .. 'ready'
  if act.head then names[#names + 1] = prefix .. 'staged:' .. key end
end

-- The lease of `key` has just ended: the caller removed lease and owner and placed the key as it
-- would have without the act (ready, parked, or nowhere if its last job died). Applies the act:
-- staged jobs go in front of the key's jobs, in order, and the head starts with fresh attempts;
-- then a pending park holds the key, and a replay makes it due now (a retry delay was the old
-- head's, not the replayed job's). Returns 'parked', 'ready' or 'idle' (no jobs: nowhere).
local function settle_act(prefix, key, act, now)
  local queue = prefix .. 'q:' .. key
  redis.call('HDEL', prefix .. 'deferred', key)
  if act.head then
    local staged, moved = prefix .. 'staged:' .. key, 0
    -- RPOPLPUSH takes the staged list's tail to the queue's head: repeated, the order is kept.
    while redis.call('RPOPLPUSH', staged, queue) do moved = moved + 1 end
    redis.call('HDEL', prefix .. 'attempts', key)
    redis.call('HINCRBY', prefix .. 'stats', 'pending', moved)
  end
  if redis.call('EXISTS', queue) == 0 then return 'idle' end
  if act.park or redis.call('HEXISTS', prefix .. 'parked', key) == 1 then
    redis.call('ZREM', prefix .. 'ready', key)
    if act.park then redis.call('HSET', prefix .. 'parked', key, act.reason) end
    return 'parked'
  end
  redis.call('ZADD', prefix .. 'ready', now, key)
  ring(prefix .. 'bell')
  return 'ready'
end
