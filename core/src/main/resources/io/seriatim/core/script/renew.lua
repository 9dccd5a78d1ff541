--[[
  renew: extends the leases a worker still holds, many keys in one call.

  KEYS[1] leases    zset  key -> lease deadline
  KEYS[2] owners    hash  key -> "fence|grantedAtMs|jobsRun|workerId"

  ARGV[1] workerId
  ARGV[2] leaseMs
  ARGV[3..] pairs of key, fence

  Returns {deadline, status per pair...}  status 1 = renewed, -1 = STALE (no longer held)

  Keeps: only the holder (fence and worker) moves a deadline; a key that is not leased is
  never added to leases here (ZADD XX).
]]
-- @include common.lua

local leases, owners = KEYS[1], KEYS[2]
local worker, leaseMs = ARGV[1], tonumber(ARGV[2])
local deadline = now_ms() + leaseMs
local out = {deadline}
for i = 3, #ARGV, 2 do
  local key, fence = ARGV[i], ARGV[i + 1]
  if is_owner(owners, key, fence, worker) then
    redis.call('ZADD', leases, 'XX', deadline, key)
    out[#out + 1] = 1
  else
    out[#out + 1] = -1
  end
end
return out
