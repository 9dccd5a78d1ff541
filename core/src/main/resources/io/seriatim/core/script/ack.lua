--[[
  ack: removes the jobs a lease holder finished from the head of its key, then either hands
  back the next jobs (lease extended), releases the idle key, or yields a hot key.

  KEYS[1] ready     zset
  KEYS[2] leases    zset  key -> lease deadline
  KEYS[3] owners    hash  key -> "fence|grantedAtMs|jobsRun|workerId"
  KEYS[4] attempts  hash
  KEYS[5] stats     hash
  KEYS[6] bell      list
  KEYS[7] queue     list  the key's jobs

  ARGV[1] key
  ARGV[2] workerId
  ARGV[3] fence
  ARGV[4] leaseMs      lease extension from now
  ARGV[5] batch        how many jobs to return
  ARGV[6] skip         jobs after the acked ones that the worker already holds (not returned)
  ARGV[7] budgetJobs   fairness: jobs per lease before the key yields (0 = no limit)
  ARGV[8] budgetMs     fairness: ms per lease before the key yields (0 = no limit)
  ARGV[9..] jobIds     the ids being acked, head first

  Returns {10 CONTINUE, deadline, jobs...}  lease extended; jobs start `skip` after the acked
          {11 RELEASED}                     the key has no more jobs: lease and key gone
          {12 YIELDED}                      budget spent: key at the back of ready
          {-1 STALE}                        not the owner (fence or worker differ): nothing changed
          {-2 HEAD_MISMATCH}                the head is not exactly these jobs: nothing changed

  Keeps: only the current holder (fence and worker) can remove jobs, and only the exact head
  it was given, so a stale holder never pops a job it did not run. The key ends in exactly
  one of leases (CONTINUE), ready (YIELDED) or none with an empty list (RELEASED).
]]
-- @include common.lua

local ready, leases, owners, attempts, stats, bell, queue =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local key, worker, fence = ARGV[1], ARGV[2], ARGV[3]
local leaseMs, batch, skip = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local budgetJobs, budgetMs = tonumber(ARGV[7]), tonumber(ARGV[8])
local n = #ARGV - 8

local owner = is_owner(owners, key, fence, worker)
if not owner then return {-1} end

local head = redis.call('LRANGE', queue, 0, n - 1)
if #head ~= n then return {-2} end
for i = 1, n do
  if not has_id(head[i], tonumber(ARGV[8 + i])) then return {-2} end
end

local now = now_ms()
redis.call('LTRIM', queue, n, -1)
redis.call('HDEL', attempts, key)
redis.call('HINCRBY', stats, 'acked', n)
redis.call('HINCRBY', stats, 'pending', -n)

if redis.call('EXISTS', queue) == 0 then
  redis.call('ZREM', leases, key)
  redis.call('HDEL', owners, key)
  return {11}
end

local ran = owner.ran + n
if (budgetJobs > 0 and ran >= budgetJobs) or (budgetMs > 0 and now - owner.granted >= budgetMs) then
  redis.call('ZREM', leases, key)
  redis.call('HDEL', owners, key)
  redis.call('ZADD', ready, now, key)
  ring(bell)
  return {12}
end

local deadline = now + leaseMs
redis.call('ZADD', leases, deadline, key)
redis.call('HSET', owners, key, owner_value(fence, owner.granted, ran, worker))
local out = {10, deadline}
if batch > 0 then
  for _, job in ipairs(redis.call('LRANGE', queue, skip, skip + batch - 1)) do
    out[#out + 1] = job
  end
end
return out
