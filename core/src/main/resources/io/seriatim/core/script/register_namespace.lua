--[[
  register_namespace: records a namespace and its partition count the first time it is used,
  so every process agrees on P (job placement depends on it) and an unknown name is refused.

  KEYS[1] namespaces  hash  `seriatim:namespaces`, name -> partitions (outside any partition:
                            a single-key script, valid on Redis Cluster too)

  ARGV[1] name  ARGV[2] partitions

  Returns the partition count on record (the argument when newly registered). The caller
  refuses to go on if it differs from its own setting.

  Keeps: a namespace's partition count never changes once recorded.
]]
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
return tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
