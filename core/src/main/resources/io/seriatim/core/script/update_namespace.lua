--[[
  update_namespace: changes stored settings of a namespace (`seriatim namespace update`). Running
  processes apply them once they read them again (see NamespaceRegistry.REFRESH).

  KEYS[1] settings  hash  `{seriatim:namespaces}:settings:<name>`

  ARGV[1..] changes  the settings to change, field, value, ..., as the hash holds them; never
                     `partitions` or `layout` (the caller checks every value)

  Returns {0 OK, field, value, ...}  the settings hash after the change (HGETALL), with
                                     updatedAtMs set to now
          {-3 NOT_FOUND}             no settings are stored (an unknown namespace, or one
                                     registered before settings were stored): nothing written

  Keeps: the partition count and the key layout never change (an ARGV naming either is refused
  with an error, before anything is written); the hash keeps every setting.
]]
-- @include common.lua

local settings = KEYS[1]
if redis.call('EXISTS', settings) == 0 then
  return {-3}
end
for i = 1, #ARGV, 2 do
  if ARGV[i] == 'partitions' or ARGV[i] == 'layout' or ARGV[i] == 'createdAtMs' or ARGV[i] == 'updatedAtMs' then
    return redis.error_reply('update_namespace: ' .. ARGV[i] .. ' cannot be changed')
  end
end
for i = 1, #ARGV, 2 do
  redis.call('HSET', settings, ARGV[i], ARGV[i + 1])
end
redis.call('HSET', settings, 'updatedAtMs', now_ms())
local out = {0}
for _, v in ipairs(redis.call('HGETALL', settings)) do
  out[#out + 1] = v
end
return out
