import type { Redis } from 'ioredis';

/**
 * The staff group refusing the bot new topics (it lacks the "manage topics" right, or is not an
 * admin there): the move pass asks again after 2 minutes, then 4, 8… up to an hour, and the log
 * says so once a step, not every minute. Shared by the processes in Redis, so each step is asked
 * and warned about once between them. A topic made meanwhile (a person writing moves their
 * question at once, when Telegram allows it) ends the waiting: the right is there again.
 */
const FIRST_WAIT_MS = 2 * 60_000;
export const LONGEST_WAIT_MS = 60 * 60_000;
/** The record outlives its wait by this much, so the next refusal doubles it rather than starting over. */
const KEPT_AFTER_MS = 24 * 3600_000;

interface RefusalDeps {
  redis: Redis;
  config: { REDIS_PREFIX: string };
}

const keyOf = (deps: RefusalDeps, chatId: number) => `${deps.config.REDIS_PREFIX}:inq:topic-refused:${chatId}`;

/**
 * The next wait, if the record is still what the pass read ("<wait ms>:<until ms>", or none):
 * two processes refused at once make one step, and only the one that made it warns.
 */
const STEP = `
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
local wait = tonumber(ARGV[3])
if current ~= '' then
  wait = math.min(tonumber(string.match(current, '^(%d+):')) * 2, tonumber(ARGV[4]))
end
redis.call('SET', KEYS[1], string.format('%.0f:%.0f', wait, tonumber(ARGV[2]) + wait), 'PX', wait + tonumber(ARGV[5]))
return wait
`;

/** Where the waiting stands: `seen` is the record as read (for the next step), `waiting` whether topics are not to be asked for yet. */
export interface TopicRefusal {
  seen: string;
  waiting: boolean;
}

/** Redis away: as if nothing was refused (the pass asks once a minute, as before there was a wait). */
export async function topicRefusal(deps: RefusalDeps, chatId: number, now: Date): Promise<TopicRefusal> {
  const seen = (await deps.redis.get(keyOf(deps, chatId)).catch(() => null)) ?? '';
  const until = Number(seen.split(':')[1] ?? 0);
  return { seen, waiting: now.getTime() < until };
}

/** Refused again: the next wait (doubled, at most an hour), or undefined when another process stepped first. */
export async function refusedAgain(deps: RefusalDeps, chatId: number, seen: string, now: Date): Promise<number | undefined> {
  const wait = await deps.redis
    .eval(STEP, 1, keyOf(deps, chatId), seen, now.getTime(), FIRST_WAIT_MS, LONGEST_WAIT_MS, KEPT_AFTER_MS)
    .catch(() => 0);
  return Number(wait) > 0 ? Number(wait) : undefined;
}

/** A topic was made in the group: it takes them again, so nothing waits any more. */
export async function topicsTakenAgain(deps: RefusalDeps, chatId: number): Promise<void> {
  await deps.redis.del(keyOf(deps, chatId)).catch(() => undefined);
}
