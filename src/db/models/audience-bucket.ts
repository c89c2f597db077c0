/**
 * How many buckets the broadcast audience is split into. Every user record stores its bucket, so
 * this never changes without re-bucketing every record. 64 keeps each bucket's page of 200,000
 * users at about 3,100 (one read, one cursor write each) while a small audience costs only 64
 * short look-ups.
 */
export const AUDIENCE_BUCKETS = 64;

/**
 * The user's bucket, 0 to AUDIENCE_BUCKETS - 1: a multiplicative hash of the Telegram id's two
 * 32-bit halves, whose top bits spread any run of ids (sequential, all even...) evenly.
 * Stable for ever: records store the result.
 */
export function audienceBucket(telegramId: number): number {
  const low = telegramId >>> 0;
  const high = Math.floor(telegramId / 2 ** 32) >>> 0;
  const mixed = Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1) >>> 0;
  return Math.floor((mixed / 2 ** 32) * AUDIENCE_BUCKETS);
}
