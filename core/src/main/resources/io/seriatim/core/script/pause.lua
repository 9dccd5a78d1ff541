--[[
  pause: stops claims in one partition of a namespace (KeyedQueue pauses every partition).
  Submits still enqueue; leases already held run on until their holders ack or release: a
  pause starts nothing, so no job of a key starts beside a running one.

  KEYS[1] paused  string flag
  KEYS[2] leases  zset  key -> lease deadline

  Returns {0 OK, leased, lastDeadlineMs or -1}  the keys whose holders run on, and when the last
          of their leases ends unless renewed

  Keeps: claim grants nothing while the flag exists; no key changes state here.
]]
redis.call('SET', KEYS[1], '1')
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
return {0, redis.call('ZCARD', KEYS[2]), #last > 0 and tonumber(last[2]) or -1}
