--[[
  fail: records that the holder's head job failed, then retries the key later, dead-letters
  the job (SKIP) or parks the key (PARK).

  KEYS[1] ready  KEYS[2] leases  KEYS[3] owners  KEYS[4] attempts  KEYS[5] stats
  KEYS[6] bell   KEYS[7] queue (the key's jobs)  KEYS[8] deferred
  (the parked and dlq keys of the failure policy, and the staged list of a waiting replay, are
  reached through the prefix: same slot)

  ARGV[1] prefix       `{tag}:` (PartitionKeys.prefix)
  ARGV[2] key
  ARGV[3] workerId
  ARGV[4] fence
  ARGV[5] jobId        must be the head job
  ARGV[6] error        text kept in the DLQ / parked reason
  ARGV[7] retryable    1, or 0 to go straight to the failure policy
  ARGV[8] maxAttempts  attempts allowed per job (>= 1)
  ARGV[9] delayMs      backoff before the key may run again (chosen by the caller's policy)
  ARGV[10] policy      SKIP or PARK

  Returns {20 RETRY, attempts, readyAtMs}  key back in ready at now + delay
          {21 DEAD, attempts}              head job moved to the DLQ; key ready now if jobs remain
          {22 PARKED, attempts}            key moved to parked with its jobs
          {-1 STALE}                       not the owner: nothing changed
          {-2 HEAD_MISMATCH}               jobId is not the head: nothing changed

  Keeps: the failed job stays at the head until it succeeds or is dead-lettered, so no later
  job of the key can pass it. The lease always ends here, so the key is in exactly one of
  ready / parked, or (its last job dead) in none with an empty list. An operator's act that
  waited for the lease (operator_acts.lua) applies after the outcome: the answer is still the
  outcome's, and the key may then be parked, or ready now with replayed jobs in front.
]]
-- @include common.lua
-- @include dead_letter.lua
-- @include operator_acts.lua

local ready, leases, owners, attempts = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local stats, bell, queue, deferred = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local prefix, key, worker, fence = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local jobId, why, retryable = tonumber(ARGV[5]), ARGV[6], ARGV[7] == '1'
local maxAttempts, delay, policy = tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]

local act = parse_act(redis.call('HGET', deferred, key))
local guarded = {prefix .. 'parked', prefix .. 'dlq'} -- what exhaust() may write
if act then act_keys(prefix, key, act, guarded) end
guard_slot(guarded)
if not is_owner(owners, key, fence, worker) then return {-1} end
local head = redis.call('LINDEX', queue, 0)
if not head or not has_id(head, jobId) then return {-2} end

local now = now_ms()
redis.call('ZREM', leases, key)
redis.call('HDEL', owners, key)
redis.call('HINCRBY', stats, 'failed', 1)
local tries = redis.call('HINCRBY', attempts, key, 1)

local reply
if retryable and tries < maxAttempts then
  local at = now + delay
  redis.call('ZADD', ready, at, key)
  redis.call('HINCRBY', stats, 'retried', 1)
  if delay <= 0 then ring(bell) end
  reply = {20, tries, at}
elseif exhaust(policy, prefix, key, why, tries, now) == 'parked' then
  reply = {22, tries}
else
  reply = {21, tries}
end
if act then settle_act(prefix, key, act, now) end
return reply
