import type { VolunteerModel } from './volunteer.model.js';
import type { MatchLists } from './match-lists.js';
import { MATCH_KEYS_VERSION, volunteerMatchKeys, type MatchKeyFields } from './match-keys.js';

/**
 * Keeps a volunteer's match keys and the match lists in step with their record, in three steps
 * after the write that changed it. That write sets `matchPending` in the same update, so a crash
 * anywhere in between leaves the record marked, and the start-up task finishes the job:
 *
 *   1. the keys are recomputed, and every key whose list may hold the volunteer (the old keys,
 *      the new ones, and those an interrupted run had noted) is noted in `matchTouch`;
 *   2. those keys take their next change number for this volunteer (MatchLists.touch), which
 *      tells the next mission of each key to read their record again;
 *   3. `matchPending` and `matchTouch` are removed.
 *
 * Steps 1 and 3 are conditional on the record being unchanged since it was read (`updatedAt`):
 * a later change has set `matchPending` again and runs its own steps.
 */
type Stored = MatchKeyFields & { _id: unknown; userId: number; updatedAt?: Date; matchKeys?: string[] | null; matchTouch?: string[] | null; matchFormer?: string[] | null };
const FIELDS = { userId: 1, region: 1, areas: 1, availability: 1, age: 1, paused: 1, blocked: 1, updatedAt: 1, matchKeys: 1, matchTouch: 1, matchFormer: 1 } as const;

export async function syncMatch(volunteers: VolunteerModel, lists: MatchLists, filter: { userId: number } | { chatId: number }): Promise<void> {
  const records = await volunteers.find(filter, FIELDS).lean<Stored[]>();
  for (const r of records) {
    const unchanged = { _id: r._id, ...(r.updatedAt ? { updatedAt: r.updatedAt } : {}) };
    const keys = volunteerMatchKeys(r);
    const touch = [...new Set([...(r.matchKeys ?? []), ...keys, ...(r.matchTouch ?? [])])];
    // Keys left behind: their stored lists may hold this volunteer until a mission stores them
    // again, so deleting the volunteer drops them too (unlistVolunteer).
    // It only grows (a key is never known to be free of this volunteer's old entry until a mission
    // stored its list again): bounded by the regions, areas and times one person ever chose.
    const former = [...new Set([...(r.matchFormer ?? []), ...(r.matchKeys ?? [])])].filter((k) => !keys.includes(k));
    // The keys follow the record; they are not a change of their own (updatedAt stays).
    const written = await volunteers.updateOne(
      unchanged,
      { $set: { matchKeys: keys, matchKeysVersion: MATCH_KEYS_VERSION, matchTouch: touch, matchFormer: former } },
      { timestamps: false },
    );
    if (written.matchedCount === 0) continue;
    await lists.touch(touch, r.userId);
    await volunteers.updateOne(unchanged, { $unset: { matchPending: 1, matchTouch: 1 } }, { timestamps: false });
  }
}

/**
 * Before a volunteer record is deleted: it answers to no key any more, and every list that may
 * hold it (its keys, and the keys it had before) is dropped, chat id and all. Marked pending first, so a crash before the delete is
 * finished at start-up: the record, still there, gets its keys back.
 */
export async function unlistVolunteer(volunteers: VolunteerModel, lists: MatchLists, userId: number): Promise<void> {
  const r = await volunteers
    .findOne({ userId }, { matchKeys: 1, matchTouch: 1, matchFormer: 1 })
    .lean<{ _id: unknown; matchKeys?: string[] | null; matchTouch?: string[] | null; matchFormer?: string[] | null }>();
  if (!r) return;
  const touch = [...new Set([...(r.matchKeys ?? []), ...(r.matchTouch ?? []), ...(r.matchFormer ?? [])])];
  // A timestamped write, so that a key refresh racing this one (conditional on updatedAt) fails.
  await volunteers.updateOne({ _id: r._id }, { $set: { matchKeys: [], matchPending: true, matchTouch: touch } });
  // Without the volunteer's id: every list that may hold them is dropped at once, chat id and all.
  await lists.touch(touch);
}

/**
 * Finishes the steps a crash or a failed write interrupted; returns how many records it repaired.
 * At start-up every pending record; on the periodic tick only those pending since before
 * `changedBefore` (a change in flight is left to finish itself).
 */
export async function repairPendingMatches(volunteers: VolunteerModel, lists: MatchLists, changedBefore?: Date): Promise<number> {
  const filter = changedBefore ? { matchPending: true, updatedAt: { $lt: changedBefore } } : { matchPending: true };
  const pending = await volunteers.find(filter, { userId: 1 }).lean<Array<{ userId: number }>>();
  for (const { userId } of pending) await syncMatch(volunteers, lists, { userId });
  return pending.length;
}
