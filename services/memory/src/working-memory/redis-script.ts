/**
 * The working-memory merge as one Lua script, so reading the hash, merging the patch, measuring the
 * result against the cap and writing it (or refusing, with nothing changed) is one atomic step in
 * Redis. KEYS[1] is the conversation's hash (field name → the value's JSON text). ARGV: the TTL in ms,
 * the cap in bytes, then name/value pairs of the patch, where an empty value deletes the field (a JSON
 * text is never empty).
 *
 * The size is the cap's measure (domain/working-memory.ts `serializedBytes`): the UTF-8 bytes of
 * `JSON.stringify(map)`. Values are stored as the JSON text the service wrote, so they count as
 * stored; a name counts as JavaScript's JSON.stringify writes it (quotes, a 2-byte escape for `"`,
 * `\` and \b \t \n \f \r, a 6-byte \u00XX for the other control characters, every other byte as is;
 * the routes refuse names with lone surrogates, the one other case JSON.stringify escapes).
 *
 * Returns {1, size, name1, value1, ...} after a write (no pairs when the result is empty and the key
 * was deleted), or {0, size} when the result would exceed the cap.
 */
export const PUT_SCRIPT = String.raw`
local function json_string_bytes(s)
  local n = 2 + #s
  for c in string.gmatch(s, '[%z\1-\31"\\]') do
    local b = string.byte(c)
    if b == 34 or b == 92 or b == 8 or b == 9 or b == 10 or b == 12 or b == 13 then
      n = n + 1
    else
      n = n + 5
    end
  end
  return n
end

local function in_chunks(command, key, list)
  for i = 1, #list, 1000 do
    redis.call(command, key, unpack(list, i, math.min(i + 999, #list)))
  end
end

local key = KEYS[1]
local ttl = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local map = {}
local flat = redis.call('HGETALL', key)
for i = 1, #flat, 2 do map[flat[i]] = flat[i + 1] end

local deleted, written = {}, {}
for i = 3, #ARGV, 2 do
  local name, value = ARGV[i], ARGV[i + 1]
  if value == '' then
    map[name] = nil
    deleted[#deleted + 1] = name
  else
    map[name] = value
    written[#written + 1] = name
    written[#written + 1] = value
  end
end

local size, count = 2, 0
for name, value in pairs(map) do
  size = size + json_string_bytes(name) + 1 + #value
  count = count + 1
end
if count > 1 then size = size + count - 1 end
if size > max then return {0, size} end

if count == 0 then
  redis.call('DEL', key)
  return {1, size}
end
in_chunks('HDEL', key, deleted)
in_chunks('HSET', key, written)
redis.call('PEXPIRE', key, ttl)
local out = {1, size}
for name, value in pairs(map) do
  out[#out + 1] = name
  out[#out + 1] = value
end
return out
`;

/** Reads the hash and pushes its expiry to now + TTL in one step; {} when there is none. */
export const GET_SCRIPT = String.raw`
local flat = redis.call('HGETALL', KEYS[1])
if #flat > 0 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1])) end
return flat
`;
