import { RecordLock } from './record-lock.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * One writer of a citizen's question (an inquiry record, by its number) at a time, across
 * processes: FerretDB writes an update as the whole document it read, so two writers of different
 * fields could undo each other (docs/inquiries.md, "Records"). Every writer of the record takes
 * it: the inquiries service and the start-up passes over those records.
 */
export function inquiryRecordLock(deps: Pick<ServiceDeps, 'redis' | 'config'>): RecordLock {
  return new RecordLock(deps.redis, `${deps.config.REDIS_PREFIX}:inq`);
}
