--[[
  ack: for each of one worker's keys in a partition, removes the jobs it finished from the head
  of the key, then either hands back the key's next jobs (lease extended), releases the idle key,
  or yields a hot key. A worker acks many keys in one call (its strands' acks, gathered): what
  each key costs is its own LRANGE and LTRIM; the owners, leases, attempts and stats of all the
  call's keys take one command each.

  KEYS[1] ready     zset
  KEYS[2] leases    zset  key -> lease deadline
  KEYS[3] owners    hash  key -> "fence|grantedAtMs|jobsRun|workerId"
  KEYS[4] attempts  hash
  KEYS[5] stats     hash
  KEYS[6] bell      list
  KEYS[7] deferred  hash  key -> operator act waiting for the lease to end (operator_acts.lua)
  (queue lists, and for a key with an act the parked hash and its staged list, are built from
  the prefix: same slot)

  ARGV[1] prefix       `{tag}:` (PartitionKeys.prefix)
  ARGV[2] workerId
  ARGV[3] leaseMs      lease extension from now
  ARGV[4] budgetJobs   fairness: jobs per lease before the key yields (0 = no limit)
  ARGV[5] budgetMs     fairness: ms per lease before the key yields (0 = no limit)
  ARGV[6..] groups, each: key, fence, batch (how many next jobs to return), skip (jobs after the
            acked ones that the worker already holds: not returned), n, then the n job ids being
            acked, head first

  Returns, for each group in order:
          10 CONTINUE, deadline, m, then m jobs   lease extended; jobs start `skip` after the acked
          11 RELEASED                             the key has no more jobs: lease and key gone
          12 YIELDED                              budget spent: key at the back of ready
          13 HANDED_OVER                          an operator's act waited for this ack (a park, a
                                                  replay to the head): the lease ends, the act
                                                  applies, the key is parked or ready
          -1 STALE                                not the owner (fence or worker differ): nothing changed
          -2 HEAD_MISMATCH                        the head is not exactly these jobs, or the key came
                                                  earlier in this call: nothing changed for it

  Keeps: only the current holder (fence and worker) can remove jobs, and only the exact head
  it was given, so a stale holder never pops a job it did not run. Each key ends in exactly
  one of leases (CONTINUE), ready (YIELDED), ready or parked (HANDED_OVER) or none with an
  empty list (RELEASED). A key with a waiting act never continues: the ack is where the act
  takes effect. Groups are
  independent: one key's STALE or HEAD_MISMATCH changes nothing for it and nothing for the others.
  The key lists are checked (guard_slot) before they are read and before the first write, so a
  call that fails in a slot being resharded changes nothing.
]]
-- @include common.lua
-- @include operator_acts.lua

local ready, leases, owners, attempts, stats, bell, deferred =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local prefix, worker = ARGV[1], ARGV[2]
local leaseMs, budgetJobs, budgetMs = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local nargs = #ARGV

-- The groups' keys first, so that one HMGET reads every owner.
local groupKeys, starts = {}, {}
local i = 6
while i <= nargs do
  groupKeys[#groupKeys + 1] = ARGV[i]
  starts[#starts + 1] = i
  i = i + 5 + tonumber(ARGV[i + 4])
end
local ownerValues = hmget_all(owners, groupKeys)
local lists, guarded = {}, {}
for g, key in ipairs(groupKeys) do
  lists[g] = prefix .. 'q:' .. key
  guarded[g] = lists[g]
end
-- Waiting operator acts: usually none, and then one EXISTS is all they cost.
local acts = {}
if redis.call('EXISTS', deferred) == 1 then
  local values = hmget_all(deferred, groupKeys)
  for g = 1, #groupKeys do
    acts[g] = parse_act(values[g])
    if acts[g] then act_keys(prefix, groupKeys[g], acts[g], guarded) end
  end
end
guard_slot(guarded)

local now -- Redis time, read once and only if a key stays leased or yields
local out = {}
local seen = {}
local acked = 0
local done, gone, extended, renewedOwners, yielded, settle = {}, {}, {}, {}, {}, {}
for g, key in ipairs(groupKeys) do
  local at = starts[g]
  local fence, batch, skip, n = ARGV[at + 1], tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
  local owner = parse_owner(ownerValues[g])
  if seen[key] then
    out[#out + 1] = -2
  elseif not (owner and owner.fence == fence and owner.worker == worker) then
    out[#out + 1] = -1
  else
    seen[key] = true
    local queue = lists[g]
    -- The head, then what comes after it: the next jobs, or one job to tell whether any is left.
    local jobs = redis.call('LRANGE', queue, 0, n + math.max(skip + batch, 1) - 1)
    local matches = #jobs >= n
    for j = 1, n do
      if not matches then break end
      matches = has_id(jobs[j], tonumber(ARGV[at + 4 + j]))
    end
    if not matches then
      out[#out + 1] = -2
    else
      redis.call('LTRIM', queue, n, -1)
      done[#done + 1] = key
      acked = acked + n
      if acts[g] then
        -- The act waited for this ack: the lease ends here, and the act applies below.
        gone[#gone + 1] = key
        settle[#settle + 1] = g
        out[#out + 1] = (#jobs == n and not acts[g].head) and 11 or 13
      elseif #jobs == n then
        gone[#gone + 1] = key
        out[#out + 1] = 11
      else
        now = now or now_ms()
        local ran = owner.ran + n
        if (budgetJobs > 0 and ran >= budgetJobs) or (budgetMs > 0 and now - owner.granted >= budgetMs) then
          gone[#gone + 1] = key
          yielded[#yielded + 1] = now
          yielded[#yielded + 1] = key
          out[#out + 1] = 12
        else
          local deadline = now + leaseMs
          extended[#extended + 1] = deadline
          extended[#extended + 1] = key
          renewedOwners[#renewedOwners + 1] = key
          renewedOwners[#renewedOwners + 1] = owner_value(fence, owner.granted, ran, worker)
          out[#out + 1] = 10
          out[#out + 1] = deadline
          local first, last = n + skip + 1, math.min(#jobs, n + skip + batch)
          out[#out + 1] = math.max(0, last - first + 1)
          for j = first, last do out[#out + 1] = jobs[j] end
        end
      end
    end
  end
end

-- A finished head job's failed attempts no longer count: the next head starts from none.
call_spread('HDEL', attempts, done)
call_spread('ZREM', leases, gone)
call_spread('HDEL', owners, gone)
call_spread('ZADD', leases, extended)
call_spread('HSET', owners, renewedOwners)
if #yielded > 0 then
  call_spread('ZADD', ready, yielded)
  ring(bell)
end
if #settle > 0 then
  now = now or now_ms()
  for _, g in ipairs(settle) do settle_act(prefix, groupKeys[g], acts[g], now) end
end
if acked > 0 then
  redis.call('HINCRBY', stats, 'acked', acked)
  redis.call('HINCRBY', stats, 'pending', -acked)
end
return out
