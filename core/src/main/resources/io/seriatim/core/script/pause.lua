--[[
  pause: stops claims in one partition of a namespace (KeyedQueue pauses every partition).
  Submits still enqueue; leases already held run on until their holders ack or release.

  KEYS[1] paused  string flag

  Returns {0 OK}

  Keeps: claim grants nothing while the flag exists; no key changes state here.
]]
redis.call('SET', KEYS[1], '1')
return {0}
