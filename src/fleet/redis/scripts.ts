import { createHash } from 'node:crypto'
import type { Script } from './connection.js'

const script = (source: string): Script => ({ source, sha1: createHash('sha1').update(source).digest('hex') })

/*
 * Each step that must not interleave with another replica's is one Lua
 * script (Redis runs a script alone). Hostile or foreign content under the
 * fleet's keys (a key of another type, a field that is not a number) is
 * treated as absent or overwritten, never as an error: an error would turn
 * the replica solo, as if Redis were down.
 */

const NUMBER = `local function number(value) return tonumber(value) or 0 end
local function hash(key) return redis.call('TYPE', key).ok == 'hash' end`

/**
 * KEYS: lease, fence, snapshot keys…; ARGV: token, ttlMs, keepMs.
 * The holder extends its lease and keeps its number; anyone else gets nil
 * while the lease is held. A new holder takes it with SET NX PX and a
 * fencing number above the last handed out and above any stored write's.
 */
export const ACQUIRE = script(`${NUMBER}
if redis.call('TYPE', KEYS[1]).ok ~= 'string' and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DEL', KEYS[1]) end
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return number(redis.call('GET', KEYS[2]))
end
if holder then return nil end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return nil end
local fence = 0
if redis.call('TYPE', KEYS[2]).ok == 'string' then fence = number(redis.call('GET', KEYS[2])) end
for i = 3, #KEYS do
  if hash(KEYS[i]) then fence = math.max(fence, number(redis.call('HGET', KEYS[i], 'fence'))) end
end
fence = math.floor(fence) + 1
redis.call('SET', KEYS[2], fence, 'PX', ARGV[3])
return fence`)

/** KEYS: lease; ARGV: token, ttlMs. 1 when `token` holds the lease (now extended), else 0. */
export const RENEW = script(`if redis.call('TYPE', KEYS[1]).ok ~= 'string' then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`)

/** KEYS: lease; ARGV: token, channel. Gives the lease up if `token` holds it, and says so. */
export const RELEASE = script(`if redis.call('TYPE', KEYS[1]).ok ~= 'string' then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'released')
  return 1
end
return 0`)

/**
 * KEYS: snapshot, lease; ARGV: token, fence, seq, body, keepMs, channel, notice.
 * Only the lease's holder writes, and only a version above the stored one:
 * a deposed leader's write is refused even if its token were somehow back.
 */
export const WRITE = script(`${NUMBER}
if redis.call('TYPE', KEYS[2]).ok ~= 'string' then return 'not-holder' end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 'not-holder' end
local fence, seq = tonumber(ARGV[2]), tonumber(ARGV[3])
if hash(KEYS[1]) then
  local stored = redis.call('HMGET', KEYS[1], 'fence', 'seq')
  local f, s = number(stored[1]), number(stored[2])
  if fence < f or (fence == f and seq <= s) then return 'outdated' end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'fence', ARGV[2], 'seq', ARGV[3], 'body', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PUBLISH', ARGV[6], ARGV[7])
return 'written'`)

/** KEYS: snapshot keys…. Per key: fence and seq (false when absent or not a hash). */
export const VERSIONS = script(`local out = {}
for i = 1, #KEYS do
  if redis.call('TYPE', KEYS[i]).ok == 'hash' then
    local stored = redis.call('HMGET', KEYS[i], 'fence', 'seq')
    out[i] = {stored[1] or '', stored[2] or ''}
  else
    out[i] = false
  end
end
return out`)

/**
 * KEYS: snapshot; ARGV: maxBytes. {fence, seq, body}, the body left unread
 * (false) when larger than maxBytes; nil when absent or not a hash.
 */
export const READ = script(`if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return nil end
local stored = redis.call('HMGET', KEYS[1], 'fence', 'seq')
local size = redis.call('HSTRLEN', KEYS[1], 'body')
if size > tonumber(ARGV[1]) then return {stored[1] or '', stored[2] or '', false} end
return {stored[1] or '', stored[2] or '', redis.call('HGET', KEYS[1], 'body') or ''}`)

