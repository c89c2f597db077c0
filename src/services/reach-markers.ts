import type { Redis } from 'ioredis';
import { deliveryKeys } from '../delivery/keys.js';

/**
 * Redis copies of two user-record flags, "blocked the bot" and "announcements off", keyed by
 * chat (a private chat's id is the user's id), and of a language changed lately. A broadcast job asks at send time whether its
 * recipient still wants it; on FerretDB a database query per message capped delivery at about
 * 300 a second, while one Redis look-up costs a fraction of a millisecond.
 *
 * Why a copy is enough: the fan-out selects recipients from the database (blocked and opted-out
 * people are never queued), so the send-time check only has to see changes made AFTER a job was
 * queued, and every such change goes through UsersService, which writes the record first and
 * the marker second. The markers live in the same Redis as the queued jobs, so losing one
 * loses the other too, and the fan-out queues again from the database. A record changed behind
 * the service's back (by hand in the database) is seen by the next fan-out, not by jobs already
 * queued.
 */
/** A scheduled or queued announcement waits at most this long (see forget). */
const QUEUED_JOBS_LIVE_S = 7 * 24 * 3600;

export class ReachMarkers {
  private readonly keys: ReturnType<typeof deliveryKeys>;

  constructor(
    private readonly redis: Redis | undefined,
    prefix: string,
  ) {
    this.keys = deliveryKeys(prefix);
  }

  get available(): boolean {
    return this.redis !== undefined;
  }

  async setBlocked(chatId: number, blocked: boolean): Promise<void> {
    if (!this.redis) return;
    if (blocked) await this.redis.set(this.keys.blocked(chatId), '1');
    else await this.redis.del(this.keys.blocked(chatId));
  }

  /**
   * Telegram refused a chat that has no user record (the person deleted their data): only jobs
   * queued before that can still be meant for it (the fan-out queues from the records), so the
   * marker lasts as long as they may wait, and no longer says that this chat used the bot.
   */
  async setBlockedWhileQueued(chatId: number, queuedJobsLiveS = QUEUED_JOBS_LIVE_S): Promise<void> {
    if (!this.redis) return;
    await this.redis.set(this.keys.blocked(chatId), '1', 'EX', queuedJobsLiveS);
  }

  async setAnnouncements(chatId: number, on: boolean): Promise<void> {
    if (!this.redis) return;
    if (on) await this.redis.del(this.keys.noAnnouncements(chatId));
    else await this.redis.set(this.keys.noAnnouncements(chatId), '1');
  }

  /**
   * The person chose another language. Broadcast jobs carry the language picked when they were
   * queued (a scheduled announcement days before it goes, a large one hours before), so the
   * worker renders the text in this one instead. Kept as long as queued jobs live, no longer.
   */
  async setLanguage(chatId: number, locale: string, queuedJobsLiveS = QUEUED_JOBS_LIVE_S): Promise<void> {
    if (!this.redis) return;
    await this.redis.set(this.keys.language(chatId), locale, 'EX', queuedJobsLiveS);
  }

  /** The language chosen since jobs were queued, if the person changed it; undefined otherwise. */
  async languageOf(chatId: number): Promise<string | undefined> {
    if (!this.redis) return undefined;
    return (await this.redis.get(this.keys.language(chatId))) ?? undefined;
  }

  /**
   * The person deleted their data: jobs already queued for them must still be dropped at send
   * time, but no marker may keep saying for ever that this id used the bot. Queued announcements
   * drain within hours (200,000 at 25/s is 2.2 h); a week covers them with room to spare.
   */
  async forget(chatId: number, queuedJobsLiveS = QUEUED_JOBS_LIVE_S): Promise<void> {
    if (!this.redis) return;
    await this.redis.del(this.keys.blocked(chatId), this.keys.language(chatId));
    await this.redis.set(this.keys.noAnnouncements(chatId), '1', 'EX', queuedJobsLiveS);
    // Buttons of the chat from before stay on screen; a tap on one is not writing again.
    await this.redis.set(this.keys.erased(chatId), '1', 'EX', queuedJobsLiveS);
  }

  /** Whether the person deleted their data and has not written since (a week at most). */
  async erasedLately(chatId: number): Promise<boolean> {
    if (!this.redis) return false;
    return (await this.redis.exists(this.keys.erased(chatId))) === 1;
  }

  /** The person wrote again: their new account is theirs as any other. */
  async returned(chatId: number): Promise<void> {
    if (!this.redis) return;
    await this.redis.del(this.keys.erased(chatId));
  }

  /** Whether a broadcast may still go to this chat; undefined without Redis (ask the database). */
  async wantsBroadcasts(chatId: number): Promise<boolean | undefined> {
    if (!this.redis) return undefined;
    return (await this.redis.exists(this.keys.blocked(chatId), this.keys.noAnnouncements(chatId))) === 0;
  }
}
