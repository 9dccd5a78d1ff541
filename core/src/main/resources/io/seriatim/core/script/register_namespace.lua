--[[
  register_namespace: records a namespace the first time a process opens it: its partition count
  in the registry, so every process agrees on P (job placement depends on it), and its settings
  in the namespace's settings hash, which every process then applies instead of its own. A
  namespace whose settings are recorded is left as it is: the caller compares the stored
  settings with the ones its process was given and refuses to go on if they differ.

  KEYS[1] registry  hash  `seriatim:namespaces`, name -> partitions
  KEYS[2] settings  hash  `{seriatim:namespaces}:settings:<name>`, field -> value (its hash tag
                          puts it in KEYS[1]'s slot, so this script is valid on Redis Cluster)

  ARGV[1] name
  ARGV[2] partitions  the caller's partition count
  ARGV[3] insist      1: ARGV[2] must be the count on record; 0: take the count on record
  ARGV[4] layout      how a new namespace's partitions are tagged (`SPREAD`); written only for a
                      name the registry does not hold yet: a namespace an earlier version registered
                      keeps its data under the plain `{ns:p}` tags, which a hash without the field means
  ARGV[5..] settings  the other settings, field, value, ..., as the hash holds them

  Returns {created, partitions, field, value, ...}: created is 1 when this call recorded the
  settings, else 0; partitions is the count on record; then the settings hash (HGETALL),
  createdAtMs and updatedAtMs included. The hash is empty only when the namespace was registered
  before settings were stored (an earlier version) with another count than an insisting ARGV[2]:
  then nothing is written.

  Keeps: a namespace's partition count never changes once recorded, and equals `partitions` in
  its settings hash; a settings hash, once written, holds every setting; its `layout` is written
  with it or never (the tags of a namespace's data never change).
]]
-- @include common.lua

local registry, settings = KEYS[1], KEYS[2]
local name, partitions, insist, layout = ARGV[1], ARGV[2], ARGV[3] == '1', ARGV[4]

local function answer(created, p)
  local out = {created, tonumber(p)}
  for _, v in ipairs(redis.call('HGETALL', settings)) do
    out[#out + 1] = v
  end
  return out
end

local recorded = redis.call('HGET', registry, name)
if redis.call('EXISTS', settings) == 1 then
  return answer(0, recorded)
end
if recorded and recorded ~= partitions then
  if insist then
    return {0, tonumber(recorded)}
  end
  partitions = recorded
end
redis.call('HSET', registry, name, partitions)
local now = now_ms()
redis.call('HSET', settings, 'partitions', partitions, 'createdAtMs', now, 'updatedAtMs', now)
if not recorded then
  redis.call('HSET', settings, 'layout', layout)
end
for i = 5, #ARGV, 2 do
  redis.call('HSET', settings, ARGV[i], ARGV[i + 1])
end
return answer(1, partitions)
