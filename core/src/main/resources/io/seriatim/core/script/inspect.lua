--[[
  inspect: one consistent snapshot of a key for operators (changes nothing).

  KEYS[1] ready  KEYS[2] leases  KEYS[3] owners  KEYS[4] attempts  KEYS[5] parked  KEYS[6] queue
  KEYS[7] deferred
  (the key's staged list is reached through the prefix: same slot)

  ARGV[1] prefix  `{tag}:` (PartitionKeys.prefix)
  ARGV[2] key  ARGV[3] peek (how many head jobs to return)

  Returns {state, score, owner, attempts, parkedReason, pending, act, staged, problem, jobs...}
          state: 'ready' | 'leased' | 'parked' | 'idle'; score: ready time or lease deadline
          (-1 when none); owner: the owners value or ''; parkedReason: '' unless parked;
          act: the operator act waiting for the lease to end ("<park><head>|<reason>", see
          operator_acts.lua) or ''; staged: replayed jobs waiting for it; problem: '' or what
          breaks the invariant (stranded, owner-without-lease, lease-without-owner, more-than-one-place,
          token-without-jobs: repair.lua's words)

  Keeps: read-only.
]]
local ready, leases, owners, attempts, parked, queue, deferred =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local prefix, key, peek = ARGV[1], ARGV[2], tonumber(ARGV[3])
local staged = prefix .. 'staged:' .. key
redis.call('EXISTS', KEYS[1], staged) -- guard_slot: the one undeclared key
local state, score = 'idle', -1
local r = redis.call('ZSCORE', ready, key)
local l = redis.call('ZSCORE', leases, key)
local p = redis.call('HGET', parked, key)
local o = redis.call('HGET', owners, key)
local pending = redis.call('LLEN', queue)
if r then state, score = 'ready', tonumber(r)
elseif l then state, score = 'leased', tonumber(l)
elseif p then state = 'parked' end
local places = (r and 1 or 0) + (l and 1 or 0) + (p and 1 or 0)
local problem = ''
if pending > 0 and places == 0 and o then problem = 'owner-without-lease'
elseif pending > 0 and places == 0 then problem = 'stranded'
elseif places > 1 then problem = 'more-than-one-place'
elseif l and not o then problem = 'lease-without-owner'
elseif o and not l then problem = 'owner-without-lease'
elseif pending == 0 and places > 0 then problem = 'token-without-jobs' end
local out = {state, score, o or '', tonumber(redis.call('HGET', attempts, key) or '0'),
  p or '', pending, redis.call('HGET', deferred, key) or '', redis.call('LLEN', staged), problem}
if peek > 0 then
  for _, job in ipairs(redis.call('LRANGE', queue, 0, peek - 1)) do out[#out + 1] = job end
end
return out
