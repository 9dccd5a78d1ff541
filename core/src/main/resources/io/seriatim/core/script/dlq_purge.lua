--[[
  dlq_purge: deletes dead jobs for good.

  KEYS[1] dlq  KEYS[2] stats

  ARGV[1] key     purge only this key's dead jobs; '' = every key
  ARGV[2] limit   most dead entries examined in this call
  ARGV[3] fromId  stream id to start from ('-' = the oldest)

  Returns {purged, lastExaminedId or ''}

  Keeps: touches nothing but the dead-letter stream: no pending job is affected.
]]
local dlq, stats = KEYS[1], KEYS[2]
local only, limit, fromId = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local entries = redis.call('XRANGE', dlq, fromId, '+', 'COUNT', limit)
local purged, last = 0, ''
for _, e in ipairs(entries) do
  last = e[1]
  local key
  for i = 1, #e[2], 2 do if e[2][i] == 'key' then key = e[2][i + 1] end end
  if only == '' or key == only then
    redis.call('XDEL', dlq, e[1])
    purged = purged + 1
  end
end
redis.call('HINCRBY', stats, 'purged', purged)
return {purged, last}