/** KEYS: refresh set; ARGV: keepMs, channel, resources…. Asks the leader for a refresh. */
export const REQUEST = script(`if redis.call('TYPE', KEYS[1]).ok ~= 'set' then redis.call('DEL', KEYS[1]) end
for i = 3, #ARGV do redis.call('SADD', KEYS[1], ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], 'refresh')
return 1`)

/** KEYS: refresh set, lease; ARGV: token. The resources asked for, emptied, for the lease's holder only. */
export const CLAIM = script(`if redis.call('TYPE', KEYS[2]).ok ~= 'string' then return {} end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {} end
if redis.call('TYPE', KEYS[1]).ok ~= 'set' then
  redis.call('DEL', KEYS[1])
  return {}
end
local asked = redis.call('SRANDMEMBER', KEYS[1], 16)
redis.call('DEL', KEYS[1])
return asked`)

const WINDOWS = `local function count(key, from) return redis.call('ZCOUNT', key, '(' .. from, '+inf') end
local function wait(key, now, limit, span, slack)
  local from = now - span - slack
  local n = count(key, from)
  if n < limit then return 0 end
  local leaving = redis.call('ZRANGEBYSCORE', key, '(' .. from, '+inf', 'WITHSCORES', 'LIMIT', n - limit, 1)
  return tonumber(leaving[2]) + span + slack - now
end
local function prepare(calls, hold)
  if redis.call('TYPE', calls).ok ~= 'zset' and redis.call('EXISTS', calls) == 1 then redis.call('DEL', calls) end
  if redis.call('TYPE', hold).ok ~= 'string' and redis.call('EXISTS', hold) == 1 then redis.call('DEL', hold) end
end
local function waitMs(calls, hold, now, perMinute, perHour, slack)
  redis.call('ZREMRANGEBYSCORE', calls, '-inf', now - 3600000 - slack)
  local held = (tonumber(redis.call('GET', hold)) or 0) - now
  return math.max(held, wait(calls, now, perMinute, 60000, slack), wait(calls, now, perHour, 3600000, slack), 0)
end`

/**
 * KEYS: calls (sorted set of call times), hold; ARGV: now, perMinute,
 * perHour, slackMs, member. The sliding windows of src/upstream/budget.ts,
 * for the fleet: 0 and the call counted, or how long to wait.
 */
export const TAKE = script(`${WINDOWS}
local now, slack = tonumber(ARGV[1]), tonumber(ARGV[4])
prepare(KEYS[1], KEYS[2])
local ms = waitMs(KEYS[1], KEYS[2], now, tonumber(ARGV[2]), tonumber(ARGV[3]), slack)
if ms > 0 then return math.ceil(ms) end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], 3600000 + slack * 2)
return 0`)

/** KEYS: calls, hold; ARGV: now, perMinute, perHour, slackMs. {calls in the minute, in the hour, wait}. */
export const STATE = script(`${WINDOWS}
local now, slack = tonumber(ARGV[1]), tonumber(ARGV[4])
prepare(KEYS[1], KEYS[2])
local ms = waitMs(KEYS[1], KEYS[2], now, tonumber(ARGV[2]), tonumber(ARGV[3]), slack)
return {count(KEYS[1], now - 60000 - slack), count(KEYS[1], now - 3600000 - slack), math.ceil(ms)}`)

/** KEYS: hold; ARGV: until, now. No call before `until`, for any replica (a 429's hold). */
export const HOLD =
  script(`if redis.call('TYPE', KEYS[1]).ok ~= 'string' and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DEL', KEYS[1]) end
local stop = tonumber(ARGV[1])
local held = tonumber(redis.call('GET', KEYS[1])) or 0
if stop > held then redis.call('SET', KEYS[1], ARGV[1], 'PX', math.max(1, stop - tonumber(ARGV[2]))) end
return 1`)

/** KEYS: calls; ARGV: slackMs, times…. Counts calls made while Redis was unreachable. */
export const RECORD =
  script(`if redis.call('TYPE', KEYS[1]).ok ~= 'zset' and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DEL', KEYS[1]) end
for i = 2, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], 3600000 + tonumber(ARGV[1]) * 2)
return 1`)
