import type { Connection } from 'mongoose';
import { forgetFinished, runUntilFinished, runUntilSettled } from '../../db/models/start-up-pass.js';
import { volunteerModel } from './volunteer.model.js';
import { MATCH_KEYS_VERSION, backfillMatchKeys } from './match-keys.js';
import { LISTS_BUILT_PASS, MatchLists } from './match-lists.js';
import { repairPendingMatches } from './match-sync.js';

/** Marked once the lists made of keys of an older format are dropped (start-up-pass.ts). */
const OLD_LISTS_DROPPED_PASS = `match-lists-of-keys-v${MATCH_KEYS_VERSION}`;
/**
 * Marked once every record has keys of this version and the pass has settled (start-up-pass.ts):
 * a process of the previous release, serving during the deploy, writes keys of its own version.
 */
const KEYS_WRITTEN_PASS = `match-keys-v${MATCH_KEYS_VERSION}`;

/**
 * The volunteer feature's start-up tasks for mission matching, in this order: keys first (lists
 * are made of them), then what a crash left half done, then the lists. Each is idempotent, and
 * cheap once done: a pass marked finished (one look-up by id), or, for what a crash of any start
 * can leave (pending changes), an indexed equality that finds nothing.
 */
export const startUpMatching: Array<{ name: string; run: (mongo: Connection) => Promise<number> }> = [
  {
    // Records from before the mission match keys, or with an older key format.
    name: 'mission match keys',
    run: async (mongo) => {
      // Lists made of the old keys would go on answering for them: built again from the new ones.
      // Owed before the first key is written, and dropped until a start has done it: one stopped
      // after the last key, before the drop, finds no key left to write at the next.
      // Records written are no longer found (their version is this one): a start stopped part-way
      // leaves the next only the rest.
      const written = await runUntilSettled(mongo, KEYS_WRITTEN_PASS, () =>
        backfillMatchKeys(volunteerModel(mongo), () => forgetFinished(mongo, OLD_LISTS_DROPPED_PASS)),
      );
      await runUntilFinished(mongo, OLD_LISTS_DROPPED_PASS, async () => {
        await new MatchLists(mongo).clear();
        return 0;
      });
      return written;
    },
  },
  { name: 'mission match changes left unfinished', run: (mongo) => repairPendingMatches(volunteerModel(mongo), new MatchLists(mongo)) },
  { name: 'mission match lists', run: (mongo) => runUntilFinished(mongo, LISTS_BUILT_PASS, () => new MatchLists(mongo).buildAll()) },
];
