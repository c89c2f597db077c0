import type { Connection } from 'mongoose';
import type { Logger } from '../logger.js';
import type { Feature, StartUpLocks } from './types.js';

/**
 * Runs every feature's start-up tasks (back-fills of records written by older versions), one
 * after another, before the bot serves updates. Each is cheap once done, so they run at every start.
 * Another process may serve meanwhile (the previous release during a deploy): the tasks take the
 * locks of the records they write (`locks`), as that process's writers do.
 */
export async function runStartUpTasks(features: readonly Feature[], mongo: Connection, locks: StartUpLocks, logger: Logger): Promise<void> {
  for (const feature of features) {
    for (const task of feature.startUp ?? []) {
      const changed = await task.run(mongo, locks);
      if (changed > 0) logger.info({ feature: feature.id, task: task.name, records: changed }, 'records filled in at start-up');
    }
  }
}
