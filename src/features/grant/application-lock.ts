import { RecordLock } from '../../services/record-lock.js';
import type { ServiceDeps } from '../../services/service-deps.js';

/**
 * One writer at a time of a grant application's record and its decisions' records, across
 * processes, keyed by the reference. FerretDB writes an update as the whole document it read a
 * moment before, so two writes of one record at the same instant lose one, whatever their
 * filters say: a decision written as the repair pass sealed the same application's older texts
 * was undone, though the reviewer was told it was saved and the applicant notified
 * (test/attack/grant-seal-meanwhile.test.ts).
 */
export function applicationLock(deps: Pick<ServiceDeps, 'redis' | 'config'>): RecordLock {
  return new RecordLock(deps.redis, `${deps.config.REDIS_PREFIX}:grant`);
}
