/**
 * The Lua scripts of the chat mailbox. Each runs atomically in Redis, so an update is appended,
 * claimed, committed and handed back without a window in which two workers could both act.
 * Keys of one chat share the hash tag `{chatId}`; see mailbox.ts for the layout.
 */

/**
 * Counting tries. Whenever a script hands a worker the head of a mailbox, the worker is about to
 * start that update, so the start is counted right there, in the same call: `P:{c}:try` holds
 * "<updateId>:<starts>" for the head. A process that dies while handling an update (a poison
 * update) never records a failure, but the next holder is handed the same head and sees the
 * count grow; past MAILBOX_MAX_ATTEMPTS it dead-letters the update without running it.
 * Prepended to every script that returns a head; `count_start(tryKey, head)` returns the count.
 */
const COUNT_START = `
local function count_start(key, head)
  if not head or head == '' then
    redis.call('DEL', key)
    return 0
  end
  local id = string.sub(head, 1, (string.find(head, '\\n', 1, true) or 1) - 1)
  local n = 1
  local current = redis.call('GET', key)
  if current then
    local sep = string.find(current, ':', 1, true)
    if sep and string.sub(current, 1, sep - 1) == id then n = tonumber(string.sub(current, sep + 1)) + 1 end
  end
  redis.call('SET', key, id .. ':' .. n)
  return n
end
`;

/**
 * The session for a worker that may already hold it: '=' when the stored one starts with the
 * prefix the worker passed ("v1.<iv>.<tag>." of the session it stored last: the IV and the GCM
 * tag make it that exact ciphertext), else the stored session ('' none). Only the prefix is read
 * into Lua when it matches: a big string costs Redis more in Lua than the few calls around it.
 */
const KNOWN_SESSION = `
local function known_session(key, prefix)
  if prefix ~= '' and redis.call('GETRANGE', key, 0, #prefix - 1) == prefix then return '=' end
  return redis.call('GET', key) or ''
end
`;

/**
 * Intake. KEYS: seen, mbox, ready, lease, out, sess, try. ARGV: entry, seenTtlS, now, chatId,
 * token ('' = do not take the chat), leaseMs, known session prefix ('' = none).
 * Drops an update id already seen; appends the entry; marks the chat ready unless it already is
 * (NX keeps the score of a chat a worker holds). With a token, the appending process also takes
 * the chat when nobody holds it, and gets what BEGIN returns, saving a round trip per update.
 * Returns {0} duplicate, {1} appended, {2, outbox, head, session, starts} appended and taken.
 * Nothing the caller already holds is sent back: a head that is the entry just appended comes
 * back as '=', and so does the session this process stored last (known_session).
 */
export const APPEND = `${COUNT_START}${KNOWN_SESSION}
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then return {0} end
local length = redis.call('RPUSH', KEYS[2], ARGV[1])
if ARGV[5] ~= '' and redis.call('SET', KEYS[4], ARGV[5], 'NX', 'PX', ARGV[6]) then
  redis.call('ZADD', KEYS[3], tonumber(ARGV[3]) + tonumber(ARGV[6]), ARGV[4])
  if length == 1 then
    -- The common case, an idle chat: the head is this entry, started for the first time (its id
    -- is new, or 'seen' would have dropped it), so neither the list nor the count is read.
    redis.call('SET', KEYS[7], string.sub(ARGV[1], 1, (string.find(ARGV[1], '\\n', 1, true) or 1) - 1) .. ':1')
    return {2, redis.call('GET', KEYS[5]) or '', '=', known_session(KEYS[6], ARGV[7]), 1}
  end
  local head = redis.call('LINDEX', KEYS[2], 0) or ''
  return {2, redis.call('GET', KEYS[5]) or '', head, known_session(KEYS[6], ARGV[7]), count_start(KEYS[7], head)}
end
redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[4])
return {1}
`;

/**
 * Take one named chat (the process that appended its update tries first) and read what
 * BEGIN reads, in the same step. KEYS: lease, ready, out, mbox, sess, try. ARGV: token, leaseMs,
 * now, chatId. While a chat is held its ready score lies in the future (now + lease), so other
 * processes' scans skip it until the lease would have run out. Returns {0} when held elsewhere.
 */
export const CLAIM_ONE = `${COUNT_START}
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[2]), ARGV[4])
local head = redis.call('LINDEX', KEYS[4], 0) or ''
return {1, redis.call('GET', KEYS[3]) or '', head, redis.call('GET', KEYS[5]) or '', count_start(KEYS[6], head)}
`;

