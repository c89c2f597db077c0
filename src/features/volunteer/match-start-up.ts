import type { Connection } from 'mongoose';
import { volunteerModel } from './volunteer.model.js';
import { backfillMatchKeys } from './match-keys.js';
import { MatchLists } from './match-lists.js';
import { repairPendingMatches } from './match-sync.js';

/**
 * The volunteer feature's start-up tasks for mission matching, in this order: keys first (lists
 * are made of them), then what a crash left half done, then the lists. Each is idempotent, and
 * cheap once done: an indexed look-up that finds nothing.
 */
export const startUpMatching: Array<{ name: string; run: (mongo: Connection) => Promise<number> }> = [
  {
    // Records from before the mission match keys, or with an older key format.
    name: 'mission match keys',
    run: async (mongo) => {
      const written = await backfillMatchKeys(volunteerModel(mongo));
      // Lists made of the old keys would go on answering for them: built again from the new ones.
      if (written > 0) await new MatchLists(mongo).clear();
      return written;
    },
  },
  { name: 'mission match changes left unfinished', run: (mongo) => repairPendingMatches(volunteerModel(mongo), new MatchLists(mongo)) },
  { name: 'mission match lists', run: (mongo) => new MatchLists(mongo).buildAll() },
];
