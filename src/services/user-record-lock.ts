import { RecordLock } from './record-lock.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * One writer of a user record at a time, by Telegram id, across processes. FerretDB writes an
 * update as the whole document it read a moment before, so any write of the record (a language,
 * the blocked flag, the last-seen touch of an update) whose read came before a revoke's write
 * would write `role: 'staff'` back. Every writer of the record takes this lock: access changes
 * (AccessService), the member's own writes (UsersService) and the features' flags on it.
 * The key stays under `access-write`, the name it had when only access writes took it, so a
 * process of the previous release and one of this release still keep each other out (and not
 * under `access:`, which holds only the cached copies of access).
 */
export function userRecordLock(deps: Pick<ServiceDeps, 'redis' | 'config'>): RecordLock {
  return new RecordLock(deps.redis, `${deps.config.REDIS_PREFIX}:access-write`);
}
