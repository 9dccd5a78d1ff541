-- Moves the head job of a key to the dead-letter stream, with why and how often it failed.
-- Returns the dead job's stored bytes (nil when the list was empty).
local function dead_letter(queue, dlq, stats, key, why, tries, now)
  local job = redis.call('LPOP', queue)
  if not job then return nil end
  redis.call('XADD', dlq, '*', 'key', key, 'job', job, 'error', why, 'attempts', tries, 'at', now)
  redis.call('HINCRBY', stats, 'dead', 1)
  redis.call('HINCRBY', stats, 'pending', -1)
  return job
end

-- The failure policy once a head job has used up its attempts: SKIP dead-letters the job and
-- puts the key back in ready if jobs remain; PARK holds the key (and all its jobs) in parked.
-- The caller has already removed the lease. Returns 'dead' or 'parked'.
local function exhaust(policy, prefix, key, why, tries, now)
  local queue = prefix .. 'q:' .. key
  if policy == 'PARK' then
    redis.call('HSET', prefix .. 'parked', key, 'failed ' .. tries .. ' times: ' .. why)
    redis.call('HINCRBY', prefix .. 'stats', 'parkedByPolicy', 1)
    return 'parked'
  end
  dead_letter(queue, prefix .. 'dlq', prefix .. 'stats', key, why, tries, now)
  redis.call('HDEL', prefix .. 'attempts', key)
  if redis.call('EXISTS', queue) == 1 then
    redis.call('ZADD', prefix .. 'ready', now, key)
    ring(prefix .. 'bell')
  end
  return 'dead'
end
