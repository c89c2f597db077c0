import type { Connection } from 'mongoose';
import type { Logger } from '../logger.js';
import { RecordLock, RecordLockedError } from '../services/record-lock.js';
import type { ServiceDeps } from '../services/service-deps.js';
import type { Feature, StartUpConfig, StartUpLocks } from './types.js';
import { userRecordLock } from '../services/user-record-lock.js';
import { inquiryRecordLock } from '../services/inquiry-record-lock.js';

/** How long one try waits for another process's start-up tasks before it says so and waits on. */
const WAIT_MS = 60_000;
/**
 * A start-up task still running after this long is taken as hung: a database connection that
 * never answers (a host gone without closing it; the driver waits on such a socket for ever)
 * kept its process from serving and, since a live holder renews the tasks' lock, every other
 * process waiting for that lock too. The process stops instead (main.ts exits, the orchestrator
 * starts it again) and the lock is free at once. Generous, because a walk over millions of
 * records is slow on FerretDB; a walk cut short loses nothing, the next start goes on from its
 * mark (start-up-pass.ts saves one every 100 records).
 */
export const TASK_LIMIT_MS = 20 * 60_000;

/** A start-up task ran past TASK_LIMIT_MS. */
export class StartUpTaskHungError extends Error {
  constructor(feature: string, task: string, limitMs: number) {
    super(`start-up task ${feature}/${task} did not finish in ${Math.round(limitMs / 1000)} s; stopping so that this process is started again`);
    this.name = 'StartUpTaskHungError';
  }
}

/** `work`, or StartUpTaskHungError once it has run `limitMs` (the hung promise is left behind: the process is about to exit). */
async function withinLimit<T>(work: Promise<T>, limitMs: number, feature: string, task: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartUpTaskHungError(feature, task, limitMs)), limitMs);
  });
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One process's start-up tasks at a time: the bot and the worker start together after an
 * upgrade (and two bots during a deploy), and the second would go over the same records as the
 * first. It waits instead, then finds each pass marked finished (or goes on from the first's
 * marks when the first died: the lock expires on its own, start-up-pass.ts keeps the marks).
 */
export function startUpTasksLock(deps: Pick<ServiceDeps, 'redis' | 'config'>): RecordLock {
  return new RecordLock(deps.redis, `${deps.config.REDIS_PREFIX}:start-up`);
}

/** The record locks the start-up tasks take, the same as the writers of those records take. */
export function startUpLocks(deps: Pick<ServiceDeps, 'redis' | 'config'>): StartUpLocks {
  return { userRecord: userRecordLock(deps), inquiryRecord: inquiryRecordLock(deps) };
}

/**
 * Runs every feature's start-up tasks (back-fills of records written by older versions), one
 * after another, before the bot serves updates. Each costs one look-up once done (marks in
 * start-up-pass.ts), so they run at every start. Another process may serve meanwhile (the
 * previous release during a deploy): the tasks take the locks of the records they write
 * (`locks`), as that process's writers do. `oneAtATime` keeps this release's processes from
 * running them together (startUpTasksLock).
 */
export async function runStartUpTasks(
  features: readonly Feature[],
  mongo: Connection,
  locks: StartUpLocks,
  logger: Logger,
  oneAtATime: RecordLock,
  config: StartUpConfig = {},
  limitMs = TASK_LIMIT_MS,
): Promise<void> {
  const runAll = async () => {
    for (const feature of features) {
      for (const task of feature.startUp ?? []) {
        const changed = await withinLimit(task.run(mongo, locks, config), limitMs, feature.id, task.name);
        if (changed > 0) logger.info({ feature: feature.id, task: task.name, records: changed }, 'records filled in at start-up');
      }
    }
  };
  for (;;) {
    let entered = false;
    try {
      return await oneAtATime.run(
        'tasks',
        () => {
          entered = true;
          return runAll();
        },
        WAIT_MS,
      );
    } catch (error) {
      // A record lock inside a task that waited too long stops this start, as before; so does a
      // hung task (its lock is released on the way out).
      if (entered || !(error instanceof RecordLockedError)) throw error;
      logger.info('another process runs the start-up tasks: waiting for it');
    }
  }
}
