--[[
  inspect: one consistent snapshot of a key for operators (changes nothing).

  KEYS[1] ready  KEYS[2] leases  KEYS[3] owners  KEYS[4] attempts  KEYS[5] parked  KEYS[6] queue

  ARGV[1] key  ARGV[2] peek (how many head jobs to return)

  Returns {state, score, owner, attempts, parkedReason, pending, jobs...}
          state: 'ready' | 'leased' | 'parked' | 'idle'; score: ready time or lease deadline
          (-1 when none); owner: the owners value or ''; parkedReason: '' unless parked

  Keeps: read-only.
]]
local ready, leases, owners, attempts, parked, queue = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local key, peek = ARGV[1], tonumber(ARGV[2])
local state, score = 'idle', -1
local r = redis.call('ZSCORE', ready, key)
local l = redis.call('ZSCORE', leases, key)
local p = redis.call('HGET', parked, key)
if r then state, score = 'ready', tonumber(r)
elseif l then state, score = 'leased', tonumber(l)
elseif p then state = 'parked' end
local out = {state, score, redis.call('HGET', owners, key) or '', tonumber(redis.call('HGET', attempts, key) or '0'),
  p or '', redis.call('LLEN', queue)}
if peek > 0 then
  for _, job in ipairs(redis.call('LRANGE', queue, 0, peek - 1)) do out[#out + 1] = job end
end
return out