/**
 * Take up to ARGV[5] ready chats whose score is due. KEYS: ready. ARGV: chat key prefix, token
 * base, leaseMs, now, max. A chat whose lease is still held (a slow renewal) is pushed back to
 * when that lease ends. Returns the chat ids taken; each one's token is `<base>.<chatId>`.
 *
 * The per-chat lease keys are built here, which Redis Cluster does not allow across slots: on a
 * cluster the ready index must live on its own node group (see docs/mailbox.md).
 */
export const CLAIM_DUE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[4], 'LIMIT', 0, tonumber(ARGV[5]))
local taken = {}
local lease = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
for _, id in ipairs(ids) do
  local key = ARGV[1] .. ':{' .. id .. '}:lease'
  if redis.call('SET', key, ARGV[2] .. '.' .. id, 'NX', 'PX', lease) then
    redis.call('ZADD', KEYS[1], now + lease, id)
    taken[#taken + 1] = id
  else
    local left = redis.call('PTTL', key)
    if left < 50 then left = 50 end
    redis.call('ZADD', KEYS[1], now + left, id)
  end
end
return taken
`;

/**
 * What a worker needs to go on with a chat. KEYS: lease, out, mbox, sess, try. ARGV: token.
 * Returns {0} when the lease is not ours, else {1, outbox, head entry, sealed session, starts}.
 */
export const BEGIN = `${COUNT_START}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end
local head = redis.call('LINDEX', KEYS[3], 0) or ''
return {1, redis.call('GET', KEYS[2]) or '', head, redis.call('GET', KEYS[4]) or '', count_start(KEYS[5], head)}
`;

/**
 * Commit before send: in one step, the handled update leaves the mailbox, the new session is
 * stored and the replies to send are stored as the outbox (replacing the previous outbox, which
 * was sent). KEYS: lease, out, mbox, sess, try.
 * ARGV: token, head prefix ("<updateId>\\n"), session ('' keep, '-' delete, else sealed),
 * sessionTtlS, outbox ('' none).
 * The lease is not renewed here: the holder renews it on a timer (RENEW, every third of the
 * lease), which two more writes per update would only repeat.
 * Returns {0} when the lease is not ours, else {1, next head, its starts}.
 */
export const COMMIT = `${COUNT_START}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end
-- Pop, and put back in the rare case the head is not the handled update (already popped).
local head = redis.call('LPOP', KEYS[3])
if head and string.sub(head, 1, #ARGV[2]) ~= ARGV[2] then redis.call('LPUSH', KEYS[3], head) end
if ARGV[3] == '-' then redis.call('DEL', KEYS[4])
elseif ARGV[3] ~= '' then redis.call('SET', KEYS[4], ARGV[3], 'EX', ARGV[4]) end
if ARGV[5] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[5]) end
local next_head = redis.call('LINDEX', KEYS[3], 0)
-- Nothing waiting: the count of the handled head is left for RELEASE to delete with the lease
-- (a later head has another id, so a count left behind by a crash is never mistaken for it).
if not next_head then return {1, '', 0} end
return {1, next_head, count_start(KEYS[5], next_head)}
`;

/** KEYS: lease, ready. ARGV: token, leaseMs, now, chatId. 1 renewed, 0 lost. */
export const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[2]), ARGV[4])
return 1
`;

/**
 * Hand a chat back. KEYS: lease, mbox, ready, out, try, sess. ARGV: token, chatId, outbox sent
 * ('1'/'0'), force ('1' hands back even with updates waiting, at shutdown), ready-at (ms), known
 * session prefix ('' = none).
 * A forced hand-back leaves the head unrun (shutdown, or a chat taken twice at intake), so the
 * start counted when it was handed over is taken back: rolling deploys must not add up to a
 * dead letter for an update that never ran.
 * Returns -1 lease not ours, 1 handed back, or, when more updates arrived meanwhile, the chat
 * kept and what BEGIN returns: {0, outbox, head, session, starts} (saves the worker that call).
 */
export const RELEASE = `${COUNT_START}${KNOWN_SESSION}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local waiting = redis.call('LLEN', KEYS[2])
if waiting > 0 and ARGV[4] ~= '1' then
  local outbox = ''
  if ARGV[3] == '1' then redis.call('DEL', KEYS[4]) else outbox = redis.call('GET', KEYS[4]) or '' end
  local next_head = redis.call('LINDEX', KEYS[2], 0)
  return {0, outbox, next_head, known_session(KEYS[6], ARGV[6]), count_start(KEYS[5], next_head)}
end
if waiting == 0 then
  -- The common case: lease, sent outbox and a count left by a commit go in one call.
  if ARGV[3] == '1' then redis.call('DEL', KEYS[1], KEYS[4], KEYS[5]) else redis.call('DEL', KEYS[1], KEYS[5]) end
  if ARGV[3] ~= '1' and redis.call('EXISTS', KEYS[4]) == 1 then redis.call('ZADD', KEYS[3], ARGV[5], ARGV[2])
  else redis.call('ZREM', KEYS[3], ARGV[2]) end
  return 1
end
-- Forced (shutdown, or a chat taken twice at intake): the head stays unrun, so the start
-- counted when it was handed over is taken back, and the chat stays due.
if ARGV[3] == '1' then redis.call('DEL', KEYS[4]) end
local head = redis.call('LINDEX', KEYS[2], 0)
local current = redis.call('GET', KEYS[5])
local sep = current and string.find(current, ':', 1, true)
local id = string.sub(head, 1, (string.find(head, '\\n', 1, true) or 1) - 1)
if sep and string.sub(current, 1, sep - 1) == id then
  local n = tonumber(string.sub(current, sep + 1)) - 1
  if n > 0 then redis.call('SET', KEYS[5], id .. ':' .. n) else redis.call('DEL', KEYS[5]) end
end
redis.call('DEL', KEYS[1])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[2])
return 1
`;

/**
 * Set an unreadable session aside for staff (still encrypted) under the lease.
 * KEYS: lease, sess, aside. ARGV: token, ttlS. Returns 1 moved, 0 not ours or nothing there.
 */
export const SET_ASIDE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('RENAME', KEYS[2], KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[2])
redis.call('SADD', KEYS[4], KEYS[3])
redis.call('EXPIRE', KEYS[4], ARGV[2])
return 1
`;

/**
 * Dead letters are filed per chat, so "Delete my data" reaches one person's without reading
 * anyone else's: `P:{c}:dead` (hash: number → the letter) and `P:dead:order` (sorted set of
 * "<chatId>:<number>" by number, the order and the cap for everyone). Prepended to the scripts
 * that add letters: `trim(order, max, prefix)` drops the oldest beyond `max` from both.
 * The chat keys are built here from the prefix, as in CLAIM_DUE (not for Redis Cluster).
 */
const TRIM_DEAD = `
local function trim(order, max, prefix)
  local over = redis.call('ZCARD', order) - max
  if over <= 0 then return 0 end
  local oldest = redis.call('ZPOPMIN', order, over)
  for i = 1, #oldest, 2 do
    local member = oldest[i]
    local sep = string.find(member, ':', 1, true)
    redis.call('HDEL', prefix .. ':{' .. string.sub(member, 1, sep - 1) .. '}:dead', string.sub(member, sep + 1))
  end
  return over
end
`;

/**
 * KEYS: order, counter, the chat's dead letters. ARGV: the letter (JSON), chatId, max, chat key
 * prefix. Files the letter under the next number and drops the oldest beyond `max`.
 */
export const DEAD_LETTER = `${TRIM_DEAD}
local n = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[3], n, ARGV[1])
redis.call('ZADD', KEYS[1], n, ARGV[2] .. ':' .. n)
trim(KEYS[1], tonumber(ARGV[3]), ARGV[4])
return n
`;

/**
 * "Delete my data". KEYS: order, the chat's dead letters. ARGV: chatId. Only the chat's own
 * numbers are read; returns how many letters went.
 */
export const FORGET_DEAD = `
local numbers = redis.call('HKEYS', KEYS[2])
for _, n in ipairs(numbers) do redis.call('ZREM', KEYS[1], ARGV[1] .. ':' .. n) end
redis.call('DEL', KEYS[2])
return #numbers
`;

/**
 * Dead letters an earlier release kept in one list (`P:dead`, newest first), filed under their
 * chats. KEYS: that list, order, a counter of letters taken from it. ARGV: max, chat key prefix,
 * then chatId and letter pairs read from the list's head. Each letter is taken off the list by
 * value (one that another process filed meanwhile is not filed twice) and numbered below every
 * newer letter (-1, -2, …: older the later it is read), so the cap drops them first.
 */
export const ADOPT_DEAD = `${TRIM_DEAD}
local moved = 0
for i = 3, #ARGV, 2 do
  local chat, letter = ARGV[i], ARGV[i + 1]
  if redis.call('LREM', KEYS[1], 1, letter) == 1 then
    local n = -redis.call('INCR', KEYS[3])
    redis.call('HSET', ARGV[2] .. ':{' .. chat .. '}:dead', n, letter)
    redis.call('ZADD', KEYS[2], n, chat .. ':' .. n)
    moved = moved + 1
  end
end
trim(KEYS[2], tonumber(ARGV[1]), ARGV[2])
return moved
`;
