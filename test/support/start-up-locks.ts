import type { StartUpLocks } from '../../src/app/types.js';
import { startUpTasksLock } from '../../src/app/start-up.js';
import type { RecordLock } from '../../src/services/record-lock.js';
import { userRecordLock } from '../../src/services/user-record-lock.js';
import { inquiryRecordLock } from '../../src/services/inquiry-record-lock.js';
import type { TestApp } from './app-harness.js';

/** The locks start-up tasks take, over the test app's Redis, as main.ts gives them. */
export function startUpLocks(app: Pick<TestApp, 'bot'>): StartUpLocks {
  return { userRecord: userRecordLock(app.bot.deps), inquiryRecord: inquiryRecordLock(app.bot.deps) };
}

/** The lock that keeps two processes' start-up tasks apart, as main.ts gives it. */
export function startUpTasksLockOf(app: Pick<TestApp, 'bot'>): RecordLock {
  return startUpTasksLock(app.bot.deps);
}
